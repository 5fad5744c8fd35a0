import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { redactDeep } from './redact.js';

/** `agent`: an agent's own report (its hooks). */
export type TraceActor = 'operator' | 'cli' | 'policy' | 'server' | 'agent';

/** One line of the trace: who did what to what, and how it ended. */
export interface TraceEntry {
  ts: string;
  actor: TraceActor;
  action: string;
  /** An agent id, a worktree name, or the repository. */
  target: string;
  details?: Record<string, unknown>;
  /** "ok", "error", or a step's own word ("started", "skipped"…). */
  outcome: string;
  /** The error's one-line message when outcome is "error". */
  error?: string;
}

export const TRACE_FILE = 'trace.jsonl';
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_KEEP = 5;

/** trace.jsonl, then trace.1.jsonl (older) … trace.N.jsonl (oldest). */
export function traceFiles(dir: string, keep = DEFAULT_KEEP): string[] {
  const files = [path.join(dir, TRACE_FILE)];
  for (let i = 1; i <= keep; i++) files.push(path.join(dir, `trace.${i}.jsonl`));
  return files;
}

/**
 * The append-only record. Each entry is one `write` of one line to a file opened O_APPEND, so lines
 * from concurrent writers never interleave; the file is never rewritten, only rotated by renaming.
 */
export class TraceWriter {
  constructor(
    readonly dir: string,
    private readonly opts: { maxBytes?: number; keep?: number } = {},
  ) {}

  get file(): string {
    return path.join(this.dir, TRACE_FILE);
  }

  /**
   * A writer killed mid-line leaves a fragment without its newline. Readers skip it; closing it with
   * a newline here keeps the next entry from being glued onto it. Append-only, like everything else.
   */
  repair(): boolean {
    if (!existsSync(this.file)) return false;
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return false;
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] === 0x0a) return false;
    } finally {
      closeSync(fd);
    }
    this.appendRaw('\n');
    return true;
  }

  append(entry: Omit<TraceEntry, 'ts'> & { ts?: string }): TraceEntry {
    const full: TraceEntry = redactDeep({ ts: entry.ts ?? new Date().toISOString(), ...entry });
    this.rotateIfNeeded();
    this.appendRaw(JSON.stringify(full) + '\n');
    return full;
  }

  private appendRaw(text: string): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }

  private rotateIfNeeded(): void {
    let size = 0;
    try {
      size = statSync(this.file).size;
    } catch {
      return;
    }
    if (size < (this.opts.maxBytes ?? DEFAULT_MAX_BYTES)) return;
    const files = traceFiles(this.dir, this.opts.keep ?? DEFAULT_KEEP);
    // Shift: trace.(N-1) → trace.N … trace.jsonl → trace.1; the oldest beyond `keep` is overwritten.
    for (let i = files.length - 1; i > 0; i--) {
      if (existsSync(files[i - 1]!)) renameSync(files[i - 1]!, files[i]!);
    }
  }
}

/** Parse complete lines; a malformed line (a torn write) is skipped, never fatal. */
export function parseTraceText(text: string): TraceEntry[] {
  const out: TraceEntry[] = [];
  const lines = text.split('\n');
  // The last element is '' for a complete file, or a fragment still being written: ignore it.
  lines.pop();
  for (const line of lines) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as TraceEntry;
      if (e && typeof e.ts === 'string' && typeof e.action === 'string') out.push(e);
    } catch {
      /* torn line: skipped */
    }
  }
  return out;
}

export interface TraceFilter {
  agent?: string;
  worktree?: string;
  action?: string;
  since?: Date;
  text?: string;
}

export function matchesFilter(e: TraceEntry, f: TraceFilter): boolean {
  if (f.agent && e.target !== f.agent) return false;
  if (f.worktree && !(e.target === f.worktree || e.target.startsWith(`${f.worktree}/`) || e.details?.worktree === f.worktree)) return false;
  if (f.action && e.action !== f.action && !e.action.startsWith(`${f.action}.`)) return false;
  if (f.since && Date.parse(e.ts) < f.since.getTime()) return false;
  if (f.text) {
    const t = f.text.toLowerCase();
    if (!`${e.actor} ${e.action} ${e.target} ${e.outcome} ${e.error ?? ''} ${JSON.stringify(e.details ?? {})}`.toLowerCase().includes(t)) return false;
  }
  return true;
}

/** Every entry, oldest first, across rotated files. */
export function readTrace(dir: string, filter: TraceFilter = {}, keep = DEFAULT_KEEP): TraceEntry[] {
  const out: TraceEntry[] = [];
  for (const f of traceFiles(dir, keep).reverse()) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const e of parseTraceText(text)) if (matchesFilter(e, filter)) out.push(e);
  }
  return out;
}

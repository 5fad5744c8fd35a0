import { rmSync } from 'node:fs';
import path from 'node:path';
import { AtomicJsonFile } from './atomic-json-file.js';

export const AGENT_ARGS_FILE = 'agent-args.json';

/**
 * The real extra args of each agent, for restore only. state.json and the trace hold args redacted
 * (`--api-key=«redacted»`), and an agent restored from those would get the literal «redacted»
 * instead of its key. This file (0600, written atomically next to state.json) is read by nobody
 * else: no command prints it, no client receives it. It is also what restore checks state.json's
 * args against, so an edited state file cannot make the server run args it never started.
 */
export class AgentArgsFile {
  private data: Record<string, string[]>;
  private readonly adapter: AtomicJsonFile<Record<string, string[]>>;

  constructor(dir: string) {
    this.adapter = new AtomicJsonFile(path.join(dir, AGENT_ARGS_FILE));
    this.data = AgentArgsFile.read(this.adapter);
  }

  private static read(adapter: AtomicJsonFile<Record<string, string[]>>): Record<string, string[]> {
    try {
      const raw = adapter.read();
      const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
      for (const [id, args] of Object.entries(raw)) if (Array.isArray(args) && args.every((a) => typeof a === 'string')) out[id] = args;
      return out;
    } catch {
      // Unreadable: restore then refuses agents whose args it cannot vouch for, and says so.
      return Object.create(null) as Record<string, string[]>;
    }
  }

  get file(): string {
    return this.adapter.file;
  }

  get(id: string): string[] | undefined {
    return Object.hasOwn(this.data, id) ? this.data[id] : undefined;
  }

  /** Remember an agent's args (none: forget it). Written at once: spawns are rare, restore must see them. */
  set(id: string, args: string[]): void {
    const prev = this.get(id);
    if (args.length === 0) {
      if (prev === undefined) return;
      delete this.data[id];
    } else {
      if (prev && prev.length === args.length && prev.every((a, i) => a === args[i])) return;
      this.data[id] = [...args];
    }
    this.write();
  }

  delete(id: string): void {
    if (this.get(id) === undefined) return;
    delete this.data[id];
    this.write();
  }

  private write(): void {
    try {
      if (Object.keys(this.data).length === 0) rmSync(this.adapter.file, { force: true });
      else this.adapter.write(this.data);
    } catch {
      /* the state dir is gone or full: restore will refuse what it cannot vouch for, visibly */
    }
  }
}

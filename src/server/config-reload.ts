import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { configCandidates, loadConfig, type FlowerConfig } from '../config/config.js';
import { describeError } from '../shared/errors.js';
import type { Supervisor } from '../core/supervisor/supervisor.js';

// The server follows its config file: saved changes apply without a restart (the next merge uses the
// new gate), validated exactly as at start. An invalid new file is reported — MAIN's monitor, the
// notices, `status`, the trace, the log — and the config in use is kept, so a typo mid-edit never takes
// anything down. Key bindings and `ui` belong to the cockpit: they apply to cockpits opened afterwards.

/** Editors save in several steps (temp file, rename, chmod): one read after they are done. */
const SETTLE_MS = 250;

export interface ConfigReloadOptions {
  supervisor: Supervisor;
  mainRoot: string;
  commonDir: string;
  /** `--config FILE` the server was started with: then only that file is followed. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export class ConfigReload {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The last problem reported, so the several events of one save report it once. */
  private problem: string | null = null;

  constructor(private readonly o: ConfigReloadOptions) {}

  /**
   * Watch the directory of every file that could be the config (not the files: editors replace them
   * by renaming), filtered by name — a new file earlier in the search order (`config init`) counts too.
   */
  start(): void {
    const targets = this.o.file ? [path.resolve(this.o.file)] : configCandidates(this.o.mainRoot, this.o.env ?? process.env, this.o.commonDir);
    const byDir = new Map<string, Set<string>>();
    for (const t of targets) byDir.set(path.dirname(t), (byDir.get(path.dirname(t)) ?? new Set()).add(path.basename(t)));
    for (const [dir, names] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || names.has(String(name))) this.schedule();
        });
        w.on('error', () => {}); // the directory went away: nothing to follow there
        this.watchers.push(w);
      } catch {
        /* the directory does not exist (no XDG config dir): nothing to follow there */
      }
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
    }, SETTLE_MS);
    this.timer.unref();
  }

  /** Read the config again: apply it when valid and different, report it (once) when invalid. */
  reload(): void {
    const s = this.o.supervisor;
    const current = s.currentConfig();
    let next: FlowerConfig;
    try {
      next = loadConfig({ file: this.o.file, mainRoot: this.o.mainRoot, commonDir: this.o.commonDir, env: this.o.env });
    } catch (e) {
      const problem = describeError(e);
      if (problem === this.problem) return;
      this.problem = problem;
      s.setConfigProblem(problem);
      s.notify(`${problem} — keeping the config in use (${current.source ?? 'built-in defaults'})`, 'error');
      s.record({ actor: 'server', action: 'config.reload', target: current.source ?? '(built-in)', details: { kept: current.source }, outcome: 'error', error: problem });
      this.o.log(`config not reloaded: ${problem}`);
      return;
    }
    const wasInvalid = this.problem !== null;
    this.problem = null;
    s.setConfigProblem(null);
    const changed = changedSections(current, next);
    if (changed.length === 0 && !wasInvalid) return;
    s.setConfig(next);
    const what = changed.length ? `${changed.join(', ')} changed` : 'valid again, unchanged';
    s.notify(`config reloaded from ${next.source ?? 'built-in defaults'}: ${what}${changed.some((c) => c === 'keys' || c === 'ui') ? ' (keys and ui apply to cockpits opened from now on)' : ''}`);
    s.record({ actor: 'server', action: 'config.reload', target: next.source ?? '(built-in)', details: { changed, previous: current.source }, outcome: 'ok' });
    this.o.log(`config reloaded from ${next.source ?? 'built-in defaults'}: ${what}`);
  }
}

/** Top-level sections that differ (and "file" when another file is now the one in use). */
function changedSections(a: FlowerConfig, b: FlowerConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    if (k === 'source') continue;
    if (JSON.stringify((a as unknown as Record<string, unknown>)[k]) !== JSON.stringify((b as unknown as Record<string, unknown>)[k])) out.push(k);
  }
  if (a.source !== b.source) out.unshift('file');
  return out;
}

import type { FlowerConfig } from '../../config/config.js';
import { runCheck } from '../merge/run-check.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { readTrace } from '../store/trace.js';
import type { MonitorView } from '../types.js';

/**
 * The ops loop's view of MAIN, all read-only: the health command every N seconds (last ok, last
 * failure, output), and the recent merges from the trace. The dirty alarm comes from git polling.
 */
const NOT_MERGES = new Set(['started', 'refused', 'locked', 'cancelled']);

export class MainMonitor {
  private view: MonitorView = {
    health: { command: null, state: 'off', lastOk: null, lastFailure: null, output: [], checkedAt: null },
    merges: [],
    dirty: [],
    ops: null,
  };
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly opts: {
      mainRoot: string;
      stateDir: string;
      config: () => FlowerConfig;
      /** Skip a scheduled check while a merge runs: the pipeline runs its own. */
      busy: () => boolean;
      changed: () => void;
      /** The health check's sandbox (MAIN read-only). */
      sandbox?: () => SandboxDecision;
    },
  ) {}

  snapshot(dirty: string[], ops: string | null): MonitorView {
    return { ...this.view, dirty, ops };
  }

  start(): void {
    this.loadMerges();
    const cfg = this.opts.config();
    const command = cfg.merge.health;
    this.view.health = { ...this.view.health, command, state: command && cfg.monitor.healthEveryMs > 0 ? 'unknown' : 'off' };
    if (command && cfg.monitor.healthEveryMs > 0) {
      void this.check();
      this.timer = setInterval(() => void this.check(), cfg.monitor.healthEveryMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Recent merges, newest first (only final outcomes, not the steps). Attempts refused before
   * anything ran (nothing to merge, dirty MAIN, locked, cancelled) are in the trace, not in this
   * line: a few of them would push the real merges out.
   */
  loadMerges(): void {
    try {
      const entries = readTrace(this.opts.stateDir, { action: 'merge' })
        .filter((e) => e.action === 'merge' && !NOT_MERGES.has(e.outcome))
        .slice(-5)
        .reverse();
      this.view.merges = entries.map((e) => ({ ts: e.ts, worktree: e.target, outcome: e.outcome, message: typeof e.details?.message === 'string' ? e.details.message : null }));
      this.opts.changed();
    } catch {
      /* no trace yet */
    }
  }

  async check(): Promise<void> {
    const command = this.opts.config().merge.health;
    if (!command || this.checking || this.opts.busy()) return;
    this.checking = true;
    try {
      const r = await runCheck(command, { cwd: this.opts.mainRoot, sandbox: this.opts.sandbox?.(), timeoutMs: this.opts.config().merge.healthTimeoutMs });
      const now = new Date().toISOString();
      this.view.health = {
        command,
        state: r.ok ? 'ok' : 'failing',
        lastOk: r.ok ? now : this.view.health.lastOk,
        lastFailure: r.ok ? this.view.health.lastFailure : now,
        output: r.tail.filter((l) => l.trim()).slice(-5),
        checkedAt: now,
      };
      this.opts.changed();
    } finally {
      this.checking = false;
    }
  }
}

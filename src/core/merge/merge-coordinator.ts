import type { FlowerConfig } from '../../config/config.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import type { WorktreeInfo } from '../types.js';
import { git } from './merge-git.js';
import { previewMerge, type MergePreview } from './merge-preview.js';
import { runMerge, type MergeProgress, type MergeResult } from './merge-pipeline.js';
import type { MergeView } from './merge-view.js';

export interface MergeHost {
  mainRoot: string;
  stateDir: string;
  config(): FlowerConfig;
  worktrees(): WorktreeInfo[];
  laneKind(name: string): 'standing' | 'ephemeral';
  record(e: Omit<TraceEntry, 'ts'>): void;
  changed(): void;
  refreshGit(): Promise<void>;
  /** The sandbox of a gate (in the lane) or a health check (in MAIN). */
  sandbox?(worktree: string, cwd: string): SandboxDecision;
}

/** Runs merges for the supervisor and keeps their progress in a shape the cockpit can draw. */
export class MergeCoordinator {
  view: MergeView | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly host: MergeHost) {}

  private lane(name: string): WorktreeInfo {
    const w = this.host.worktrees().find((x) => x.name === name || x.path === name || x.branch === name);
    if (!w) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    if (w.isMain) throw new FlowerError('bad-usage', 'MAIN cannot be merged into itself');
    return w;
  }

  private mainBranch(): string | null {
    return this.host.worktrees().find((w) => w.isMain)?.branch ?? null;
  }

  async preview(name: string): Promise<MergePreview> {
    const w = this.lane(name);
    const m = this.host.config().merge;
    return previewMerge({ mainRoot: this.host.mainRoot, mainBranch: this.mainBranch(), worktree: w, strategy: m.strategy, flagged: m.flagged });
  }

  /** A coloured-by-the-reader unified diff of the worktree (committed and not) against where it forked from MAIN. */
  async diff(name: string): Promise<string> {
    const w = this.lane(name);
    const main = this.mainBranch();
    if (!main) throw new FlowerError('merge-failed', 'MAIN is on a detached HEAD');
    const g = git(w.path);
    const base = (await g.raw(['merge-base', main, 'HEAD'])).trim();
    return g.raw(['diff', '--no-color', '--no-ext-diff', base, '--']);
  }

  /** A merge (or its rollback) of ours may move MAIN's HEAD now: not an alarm (see MainHeadWatch). */
  movingMain = false;

  cancel(): boolean {
    if (!this.abort || !this.view?.running) return false;
    this.abort.abort();
    return true;
  }

  async merge(name: string, actor: TraceActor, opts: { commitMessage?: string; onProgress?: (p: MergeProgress) => void } = {}): Promise<MergeResult> {
    const w = this.lane(name);
    if (this.view?.running) throw new FlowerError('merge-locked', `a merge of ${this.view.worktree} is running`);
    this.abort = new AbortController();
    this.movingMain = true;
    const view: MergeView = { worktree: w.name, running: true, steps: [], lines: [], result: null, offerRemoval: false };
    this.view = view;
    this.host.changed();
    this.host.record({ actor, action: 'merge', target: w.name, details: { strategy: this.host.config().merge.strategy, branch: w.branch }, outcome: 'started' });
    let pending: NodeJS.Timeout | null = null;
    const onProgress = (p: MergeProgress) => {
      opts.onProgress?.(p); // the queue persists its step before the step runs (a restart knows where it was)
      const last = view.steps[view.steps.length - 1];
      if (last && last.step === p.step) Object.assign(last, { status: p.status, line: p.status === 'running' && p.line && last.line && p.step !== 'merge' ? last.line : (p.line ?? last.line) });
      else view.steps.push({ step: p.step, status: p.status, line: p.line });
      if (p.line) {
        view.lines.push(`[${p.step}] ${p.line}`);
        if (view.lines.length > 300) view.lines.shift();
      }
      if (p.status !== 'running') this.host.record({ actor, action: `merge.${p.step}`, target: w.name, details: p.line ? { line: p.line.slice(0, 300) } : undefined, outcome: p.status });
      // Output can be fast: tell cockpits at most ten times a second.
      if (!pending) pending = setTimeout(() => ((pending = null), this.host.changed()), 100);
    };
    let result: MergeResult;
    try {
      const s = this.host.config().merge;
      result = await runMerge({
        mainRoot: this.host.mainRoot,
        mainBranch: this.mainBranch(),
        stateDir: this.host.stateDir,
        worktree: w,
        settings: s,
        onProgress,
        signal: this.abort.signal,
        commitMessage: opts.commitMessage,
        sandbox: this.host.sandbox ? (wt, cwd) => this.host.sandbox!(wt, cwd) : undefined,
      });
    } catch (e) {
      result = { outcome: 'refused', message: describeError(e), worktree: w.name, preMerge: null, postMerge: null, conflicts: [], preview: null };
    }
    if (pending) clearTimeout(pending);
    view.running = false;
    view.result = result;
    view.offerRemoval = result.outcome === 'merged' && this.host.laneKind(w.name) === 'ephemeral';
    this.host.record({
      actor,
      action: 'merge',
      target: w.name,
      details: { preMerge: result.preMerge, postMerge: result.postMerge, conflicts: result.conflicts.length ? result.conflicts : undefined, rescued: result.rescued, message: result.message },
      outcome: result.outcome,
    });
    this.abort = null;
    try {
      await this.host.refreshGit();
    } finally {
      this.movingMain = false;
    }
    this.host.changed();
    return result;
  }
}

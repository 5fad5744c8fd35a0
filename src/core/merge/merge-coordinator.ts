import type { FlowerConfig } from '../../config/config.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import type { WorktreeInfo } from '../types.js';
import { git } from './merge-git.js';
import { previewMerge, type MergePreview } from './merge-preview.js';
import { runMerge, type MergeProgress, type MergeResult } from './merge-pipeline.js';
import type { MergeView } from './merge-view.js';
import { gateLane, type LaneGateReport } from './lane-gate.js';
import { askHostAboutLane, fetchRemoteLane, gateOnHost, removeOnHost, resolveRemoteLane, tellHostLanded, type RemoteLane } from './remote-lane.js';

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

  /** `box:LANE`: a lane on a configured host (merge/remote-lane.ts); null for a local lane. */
  private remote(name: string): RemoteLane | null {
    return resolveRemoteLane(name, this.host.config().hosts);
  }

  /** Ask the host about a remote lane and bring its commit here (refs/flower/remote/HOST/LANE). */
  private async fetchRemote(r: RemoteLane, signal?: AbortSignal): Promise<{ report: LaneGateReport; sha: string }> {
    const report = await askHostAboutLane(r, this.host.mainRoot, signal);
    const sha = await fetchRemoteLane(r, this.host.mainRoot, report.branch!, signal);
    return { report, sha };
  }

  private mainBranch(): string | null {
    return this.host.worktrees().find((w) => w.isMain)?.branch ?? null;
  }

  async preview(name: string): Promise<MergePreview> {
    const m = this.host.config().merge;
    const r = this.remote(name);
    if (r) {
      const { report } = await this.fetchRemote(r);
      return previewMerge({ mainRoot: this.host.mainRoot, mainBranch: this.mainBranch(), worktree: { name: r.name, path: '', branch: r.ref }, strategy: m.strategy, flagged: m.flagged, dirtyWorktree: report.dirty });
    }
    const w = this.lane(name);
    return previewMerge({ mainRoot: this.host.mainRoot, mainBranch: this.mainBranch(), worktree: w, strategy: m.strategy, flagged: m.flagged });
  }

  /** A coloured-by-the-reader unified diff of the worktree (committed and not) against where it forked from MAIN. */
  async diff(name: string): Promise<string> {
    const main = this.mainBranch();
    const r = this.remote(name);
    if (r) {
      // A remote lane's committed changes, fetched here (what the merge would bring; its uncommitted ones stay on its host).
      if (!main) throw new FlowerError('merge-failed', 'MAIN is on a detached HEAD');
      const { sha } = await this.fetchRemote(r);
      const g = git(this.host.mainRoot);
      const base = (await g.raw(['merge-base', main, sha])).trim();
      return g.raw(['diff', '--no-color', '--no-ext-diff', base, sha, '--']);
    }
    const w = this.lane(name);
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
    const remote = this.remote(name);
    const w: Pick<WorktreeInfo, 'name' | 'path' | 'branch'> = remote ? { name: remote.name, path: '', branch: remote.ref } : this.lane(name);
    const hostDetail = remote ? { host: remote.hostName } : {};
    let remoteKind = 'standing' as 'standing' | 'ephemeral'; // the host says, once asked
    if (this.view?.running) throw new FlowerError('merge-locked', `a merge of ${this.view.worktree} is running`);
    this.abort = new AbortController();
    this.movingMain = true;
    const view: MergeView = { worktree: w.name, running: true, steps: [], lines: [], result: null, offerRemoval: false };
    this.view = view;
    this.host.changed();
    this.host.record({ actor, action: 'merge', target: w.name, details: { strategy: this.host.config().merge.strategy, branch: w.branch, ...hostDetail }, outcome: 'started' });
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
      if (p.status !== 'running') this.host.record({ actor, action: `merge.${p.step}`, target: w.name, details: p.line || remote ? { ...(p.line ? { line: p.line.slice(0, 300) } : {}), ...hostDetail } : undefined, outcome: p.status });
      // Output can be fast: tell cockpits at most ten times a second.
      if (!pending) pending = setTimeout(() => ((pending = null), this.host.changed()), 100);
    };
    let result: MergeResult;
    const signal = this.abort.signal;
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
        remote: remote
          ? {
              host: remote.hostName,
              fetch: async () => {
                const { report, sha } = await this.fetchRemote(remote, signal);
                remoteKind = report.kind;
                return { dirty: report.dirty, line: `fetched ${remote.name} (${report.branch} ${sha.slice(0, 12)}) from ${remote.hostName} into ${remote.ref}` };
              },
              gate: async (tested) => {
                const rep = await gateOnHost(remote, tested, s.gate!, s.gateTimeoutMs, signal);
                return { check: rep.gate ? { ...rep.gate, tail: rep.gate.tail } : null, headAfter: rep.headAfter, dirtyAfter: rep.dirtyAfter };
              },
            }
          : undefined,
      });
    } catch (e) {
      result = { outcome: 'refused', message: describeError(e), worktree: w.name, preMerge: null, postMerge: null, conflicts: [], preview: null };
    }
    if (pending) clearTimeout(pending);
    view.running = false;
    view.result = result;
    view.offerRemoval = !remote && result.outcome === 'merged' && this.host.laneKind(w.name) === 'ephemeral';
    // The lane's briefs are on its host: they follow the merge there (before an ephemeral lane goes).
    if (remote && result.outcome !== 'refused' && result.outcome !== 'locked' && result.outcome !== 'cancelled') await this.tellRemote(remote, result, view);
    // An ephemeral lane on a host goes there once it landed here (a local one is offered, or the queue removes it).
    if (remote && result.outcome === 'merged' && remoteKind === 'ephemeral') await this.removeRemote(remote, result, view, actor);
    this.host.record({
      actor,
      action: 'merge',
      target: w.name,
      details: { ...hostDetail, preMerge: result.preMerge, postMerge: result.postMerge, conflicts: result.conflicts.length ? result.conflicts : undefined, rescued: result.rescued, message: result.message },
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

  private async tellRemote(r: RemoteLane, result: MergeResult, view: MergeView): Promise<void> {
    try {
      await tellHostLanded(r, result.outcome, result.postMerge, result.message);
    } catch (e) {
      // The merge stands; only the host's briefs miss the news (their lane's merge is in MAIN's trace).
      view.lines.push(`[done] ${r.name}: could not tell ${r.hostName} of the merge for its briefs: ${describeError(e)}`);
    }
  }

  private async removeRemote(r: RemoteLane, result: MergeResult, view: MergeView, actor: TraceActor): Promise<void> {
    const merged = result.preview?.branchSha;
    let line: string;
    try {
      if (!merged) throw new FlowerError('merge-failed', 'the merged commit is unknown');
      line = await removeOnHost(r, this.host.mainRoot, merged);
      this.host.record({ actor, action: 'merge.remove', target: r.name, details: { host: r.hostName, line }, outcome: 'ok' });
    } catch (e) {
      line = `${r.name} landed but was kept on ${r.hostName}: ${describeError(e)}`;
      this.host.record({ actor, action: 'merge.remove', target: r.name, details: { host: r.hostName }, outcome: 'refused', error: describeError(e) });
    }
    view.lines.push(`[done] ${line}`);
  }

  /**
   * On a host: MAIN's server, elsewhere, asks for MAIN's gate in one of this host's lanes (issue 19):
   * run it when the lane is at the expected commit and clean, and report (merge/lane-gate.ts).
   * Without a command, only the report on the lane. Traced here as `gate.remote`.
   */
  async gateForRemoteMain(cmd: { worktree: string; expect?: string; command?: string; timeoutMs?: number }, actor: TraceActor): Promise<LaneGateReport> {
    await this.host.refreshGit();
    const w = this.lane(cmd.worktree);
    const timeoutMs = cmd.timeoutMs ?? this.host.config().merge.gateTimeoutMs;
    const run = Boolean(cmd.command && cmd.expect);
    if (run) this.host.record({ actor, action: 'gate.remote', target: w.name, details: { expect: cmd.expect, command: cmd.command }, outcome: 'started' });
    const report = await gateLane({ lane: w, kind: this.host.laneKind(w.name), expect: cmd.expect, command: cmd.command, timeoutMs, sandbox: run ? this.host.sandbox?.(w.name, w.path) : undefined });
    if (run) {
      const outcome = !report.gate ? 'refused' : report.gate.ok ? 'ok' : 'failed';
      this.host.record({ actor, action: 'gate.remote', target: w.name, details: { expect: cmd.expect, head: report.head, code: report.gate?.code ?? null }, outcome });
    }
    return report;
  }
}

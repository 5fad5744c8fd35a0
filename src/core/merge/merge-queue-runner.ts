import { FlowerError, describeError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import type { WorktreeInfo } from '../types.js';
import { agentIsLive } from '../types.js';
import { headSha, trackedChanges } from './merge-git.js';
import { conflictMessage, updateLane } from './lane-update.js';
import * as Q from './merge-queue.js';
import { dirtyMainReason, waitReason } from './lane-readiness.js';
import { WakeableSleep } from './wakeable-sleep.js';
import { resolveRemoteLane } from './remote-lane.js';
import type { QueueHost } from './queue-runner-host.js';

export type { QueueHost } from './queue-runner-host.js';

/** While the head waits for idle agents (or another merge), how often it looks again, besides being poked. */
const WAIT_RECHECK_MS = 1000;

/**
 * Drives the queue: one lane at a time, each brought up to date with the latest MAIN in its own
 * worktree (only when clean), gated on that exact commit and merged through the existing pipeline.
 * A lane whose update conflicts or whose gate or health fails leaves the queue with the reason, and
 * the queue goes on with the next one. Every transition is persisted before it happens and traced.
 */
export class MergeQueueRunner {
  private q: Q.QueueState;
  private loop: Promise<void> | null = null;
  private readonly sleeper = new WakeableSleep();
  private closed = false;
  /** Set once start() (recovery after a restart) has run: nothing runs before it. */
  private started = false;

  constructor(private readonly host: QueueHost) {
    this.q = host.load();
  }

  get state(): Q.QueueState {
    return this.q;
  }

  /** The state recovery settled on after a restart (before the loop starts). */
  replace(q: Q.QueueState): void {
    this.set(q);
  }

  private set(q: Q.QueueState): void {
    this.q = q;
    this.host.save(q);
    this.host.changed();
  }

  private trace(actor: TraceActor, action: string, lane: string, outcome: string, details?: Record<string, unknown>, error?: string): void {
    this.host.record({ actor, action: `queue.${action}`, target: lane, details, outcome, ...(error ? { error } : {}) });
  }

  private requireLane(name: string): WorktreeInfo {
    const w = this.host.worktrees().find((x) => x.name === name || x.path === name || (x.branch === name && !x.isMain));
    if (!w) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    if (w.isMain) throw new FlowerError('bad-usage', 'MAIN is not a lane: it receives merges');
    return w;
  }

  async ready(name: string, by: string, actor: TraceActor): Promise<{ lane: string; position: number }> {
    // Fresh, not what the watcher last saw: an agent commits and says "ready" in the same breath.
    await this.host.refreshGit();
    // A lane on a host (box:LANE) queues like a local one; its host is asked when its turn comes.
    if (resolveRemoteLane(name, this.host.config().hosts)) {
      const r = Q.enqueue(this.q, name, by, new Date());
      this.set(r.queue);
      this.trace(actor, 'ready', name, 'queued', { position: r.position + 1, by });
      this.kick();
      return { lane: name, position: r.position + 1 };
    }
    const w = this.requireLane(name);
    if (w.lane?.ahead === 0 && Q.position(this.q, w.name) === -1) {
      const msg = `${w.name} has nothing to merge: no commits ahead of MAIN`;
      this.trace(actor, 'ready', w.name, 'refused', { by }, msg);
      throw new FlowerError('bad-usage', msg);
    }
    const r = Q.enqueue(this.q, w.name, by, new Date());
    this.set(r.queue);
    this.trace(actor, 'ready', w.name, 'queued', { position: r.position + 1, by });
    this.kick();
    return { lane: w.name, position: r.position + 1 };
  }

  remove(name: string, actor: TraceActor): void {
    const lane = this.laneName(name);
    this.set(Q.remove(this.q, lane));
    this.trace(actor, 'rm', lane, 'ok');
    this.poke();
  }

  move(name: string, to: number | 'up' | 'down', actor: TraceActor): number {
    const lane = this.laneName(name);
    const next = to === 'up' ? Q.nudge(this.q, lane, -1) : to === 'down' ? Q.nudge(this.q, lane, 1) : Q.move(this.q, lane, to);
    this.set(next);
    const at = Q.position(next, lane) + 1;
    this.trace(actor, 'move', lane, 'ok', { position: at });
    return at;
  }

  pause(actor: TraceActor, reason: string | null = null): void {
    this.set(Q.pause(this.q, reason));
    this.trace(actor, 'pause', 'queue', 'ok', reason ? { reason } : undefined);
    this.poke();
  }

  resume(actor: TraceActor): void {
    this.set(Q.resume(this.q));
    this.trace(actor, 'resume', 'queue', 'ok');
    this.kick();
  }

  /** A queued lane's name as the operator typed it (lane, path or branch). */
  private laneName(name: string): string {
    if (Q.position(this.q, name) !== -1) return name;
    return this.requireLane(name).name;
  }

  /** The lane's worktree is gone: nothing of it can land. */
  laneRemoved(name: string): void {
    if (Q.position(this.q, name) === -1) return;
    this.set(Q.forgetLane(this.q, name));
    this.trace('server', 'rm', name, 'removed', { reason: 'the lane was removed' });
  }

  /** Start (after recovery) or continue the loop; does nothing while it runs, is paused or empty. */
  kick(): void {
    if (!this.started || this.closed || this.loop) return;
    if (!Q.nextToRun(this.q)) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      // Something may have been queued while the last lane finished.
      if (!this.closed && Q.nextToRun(this.q)) this.kick();
    });
  }

  /** Something changed (an agent's state, the queue): a waiting head looks again. */
  poke(): void {
    this.sleeper.wakeNow();
  }

  markStarted(): void {
    this.started = true;
    this.kick();
  }

  close(): void {
    this.closed = true;
    this.poke();
  }

  /** Resolves when the loop is idle (tests, shutdown). */
  async settled(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let head = Q.nextToRun(this.q); head && !this.closed; head = Q.nextToRun(this.q)) {
      try {
        await this.runHead(head.lane);
      } catch (e) {
        // A failure of ours (git missing, a disk error): the lane leaves the queue with it, the queue pauses.
        const msg = describeError(e);
        this.set(Q.pause(Q.finish(this.q, head.lane, 'refused', msg, new Date()), `${head.lane}: ${msg}`));
        this.trace('policy', 'out', head.lane, 'error', undefined, msg);
        this.host.notify(`queue: ${head.lane} failed (${msg}); the queue is paused`, 'error');
      }
    }
  }

  private isHead(lane: string): boolean {
    return !this.q.paused && this.q.entries[0]?.lane === lane && !this.closed;
  }

  private step(lane: string, step: Q.QueueStep, extra: Parameters<typeof Q.setStep>[4] = {}): void {
    const prev = this.q.entries.find((e) => e.lane === lane);
    this.set(Q.setStep(this.q, lane, step, new Date(), extra));
    if (prev && prev.step !== step) this.trace('policy', 'step', lane, step, extra.detail ? { detail: extra.detail } : undefined);
  }

  /** Out of the queue, with the reason, traced and told. */
  private out(lane: string, outcome: Q.QueueOut['outcome'], reason: string): void {
    this.set(Q.finish(this.q, lane, outcome, reason, new Date()));
    this.trace('policy', outcome === 'merged' ? 'landed' : 'out', lane, outcome, { reason });
    if (outcome !== 'merged') this.host.notify(`queue: ${lane} taken out (${outcome}): ${reason}`, 'error');
  }

  /** Back to "queued" (paused or taken out meanwhile): the next run starts over from waiting. */
  private yieldHead(lane: string): void {
    if (Q.position(this.q, lane) !== -1) this.step(lane, 'queued');
  }

  private async runHead(lane: string): Promise<void> {
    const remote = resolveRemoteLane(lane, this.host.config().hosts);
    const wt = remote ? null : this.host.worktrees().find((w) => w.name === lane && !w.isMain && !w.prunable);
    if (!remote && (!wt || !wt.branch)) return this.out(lane, 'removed', wt ? 'the lane is on a detached HEAD' : 'the lane no longer exists');

    // 1. Not mid-turn: every agent of the lane idle, and no other merge running.
    for (;;) {
      if (!this.isHead(lane)) return this.yieldHead(lane);
      const detail = waitReason(this.host.agents(), lane, this.host.mergeRunning());
      if (!detail) break;
      if (this.q.entries[0]!.step !== 'waiting' || this.q.entries[0]!.detail !== detail) this.step(lane, 'waiting', { detail });
      await this.sleeper.sleep(WAIT_RECHECK_MS);
    }
    // MAIN edited directly stops the whole queue, not one lane after the other.
    const dirtyMain = await trackedChanges(this.host.mainRoot);
    if (dirtyMain.length) {
      this.step(lane, 'queued');
      this.set(Q.pause(this.q, dirtyMainReason(dirtyMain)));
      this.trace('policy', 'pause', 'queue', 'ok', { reason: 'MAIN has uncommitted changes' });
      this.host.notify('queue paused: MAIN has uncommitted changes — resolve them, then flower-tui queue resume', 'error');
      return;
    }

    // 2. Up to date with the latest MAIN, in the lane's own worktree.
    const cfg = this.host.config();
    const mainWt = this.host.worktrees().find((w) => w.isMain);
    const mainName = mainWt?.branch ?? 'MAIN';
    const mainAt = await headSha(this.host.mainRoot);
    if (remote) {
      // Its worktree is on its host: it is not brought up to date from here (the merge itself
      // refuses a conflict or an impossible fast-forward, MAIN untouched).
      this.step(lane, 'gate', { mainAt, detail: `a lane on ${remote.hostName}: gated there, merged here` });
      return this.mergeHead(lane);
    }
    this.step(lane, 'update', { mainAt, detail: `${cfg.merge.update} onto ${mainName} ${mainAt.slice(0, 7)}` });
    const u = await updateLane({ lane, dir: wt!.path, mainRef: mainAt, mainName, mode: cfg.merge.update });
    this.trace('policy', 'update', lane, u.outcome, { before: u.before, after: u.after, mode: cfg.merge.update, conflicts: u.conflicts.length ? u.conflicts : undefined, message: u.message });
    if (u.outcome === 'dirty' || u.outcome === 'failed' || u.outcome === 'conflict') {
      // Told first, then out: whoever sees it out of the queue also finds its agents told (the trace).
      if (u.outcome === 'conflict') await this.tellAgents(lane, conflictMessage(lane, mainName, cfg.merge.update, u.conflicts));
      this.out(lane, 'needs-update', u.message);
      await this.host.refreshGit();
      return;
    }
    await this.host.refreshGit();
    if (!this.isHead(lane)) return this.yieldHead(lane);

    // 3. Gate on that exact commit, merge, health, rollback: the pipeline, unchanged.
    this.step(lane, 'gate', { tested: u.after, detail: u.outcome === 'updated' ? u.message : null });
    return this.mergeHead(lane);
  }

  /** The pipeline on the head lane, then out of the queue with its outcome. */
  private async mergeHead(lane: string): Promise<void> {
    const r = await this.host.merge(lane, (p) => {
      if ((p.step === 'gate' || p.step === 'merge' || p.step === 'health' || p.step === 'rollback') && p.status === 'running') {
        const e = this.q.entries.find((x) => x.lane === lane);
        if (e && e.step !== p.step) this.step(lane, p.step);
      }
    });
    // The server is stopping (its shutdown cancelled the gate): the lane keeps its place and its
    // persisted step; the next start re-validates it and runs it again.
    if (this.closed && r.outcome === 'cancelled') return;
    this.trace('policy', 'merge', lane, r.outcome, { tested: r.preview?.branchSha ?? null, preMerge: r.preMerge, postMerge: r.postMerge, message: r.message });
    if (r.outcome === 'locked') {
      // Another process merges (a CLI of another server): try again shortly, keeping the place.
      this.step(lane, 'queued', { detail: r.message });
      await this.sleeper.sleep(WAIT_RECHECK_MS * 2);
      return;
    }
    if (r.outcome === 'merged') {
      this.out(lane, 'merged', r.message);
      if (this.host.laneKind(lane) === 'ephemeral') await this.removeEphemeral(lane);
      return;
    }
    const outcome: Q.QueueExit = r.outcome === 'cancelled' ? 'refused' : r.outcome;
    this.out(lane, outcome, r.message);
  }

  /** The conflict, in words, to every live agent of the lane, the way `send` sends it. */
  private async tellAgents(lane: string, text: string): Promise<void> {
    const agents = this.host.agents().filter((a) => a.worktree === lane && agentIsLive(a.state) && a.profile !== 'setup');
    for (const a of agents) {
      try {
        await this.host.send(a.id, text);
        this.trace('policy', 'told', a.id, 'ok', { lane });
      } catch (e) {
        this.trace('policy', 'told', a.id, 'error', { lane }, describeError(e));
      }
    }
  }

  /** Ephemeral lanes go after their merge — only when lane-safety finds nothing would be lost. */
  private async removeEphemeral(lane: string): Promise<void> {
    try {
      await this.host.removeLane(lane);
      this.trace('policy', 'removed', lane, 'ok');
    } catch (e) {
      this.trace('policy', 'removed', lane, 'refused', undefined, describeError(e));
      this.host.notify(`queue: ${lane} landed but was kept: ${describeError(e)}`, 'error');
    }
  }
}

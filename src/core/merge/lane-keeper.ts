import { FlowerError, describeError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import type { WorktreeInfo } from '../types.js';
import { updateLane, type UpdateResult } from './lane-update.js';
import { busyAgents } from './lane-readiness.js';
import type { LaneContext } from './lane-context.js';

/**
 * Lanes kept current: `flower-tui update LANE` and `u` bring one lane up to date with MAIN, and with
 * `lanes.autoUpdate` every standing lane is brought up to date after each merge — only a clean lane
 * whose agents are idle, so nobody's work in progress is rewritten under them.
 */
export interface KeeperHost extends LaneContext {
  /** The lane the queue is running now (it updates that one itself). */
  queueBusyWith(): string | null;
  /** Lanes in the queue: the queue updates them itself when their turn comes. */
  queued(): string[];
  /** A merge into MAIN is running: MAIN's tip is about to move. */
  mergeRunning(): boolean;
}

function lane(host: KeeperHost, name: string): WorktreeInfo {
  const w = host.worktrees().find((x) => x.name === name || x.path === name || (x.branch === name && !x.isMain));
  if (!w) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
  if (w.isMain) throw new FlowerError('bad-usage', 'MAIN is not updated: it receives merges');
  if (w.prunable) throw new FlowerError('unknown-worktree', `${w.name}'s worktree is missing`);
  if (!w.branch) throw new FlowerError('bad-usage', `${w.name} is on a detached HEAD: nothing to update`);
  return w;
}

/** Why a lane cannot be updated now (one line), or null. */
export function updateRefusal(host: KeeperHost, w: WorktreeInfo): string | null {
  if (host.queueBusyWith() === w.name) return `${w.name} is being merged by the queue: it is updated as part of that`;
  if (host.mergeRunning()) return 'a merge into MAIN is running: update when it has finished';
  const busy = busyAgents(host.agents(), w.name);
  if (busy.length) return `${w.name}'s agents are not idle (${busy.map((a) => `${a.id} ${a.status.state}`).join(', ')}): update it when they are`;
  return null;
}

/** One lane, on request: refused with one line when not clean or not idle; a conflict is aborted and reported. */
export async function updateOne(host: KeeperHost, name: string, actor: TraceActor): Promise<UpdateResult & { lane: string }> {
  const w = lane(host, name);
  const refusal = updateRefusal(host, w);
  if (refusal) {
    host.record({ actor, action: 'update', target: w.name, outcome: 'refused', error: refusal });
    throw new FlowerError('would-lose-work', refusal);
  }
  const r = await run(host, w, actor);
  if (r.outcome === 'dirty') throw new FlowerError('would-lose-work', `${w.name} has ${r.message}`);
  if (r.outcome === 'conflict' || r.outcome === 'failed') throw new FlowerError('merge-failed', r.message);
  return { ...r, lane: w.name };
}

async function run(host: KeeperHost, w: WorktreeInfo, actor: TraceActor): Promise<UpdateResult> {
  const cfg = host.config();
  const main = host.worktrees().find((x) => x.isMain);
  const mainRef = main?.head ?? main?.branch ?? 'HEAD';
  const r = await updateLane({ lane: w.name, dir: w.path, mainRef, mainName: main?.branch ?? 'MAIN', mode: cfg.merge.update });
  host.record({ actor, action: 'update', target: w.name, details: { mode: cfg.merge.update, before: r.before, after: r.after, conflicts: r.conflicts.length ? r.conflicts : undefined, message: r.message }, outcome: r.outcome });
  await host.refreshGit();
  return r;
}

/**
 * After a merge: every standing lane behind MAIN that can be updated safely, is (lanes.autoUpdate).
 * A lane that cannot (dirty, busy, conflicting) is left as it was and shows how far behind it is.
 */
export async function autoUpdateLanes(host: KeeperHost, merged: string): Promise<string[]> {
  if (!host.config().lanes.autoUpdate) return [];
  await host.refreshGit();
  const done: string[] = [];
  for (const w of host.worktrees()) {
    if (w.isMain || w.prunable || !w.branch || w.name === merged || host.laneKind(w.name) !== 'standing') continue;
    if (!w.lane?.behind || host.queued().includes(w.name)) continue;
    if (updateRefusal(host, w)) continue;
    try {
      const r = await run(host, w, 'policy');
      if (r.outcome === 'updated') done.push(w.name);
    } catch (e) {
      host.record({ actor: 'policy', action: 'update', target: w.name, outcome: 'error', error: describeError(e) });
    }
  }
  return done;
}

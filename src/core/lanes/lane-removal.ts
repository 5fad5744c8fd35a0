import type { FlowerConfig } from '../../config/config.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import { branchExists, deleteBranch, removeWorktree, uncommittedChanges } from '../git/lane-git.js';
import type { TraceActor } from '../store/trace.js';
import type { WorktreeInfo } from '../types.js';
import type { LaneHost } from './lane-host.js';
import { REMOVED_PREFIX, commitsNotInMain, listRemoved, restoreRemoved, saveBeforeRemoval, stashesOf, type RemovedLane } from './lane-safety.js';

export interface RemovalCheck {
  worktree: string;
  branch: string | null;
  /** Commits that exist only on the lane's branch ("sha subject"). */
  unmerged: string[];
  /** Uncommitted changes and untracked files ("XY path"). */
  changes: string[];
  /** Stashes made on the lane's branch ("stash@{0} On feature: msg"). */
  stashes: string[];
  agents: string[];
}

/**
 * Removing lanes without losing work (what would be lost, refused unless forced, everything saved
 * under a ref first) and bringing a removed lane back.
 */
export class LaneRemoval {
  constructor(
    private readonly sup: LaneHost,
    private readonly config: () => FlowerConfig,
    private readonly lanePath: (name: string) => string,
    /** A lane is gone: the manager drops what it kept of it (setup progress, a pending prompt). */
    private readonly forgotten: (name: string) => void,
  ) {}

  /** What removing a lane would lose. */
  async check(name: string): Promise<RemovalCheck> {
    const wt = this.requireLane(name);
    const main = this.sup.snapshot().worktrees.find((w) => w.isMain);
    // Merged however it got into MAIN (merge, fast-forward, rebase, squash): see lane-safety.ts.
    const unmerged = wt.branch && main?.branch ? await commitsNotInMain(this.sup.repo.mainRoot, main.branch, wt.branch) : [];
    const stashes = wt.branch ? await stashesOf(this.sup.repo.mainRoot, wt.branch) : [];
    const changes = wt.prunable ? [] : await uncommittedChanges(wt.path);
    const agents = this.sup.snapshot().agents.filter((a) => a.worktree === name).map((a) => a.id);
    return { worktree: name, branch: wt.branch, unmerged, changes, stashes, agents };
  }

  private requireLane(name: string): WorktreeInfo {
    if (name === 'MAIN') throw new FlowerError('main-read-only', 'MAIN can never be removed');
    const prefixed = `${this.config().lanes.branchPrefix}${name}`;
    const wt = this.sup.snapshot().worktrees.find((w) => w.name === name || w.path === name) ?? this.sup.snapshot().worktrees.find((w) => !w.isMain && w.branch === prefixed);
    if (!wt) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    if (wt.isMain) throw new FlowerError('main-read-only', 'MAIN can never be removed');
    return wt;
  }

  /** Lanes removed so far, each restorable (newest first). */
  removed(): Promise<RemovedLane[]> {
    return listRemoved(this.sup.repo.mainRoot);
  }

  /**
   * `worktree restore NAME[@TIME]`: the newest saved removal of that lane (or the one named) back as
   * a lane, on its old name when its branch is gone (else as NAME-restored), uncommitted work included.
   */
  async restore(spec: string, actor: TraceActor): Promise<{ worktree: string; branch: string; path: string; from: string }> {
    const [lane, at] = spec.split('@') as [string, string | undefined];
    const all = await listRemoved(this.sup.repo.mainRoot);
    const saved = all.find((r) => r.lane === lane && (!at || r.at === at));
    if (!saved) throw new FlowerError('bad-usage', `nothing saved for ${spec} (see flower-tui worktree removed)`);
    if (this.sup.snapshot().worktrees.some((w) => w.name === lane)) throw new FlowerError('bad-usage', `a lane ${lane} exists: remove it first, or restore into another name later`);
    const prefix = this.config().lanes.branchPrefix;
    // Its old branch may still exist (a standing lane keeps it): then the lane comes back as NAME-restored.
    const name = (await branchExists(this.sup.repo.mainRoot, `${prefix}${lane}`)) ? `${lane}-restored` : lane;
    const branch = `${prefix}${name}`;
    const lanePath = this.lanePath(name);
    await restoreRemoved(this.sup.repo.mainRoot, saved, { branch, path: lanePath });
    this.sup.rememberLane(name, { lane: 'standing', path: lanePath, branch, kind: null, port: null, agents: [], promptFile: null });
    this.sup.record({ actor, action: 'worktree.restore', target: name, details: { from: saved.ref, branch, path: lanePath }, outcome: 'ok' });
    await this.sup.refreshGit();
    return { worktree: name, branch, path: lanePath, from: saved.ref };
  }

  /** Stop its agents, remove the worktree (and an ephemeral lane's branch). Refuses to lose work unless forced. */
  async remove(name: string, force: boolean, actor: TraceActor): Promise<RemovalCheck & { branchDeleted: boolean; saved: string | null }> {
    const wt = this.requireLane(name);
    const check = await this.check(wt.name);
    if (!force && (check.unmerged.length || check.changes.length || check.stashes.length)) {
      const parts = [];
      if (check.unmerged.length) parts.push(`${check.unmerged.length} commit${check.unmerged.length === 1 ? '' : 's'} not in MAIN (${check.unmerged.slice(0, 5).join('; ')}${check.unmerged.length > 5 ? '; …' : ''})`);
      if (check.changes.length) parts.push(`${check.changes.length} uncommitted change${check.changes.length === 1 ? '' : 's'} (${check.changes.slice(0, 5).map((c) => c.slice(3)).join(', ')}${check.changes.length > 5 ? ', …' : ''})`);
      if (check.stashes.length) parts.push(`${check.stashes.length} stash${check.stashes.length === 1 ? '' : 'es'} (${check.stashes.slice(0, 3).join('; ')})`);
      const msg = `refusing to remove ${wt.name}: it has ${parts.join(' and ')} — merge or commit first, or use --force (a forced removal still keeps it all under ${REMOVED_PREFIX}${wt.name}/)`;
      this.sup.record({ actor, action: 'worktree.rm', target: wt.name, details: { unmerged: check.unmerged.length, changes: check.changes.length }, outcome: 'refused', error: msg });
      throw new FlowerError('would-lose-work', msg);
    }
    // Agents first, gracefully: they may be writing into the worktree.
    for (const id of check.agents) await this.sup.removeAgent(id, actor).catch(() => {});
    const rec = this.sup.stateWorktrees()[wt.name];
    let branchDeleted = false;
    let saved: Awaited<ReturnType<typeof saveBeforeRemoval>> = null;
    try {
      // Nothing becomes unrecoverable: the tip and any uncommitted work are kept under a ref first.
      saved = await saveBeforeRemoval(this.sup.repo.mainRoot, wt.name, wt.prunable ? null : wt.path);
      if (!wt.prunable) await removeWorktree(this.sup.repo.mainRoot, { path: wt.path, force });
      if (rec?.lane === 'ephemeral' && wt.branch) {
        // Merged by content (squash) is not merged by ancestry: -d would refuse what is safe (and saved).
        await deleteBranch(this.sup.repo.mainRoot, wt.branch, force || check.unmerged.length === 0);
        branchDeleted = true;
      }
    } catch (e) {
      this.sup.record({ actor, action: 'worktree.rm', target: wt.name, outcome: 'error', error: describeError(e) });
      throw e;
    }
    this.forgotten(wt.name);
    this.sup.forgetLane(wt.name);
    this.sup.record({ actor, action: 'worktree.rm', target: wt.name, details: { path: wt.path, branch: wt.branch, branchDeleted, forced: force, agentsStopped: check.agents, saved: saved?.ref ?? null, snapshot: saved?.snapshot ?? false }, outcome: 'ok' });
    await this.sup.refreshGit();
    return { ...check, branchDeleted, saved: saved?.ref ?? null };
  }
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { allChanges, gitStatus, headSha } from './merge-git.js';

/**
 * Bringing a lane up to date with MAIN, in the lane's own worktree: a rebase onto MAIN's tip or a
 * merge of it (`merge.update`). Only a clean lane is touched (nothing uncommitted can be lost), and a
 * conflict aborts the update, so the worktree is exactly as before — HEAD, index and files. MAIN is
 * never touched: git runs only in the lane.
 */

export type UpdateMode = 'rebase' | 'merge';

export interface UpdateResult {
  outcome: 'updated' | 'up-to-date' | 'dirty' | 'conflict' | 'failed';
  /** One line for the operator, the trace and the queue. */
  message: string;
  before: string;
  after: string;
  conflicts: string[];
}

/** git for updates: no editor, no prompt, stable messages. */
function run(dir: string, args: string[]) {
  return gitStatus(dir, ['-c', 'core.editor=true', '-c', 'rebase.autoStash=false', '-c', 'merge.autoStash=false', ...args]);
}

async function gitPath(dir: string, name: string): Promise<string> {
  return path.resolve(dir, (await gitStatus(dir, ['rev-parse', '--git-path', name])).stdout.trim());
}

/** A rebase or merge left half-done in the lane (a crash in the middle of an update). */
export async function updateInProgress(dir: string): Promise<'rebase' | 'merge' | null> {
  if (existsSync(await gitPath(dir, 'rebase-merge')) || existsSync(await gitPath(dir, 'rebase-apply'))) return 'rebase';
  if (existsSync(await gitPath(dir, 'MERGE_HEAD'))) return 'merge';
  return null;
}

/** Abort a half-done update (after a crash): the lane back on its own commits. */
export async function abortUpdate(dir: string): Promise<'rebase' | 'merge' | null> {
  const what = await updateInProgress(dir);
  if (what === 'rebase') await run(dir, ['rebase', '--abort']);
  else if (what === 'merge') await run(dir, ['merge', '--abort']);
  return what;
}

export async function updateLane(opts: { lane: string; dir: string; mainRef: string; mainName: string; mode: UpdateMode }): Promise<UpdateResult> {
  const { dir, mode } = opts;
  const before = await headSha(dir);
  const base = { before, after: before, conflicts: [] as string[] };
  const changes = await allChanges(dir);
  if (changes.length) {
    return { ...base, outcome: 'dirty', message: `uncommitted changes (${changes.map((l) => l.slice(3)).slice(0, 5).join(', ')}${changes.length > 5 ? ', …' : ''}): commit them, then update` };
  }
  if (await updateInProgress(dir)) return { ...base, outcome: 'dirty', message: 'a rebase or merge is in progress in the lane: finish or abort it first' };
  const main = (await gitStatus(dir, ['rev-parse', '--verify', '--quiet', `${opts.mainRef}^{commit}`])).stdout.trim();
  if (!main) return { ...base, outcome: 'failed', message: `no such commit: ${opts.mainRef}` };
  // MAIN already in the lane's history: nothing to bring in.
  if ((await gitStatus(dir, ['merge-base', '--is-ancestor', main, 'HEAD'])).code === 0) {
    return { ...base, outcome: 'up-to-date', message: `${opts.lane} already has ${opts.mainName} (${main.slice(0, 7)})` };
  }
  const r =
    mode === 'rebase'
      ? await run(dir, ['rebase', '--no-autosquash', main])
      : await run(dir, ['merge', '--no-ff', '--no-edit', '-m', `Merge ${opts.mainName} (${main.slice(0, 7)}) into ${opts.lane} via flower-tui`, main]);
  if (r.code === 0) {
    const after = await headSha(dir);
    return { ...base, after, outcome: 'updated', message: `${mode === 'rebase' ? 'rebased onto' : 'merged'} ${opts.mainName} ${main.slice(0, 7)}: ${before.slice(0, 7)} → ${after.slice(0, 7)}` };
  }
  const conflicts = (await gitStatus(dir, ['diff', '--name-only', '--diff-filter=U'])).stdout.split('\n').filter(Boolean);
  // Back to exactly where it was: abort, then make sure HEAD is the old commit (a clean tree was required).
  await abortUpdate(dir);
  if ((await headSha(dir)) !== before || (await allChanges(dir)).length) await run(dir, ['reset', '--hard', before]);
  const why = (r.stderr || r.stdout).split('\n').map((l) => l.trim()).filter((l) => l && !/^hint:/.test(l))[0] ?? 'git failed';
  if (conflicts.length) {
    return { ...base, outcome: 'conflict', conflicts: [...new Set(conflicts)], message: `conflict with ${opts.mainName} in ${[...new Set(conflicts)].join(', ')}: ${mode} aborted, the lane is as it was` };
  }
  return { ...base, outcome: 'failed', message: `${mode} failed: ${why.slice(0, 200)} — aborted, the lane is as it was` };
}

/** The message a lane's agents get when their update conflicts (sent the way `send` sends). */
export function conflictMessage(lane: string, mainName: string, mode: UpdateMode, conflicts: string[]): string {
  return `flower-tui: ${lane} could not be updated onto ${mainName}: ${mode === 'rebase' ? 'rebasing' : 'merging'} it conflicts in ${conflicts.join(', ')}. Nothing was changed (the ${mode} was aborted). Please ${mode === 'rebase' ? `rebase onto ${mainName}` : `merge ${mainName} into this branch`}, resolve the conflicts in those files, commit, and then run flower-tui ready.`;
}

import type { MergePreview } from './merge-preview.js';

/**
 * Why a previewed merge cannot run, with what to do about it (short: the cockpit's merge dialog has
 * one line for it; the CLI's refusal says the same). Null when nothing stands in the way. Pure.
 */
export function mergeBlocker(p: MergePreview): string | null {
  if (p.dirtyMain.length) return 'MAIN has uncommitted changes';
  if (p.commits.length === 0) return `nothing to merge (no commits ahead of ${p.mainBranch})`;
  if (p.conflicts?.length) return `merge ${p.mainBranch} into ${p.worktree} and resolve the conflicts there`;
  if (p.strategy === 'ff-only' && !p.ffPossible) return `ff-only and ${p.mainBranch} moved: rebase ${p.worktree} on ${p.mainBranch}`;
  return null;
}

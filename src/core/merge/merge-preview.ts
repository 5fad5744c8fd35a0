import picomatch from 'picomatch';
import { FlowerError } from '../../shared/errors.js';
import { allChanges, commitsBetween, diffStat, mergeBase, predictConflicts, revParse, trackedChanges } from './merge-git.js';

export interface FlaggedPaths {
  pattern: string;
  message: string;
  files: string[];
}

export interface MergePreview {
  worktree: string;
  branch: string;
  branchSha: string;
  mainBranch: string;
  mainSha: string;
  /** Commits the merge brings ("sha subject", oldest first). */
  commits: string[];
  stat: string;
  files: { status: string; path: string }[];
  /** MAIN has commits the branch does not (the branch forked from an older MAIN). */
  mainMoved: boolean;
  behind: number;
  /** Predicted conflicts (empty: none); null when this git cannot predict. */
  conflicts: string[] | null;
  flagged: FlaggedPaths[];
  /** Blockers the pipeline will refuse on. */
  dirtyMain: string[];
  dirtyWorktree: string[];
  strategy: 'ff-only' | 'no-ff' | 'squash';
  /** ff-only is impossible when MAIN moved. */
  ffPossible: boolean;
}

/** Which changed files each flagged pattern catches (e.g. migrations to run by hand). Pure. */
export function flagPaths(files: string[], flagged: { pattern: string; message: string }[]): FlaggedPaths[] {
  return flagged
    .map((f) => {
      const isMatch = picomatch(f.pattern, { dot: true });
      return { ...f, files: files.filter((p) => isMatch(p)) };
    })
    .filter((f) => f.files.length > 0);
}

export async function previewMerge(opts: {
  mainRoot: string;
  mainBranch: string | null;
  worktree: { name: string; path: string; branch: string | null };
  strategy: MergePreview['strategy'];
  flagged: { pattern: string; message: string }[];
  /** A lane on another host: its uncommitted changes there, as its host reported them (no worktree here to read). */
  dirtyWorktree?: string[];
}): Promise<MergePreview> {
  const { mainRoot, worktree } = opts;
  if (!opts.mainBranch) throw new FlowerError('merge-failed', 'MAIN is on a detached HEAD: check out its branch first');
  if (!worktree.branch) throw new FlowerError('merge-failed', `${worktree.name} is on a detached HEAD: nothing to merge by name`);
  const mainSha = await revParse(mainRoot, opts.mainBranch);
  const branchSha = await revParse(mainRoot, worktree.branch);
  const base = await mergeBase(mainRoot, mainSha, branchSha);
  const [commits, behindList, diff, prediction, dirtyMain, dirtyWorktree] = await Promise.all([
    commitsBetween(mainRoot, mainSha, branchSha),
    commitsBetween(mainRoot, branchSha, mainSha),
    diffStat(mainRoot, base, branchSha),
    predictConflicts(mainRoot, mainSha, branchSha),
    trackedChanges(mainRoot),
    opts.dirtyWorktree ?? allChanges(worktree.path),
  ]);
  return {
    worktree: worktree.name,
    branch: worktree.branch,
    branchSha,
    mainBranch: opts.mainBranch,
    mainSha,
    commits,
    stat: diff.stat,
    files: diff.files,
    mainMoved: base !== mainSha,
    behind: behindList.length,
    conflicts: prediction.conflicts,
    flagged: flagPaths(diff.files.map((f) => f.path), opts.flagged),
    dirtyMain,
    dirtyWorktree,
    strategy: opts.strategy,
    ffPossible: base === mainSha,
  };
}

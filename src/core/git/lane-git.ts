import { existsSync } from 'node:fs';
import { simpleGit, type SimpleGit } from 'simple-git';
import { FlowerError, describeError } from '../../shared/errors.js';
import { checkName } from '../agents/names.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';

/**
 * The git operations behind lanes. Every call passes arguments as an array (simple-git → execFile):
 * a branch name never reaches a shell. Errors git reports become one-line FlowerErrors.
 */
function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, trimmed: false });
}

/**
 * Check a lane name (a safe subset of what git allows, so it also makes a good directory name: see
 * core/agents/names.ts), then the branch it makes, with git's own rules (`check-ref-format --branch`).
 */
export async function validateLaneName(mainRoot: string, name: string, branch: string): Promise<void> {
  checkName('worktree', name);
  try {
    await git(mainRoot).raw(['check-ref-format', '--branch', branch]);
  } catch {
    throw new FlowerError('bad-usage', `invalid branch name "${cleanForTerminal(branch)}" (git check-ref-format refuses it)`);
  }
}

export async function branchExists(mainRoot: string, branch: string): Promise<boolean> {
  // Output, not exit status: simple-git does not reject a failing command that printed nothing.
  const out = await git(mainRoot).raw(['for-each-ref', '--format=%(refname)', `refs/heads/${branch}`]);
  return out.trim() === `refs/heads/${branch}`;
}

export async function resolveCommit(mainRoot: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new FlowerError('bad-usage', `invalid base "${ref}"`);
  let sha = '';
  try {
    sha = (await git(mainRoot).raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    /* reported below */
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new FlowerError('bad-usage', `no such commit or branch: ${ref}`);
  return sha;
}

/** `git worktree add -b <branch> <path> <base>`, with the clear errors a user needs first. */
export async function addWorktree(mainRoot: string, opts: { branch: string; path: string; base: string }): Promise<void> {
  if (await branchExists(mainRoot, opts.branch)) throw new FlowerError('bad-usage', `branch "${opts.branch}" already exists (choose another name, or remove the old lane)`);
  if (existsSync(opts.path)) throw new FlowerError('bad-usage', `path already exists: ${opts.path}`);
  try {
    await git(mainRoot).raw(['worktree', 'add', '--quiet', '-b', opts.branch, '--', opts.path, opts.base]);
  } catch (e) {
    throw new FlowerError('git-failed', `git worktree add failed: ${describeError(e).replace(/^fatal: /, '')}`);
  }
}

/** Commits on `branch` that `main` does not have (oldest first), as "sha subject". */
export async function unmergedCommits(mainRoot: string, mainBranch: string, branch: string): Promise<string[]> {
  const out = await git(mainRoot).raw(['log', '--reverse', '--format=%h %s', `${mainBranch}..${branch}`, '--']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

/** `git status --porcelain` lines of a worktree (tracked changes and untracked files). */
export async function uncommittedChanges(worktreePath: string): Promise<string[]> {
  // Read-only (no index refresh): the git watcher must not see its own reads as a change.
  const out = await git(worktreePath).raw(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=normal']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

/** Commits ahead of and behind MAIN's branch. */
/**
 * Commits the lane has that MAIN lacks (ahead), and MAIN's that the lane lacks (behind). Behind counts
 * no merge commits: after a no-ff merge of the lane, MAIN's merge commit alone brings the lane nothing
 * (it would show `↓1` on every merged lane); other lanes' merged commits still count.
 */
export async function aheadBehind(mainRoot: string, mainBranch: string, branch: string): Promise<{ ahead: number; behind: number }> {
  const g = git(mainRoot);
  const [ahead, behind] = await Promise.all([
    g.raw(['rev-list', '--count', `${mainBranch}..${branch}`, '--']),
    g.raw(['rev-list', '--count', '--no-merges', `${branch}..${mainBranch}`, '--']),
  ]);
  return { ahead: Number(ahead.trim()) || 0, behind: Number(behind.trim()) || 0 };
}

export async function removeWorktree(mainRoot: string, opts: { path: string; force: boolean }): Promise<void> {
  try {
    await git(mainRoot).raw(['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), '--', opts.path]);
  } catch (e) {
    const msg = describeError(e).replace(/^fatal: /, '');
    if (/locked/.test(msg)) throw new FlowerError('git-failed', `worktree ${opts.path} is locked (git worktree unlock it first, or --force)`);
    throw new FlowerError('git-failed', `git worktree remove failed: ${msg}`);
  }
}

export async function deleteBranch(mainRoot: string, branch: string, force: boolean): Promise<void> {
  try {
    await git(mainRoot).raw(['branch', force ? '-D' : '-d', '--', branch]);
  } catch (e) {
    throw new FlowerError('git-failed', `could not delete branch ${branch}: ${describeError(e).replace(/^(fatal|error): /, '')}`);
  }
}

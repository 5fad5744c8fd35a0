import { simpleGit, type SimpleGit } from 'simple-git';
import { loadExeca } from './lazy-execa.js';
import { FlowerError } from '../../shared/errors.js';

/** git for the merge pipeline: argument arrays only; errors become one line. */
export function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, trimmed: false });
}

export async function headSha(dir: string): Promise<string> {
  return (await git(dir).raw(['rev-parse', 'HEAD'])).trim();
}

export async function revParse(dir: string, ref: string): Promise<string> {
  const sha = (await git(dir).raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new FlowerError('bad-usage', `no such commit or branch: ${ref}`);
  return sha;
}

/** Tracked changes only (MAIN may hold ignored or untracked build output; the merge cannot touch it). */
export async function trackedChanges(dir: string): Promise<string[]> {
  return (await git(dir).raw(['status', '--porcelain', '--untracked-files=no'])).split('\n').filter((l) => l.trim());
}

export async function allChanges(dir: string): Promise<string[]> {
  return (await git(dir).raw(['status', '--porcelain', '--untracked-files=normal'])).split('\n').filter((l) => l.trim());
}

export async function commitsBetween(dir: string, from: string, to: string): Promise<string[]> {
  return (await git(dir).raw(['log', '--reverse', '--format=%h %s', `${from}..${to}`, '--'])).split('\n').filter((l) => l.trim());
}

export async function mergeBase(dir: string, a: string, b: string): Promise<string> {
  return (await git(dir).raw(['merge-base', a, b])).trim();
}

/**
 * git where the exit status is the answer (merge-tree, merge): simple-git resolves a failing command
 * that wrote nothing to stderr, so these go through execa, still as argument arrays.
 */
export async function gitStatus(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const execa = await loadExeca();
  const r = await execa('git', args, { cwd: dir, reject: false, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/**
 * Would merging `theirs` into `ours` conflict? `git merge-tree --write-tree` (git ≥ 2.38) answers
 * without touching any worktree or index: exit 1 and the conflicted paths when it would.
 */
export async function predictConflicts(dir: string, ours: string, theirs: string): Promise<{ conflicts: string[] | null; supported: boolean }> {
  const r = await gitStatus(dir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs]);
  if (r.code === 0) return { conflicts: [], supported: true };
  if (r.code === 1) {
    // First line: the tree; then the conflicted paths.
    const paths = r.stdout.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
    return { conflicts: [...new Set(paths)], supported: true };
  }
  return { conflicts: null, supported: false };
}

export async function diffStat(dir: string, from: string, to: string): Promise<{ stat: string; files: { status: string; path: string }[] }> {
  const stat = await git(dir).raw(['diff', '--stat=100', from, to, '--']);
  const names = await git(dir).raw(['diff', '--name-status', from, to, '--']);
  const files = names
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [status, ...rest] = l.split('\t');
      return { status: status ?? '?', path: rest[rest.length - 1] ?? '' };
    });
  return { stat, files };
}

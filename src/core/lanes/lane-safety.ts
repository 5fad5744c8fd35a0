import { mkdtempSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';

const execFileP = promisify(execFile);
import { FlowerError, describeError } from '../../shared/errors.js';

/**
 * What removing a lane could lose, and the safety net under every removal. Git always with argument
 * arrays. "Merged" means the lane's changes are in MAIN, however they got there: by ancestry (a
 * merge or fast-forward), by patch id (rebased or cherry-picked), or by content (squash-merged:
 * merging the branch into MAIN now would change nothing).
 */
const git = (dir: string) => simpleGit({ baseDir: dir, trimmed: false });

/** git with a private index (GIT_INDEX_FILE): execFile, since simple-git guards env variables. */
async function gitWithIndex(dir: string, index: string, args: string[]): Promise<string> {
  const { stdout } = await execFileP('git', args, { cwd: dir, env: { ...process.env, GIT_INDEX_FILE: index }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export const REMOVED_PREFIX = 'refs/flower/removed/';

/** Commits of `branch` whose changes MAIN does not have; [] when the branch is merged in any way. */
export async function commitsNotInMain(mainRoot: string, mainBranch: string, branch: string): Promise<string[]> {
  const g = git(mainRoot);
  const ahead = (await g.raw(['log', '--reverse', '--format=%H %h %s', `${mainBranch}..${branch}`, '--']))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ full: l.slice(0, l.indexOf(' ')), line: l.slice(l.indexOf(' ') + 1) }));
  if (!ahead.length) return [];
  // Squash-merged (or merged with conflicts resolved the same way): a merge would leave MAIN's tree as it is.
  try {
    const merged = (await g.raw(['merge-tree', '--write-tree', mainBranch, branch])).split('\n')[0]!.trim();
    const mainTree = (await g.raw(['rev-parse', `${mainBranch}^{tree}`])).trim();
    if (merged === mainTree) return [];
  } catch {
    /* a conflicting merge-tree exits non-zero: not merged by content */
  }
  // Rebased or cherry-picked: `git cherry` marks commits whose patch is already upstream with "-".
  const notUpstream = new Set((await g.raw(['cherry', mainBranch, branch])).split('\n').filter((l) => l.startsWith('+ ')).map((l) => l.slice(2).trim()));
  return ahead.filter((c) => notUpstream.has(c.full)).map((c) => c.line);
}

/** Stashes made on the lane's branch ("stash@{0} On feature: msg"): they would be orphaned by the removal. */
export async function stashesOf(mainRoot: string, branch: string): Promise<string[]> {
  const out = await git(mainRoot).raw(['stash', 'list', '--format=%gd %gs']).catch(() => '');
  return out.split('\n').filter((l) => new RegExp(`^stash@\\{\\d+\\} (WIP on|On) ${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`).test(l));
}

/**
 * Save the lane's branch tip and, when the worktree has uncommitted or untracked work, a snapshot
 * commit of it (parent: the tip) under refs/flower/removed/<lane>/<time>. Uses a private index: the
 * lane's own index and files are not touched. Returns the ref and what it points at.
 */
export async function saveBeforeRemoval(mainRoot: string, lane: string, worktreePath: string | null, now = new Date()): Promise<{ ref: string; sha: string; snapshot: boolean } | null> {
  const ref = `${REMOVED_PREFIX}${lane}/${now.toISOString().replace(/[:.]/g, '-')}`;
  const wt = worktreePath && existsSync(worktreePath) ? worktreePath : null;
  if (!wt) return null;
  const g = git(wt);
  const head = (await g.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim();
  if (!head) return null;
  let sha = head;
  let snapshot = false;
  const dirty = (await g.raw(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=all'])).trim() !== '';
  if (dirty) {
    const dir = mkdtempSync(path.join(tmpdir(), 'flower-removed-'));
    try {
      const index = path.join(dir, 'index');
      const own = (await g.raw(['rev-parse', '--path-format=absolute', '--git-path', 'index'])).trim();
      if (existsSync(own)) copyFileSync(own, index);
      await gitWithIndex(wt, index, ['add', '-A', '--', '.']);
      const tree = (await gitWithIndex(wt, index, ['write-tree'])).trim();
      sha = (await g.raw(['commit-tree', tree, '-p', head, '-m', `flower-tui: uncommitted work of ${lane} when it was removed`])).trim();
      snapshot = true;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await git(mainRoot).raw(['update-ref', '-m', `flower-tui: ${lane} removed`, ref, sha]);
  return { ref, sha, snapshot };
}

export interface RemovedLane {
  ref: string;
  lane: string;
  at: string;
  sha: string;
  subject: string;
}

/** Every saved removal, newest first. */
export async function listRemoved(mainRoot: string): Promise<RemovedLane[]> {
  const out = await git(mainRoot).raw(['for-each-ref', '--sort=-refname', '--format=%(refname)%09%(objectname)%09%(subject)', REMOVED_PREFIX]);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [ref, sha, subject] = l.split('\t') as [string, string, string];
      const rest = ref.slice(REMOVED_PREFIX.length);
      const cut = rest.lastIndexOf('/');
      return { ref, lane: rest.slice(0, cut), at: rest.slice(cut + 1), sha, subject };
    });
}

/**
 * Bring a removed lane back: a worktree on a new branch at the saved tip, with the snapshot's
 * uncommitted work checked out into it (staged), exactly the files it had.
 */
export async function restoreRemoved(mainRoot: string, saved: RemovedLane, opts: { branch: string; path: string }): Promise<void> {
  const g = git(mainRoot);
  const isSnapshot = saved.subject.startsWith('flower-tui: uncommitted work of ');
  const tip = isSnapshot ? (await g.raw(['rev-parse', `${saved.sha}^`])).trim() : saved.sha;
  try {
    await g.raw(['worktree', 'add', '-b', opts.branch, '--', opts.path, tip]);
    if (isSnapshot) await git(opts.path).raw(['checkout', saved.sha, '--', '.']);
  } catch (e) {
    throw new FlowerError('git-failed', `could not restore ${saved.lane}: ${describeError(e).replace(/^(fatal|error): /, '')}`);
  }
}

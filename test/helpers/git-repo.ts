// Integration-test helper: real git repositories in temp dirs. Every git call is an argv array
// (execFileSync, no shell), so a path or branch name can never be re-interpreted by a shell.
//
//   const r = makeRepo({ worktrees: ['feature-a', 'b'], detached: ['det'] });
//   try { ... r.mainRoot, r.worktreePaths['feature-a'] ... } finally { r.cleanup(); }
//
// Layout:  <dir>/repo            MAIN, branch main, 2 commits
//          <dir>/repo-<name>     linked worktree on branch <name>
//          <dir>/repo-<name>     (detached) linked worktree at HEAD with no branch
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The environment git runs with here: no user or system config (a developer's hooks, signing or
 * init.defaultBranch must not change what a test means), fixed identity, no prompts.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Flower Test',
    GIT_AUTHOR_EMAIL: 'test@flower.invalid',
    GIT_COMMITTER_NAME: 'Flower Test',
    GIT_COMMITTER_EMAIL: 'test@flower.invalid',
  };
}

/** Run git with an argv array in `cwd`; returns stdout. Throws (with git's stderr) on failure. */
export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh, realpath'd temp dir (realpath: on some systems /tmp is a symlink, and git reports real paths). */
export function makeTempDir(prefix = 'flower-it-'): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export interface TestRepo {
  /** The temp dir holding MAIN and every worktree. */
  dir: string;
  /** MAIN's working tree: `<dir>/repo`. */
  mainRoot: string;
  /** `<dir>/repo/.git` */
  commonDir: string;
  /** Linked worktrees by name (branch lanes and detached ones alike). */
  worktreePaths: Record<string, string>;
  /** Subjects of MAIN's commits, oldest first. */
  subjects: string[];
  git(args: string[], cwd?: string): string;
  cleanup(): void;
}

export interface MakeRepoOptions {
  /** Linked worktrees on new branches of the same name, at `<dir>/repo-<name>`. */
  worktrees?: string[];
  /** Linked worktrees on a detached HEAD (no branch), at `<dir>/repo-<name>`. */
  detached?: string[];
}

function initRepo(root: string): void {
  mkdirSync(root, { recursive: true });
  git(root, ['init', '--quiet', '--initial-branch=main', root]);
  // Local identity too, so anything that runs git without our env (the code under test) can commit.
  git(root, ['config', 'user.name', 'Flower Test']);
  git(root, ['config', 'user.email', 'test@flower.invalid']);
  git(root, ['config', 'commit.gpgsign', 'false']);
}

/** MAIN on branch main with 2 commits, plus the requested linked worktrees. */
export function makeRepo(opts: MakeRepoOptions = {}): TestRepo {
  const dir = makeTempDir();
  const mainRoot = path.join(dir, 'repo');
  initRepo(mainRoot);
  writeFileSync(path.join(mainRoot, 'README.md'), '# test repo\n');
  git(mainRoot, ['add', 'README.md']);
  git(mainRoot, ['commit', '--quiet', '-m', 'Initial commit']);
  writeFileSync(path.join(mainRoot, 'app.txt'), 'version 1\n');
  git(mainRoot, ['add', 'app.txt']);
  git(mainRoot, ['commit', '--quiet', '-m', 'Add app']);

  const worktreePaths: Record<string, string> = {};
  for (const name of opts.worktrees ?? []) {
    const p = path.join(dir, `repo-${name}`);
    git(mainRoot, ['worktree', 'add', '--quiet', '-b', name, p]);
    worktreePaths[name] = p;
  }
  for (const name of opts.detached ?? []) {
    const p = path.join(dir, `repo-${name}`);
    git(mainRoot, ['worktree', 'add', '--quiet', '--detach', p, 'HEAD']);
    worktreePaths[name] = p;
  }
  return {
    dir,
    mainRoot,
    commonDir: path.join(mainRoot, '.git'),
    worktreePaths,
    subjects: ['Initial commit', 'Add app'],
    git: (args, cwd = mainRoot) => git(cwd, args),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A repository with no commits at all (HEAD is an unborn branch). */
export function makeEmptyRepo(): { dir: string; mainRoot: string; cleanup(): void } {
  const dir = makeTempDir();
  const mainRoot = path.join(dir, 'repo');
  initRepo(mainRoot);
  return { dir, mainRoot, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A bare repository (no working tree, so no MAIN). */
export function makeBareRepo(): { dir: string; bareDir: string; cleanup(): void } {
  const dir = makeTempDir();
  const bareDir = path.join(dir, 'repo.git');
  git(dir, ['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
  return { dir, bareDir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The commit `ref` names in `dir`. */
export function head(dir: string, ref = 'HEAD'): string {
  return git(dir, ['rev-parse', ref]).trim();
}

/** Write files (path → content) in `dir`, add them and commit; returns the new commit. */
export function commitFiles(dir: string, files: Record<string, string>, message: string): string {
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), content);
  }
  git(dir, ['add', '--', ...Object.keys(files)]);
  git(dir, ['commit', '--quiet', '-m', message]);
  return head(dir);
}

/** Every file under `dir` (not .git), path, mode and bytes, as one hash: "the working tree, byte for byte". */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel)).sort()) {
      if (rel === '' && e === '.git') continue;
      const r = rel ? `${rel}/${e}` : e;
      const st = statSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else h.update(`${r}\0${st.mode & 0o777}\0`).update(readFileSync(path.join(dir, r))).update('\0');
    }
  };
  walk('');
  return h.digest('hex');
}

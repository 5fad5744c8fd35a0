// src/core/git/repo.ts against real repositories: where MAIN is, what the worktrees are called,
// and what MAIN's pane shows. No mocks of git: every fixture repo is made with the git binary.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { locateRepo, listWorktrees, readMainStatus } from '../../src/core/git/repo.js';
import { FlowerError } from '../../src/shared/errors.js';
import { git, makeBareRepo, makeEmptyRepo, makeRepo, makeTempDir } from '../helpers/git-repo.js';

const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups) c();
});

function isFlowerErrorWith(code: string, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof FlowerError, `expected a FlowerError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), `message should be one line: ${JSON.stringify(e.message)}`);
    return true;
  };
}

describe('locateRepo', () => {
  const repo = makeRepo({ worktrees: ['feature-a', 'b'], detached: ['det'] });
  cleanups.push(repo.cleanup);
  const expected = { mainRoot: repo.mainRoot, commonDir: repo.commonDir };

  test('from MAIN returns MAIN root and the common dir', async () => {
    assert.deepEqual(await locateRepo(repo.mainRoot), expected);
  });

  test('from inside a linked worktree returns MAIN, not the worktree', async () => {
    assert.deepEqual(await locateRepo(repo.worktreePaths['feature-a']!), expected);
    assert.deepEqual(await locateRepo(repo.worktreePaths['b']!), expected);
  });

  test('from a detached worktree returns MAIN', async () => {
    assert.deepEqual(await locateRepo(repo.worktreePaths['det']!), expected);
  });

  test('from a subdirectory of MAIN or of a worktree returns MAIN', async () => {
    const sub = path.join(repo.mainRoot, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    const wsub = path.join(repo.worktreePaths['feature-a']!, 'lib');
    mkdirSync(wsub, { recursive: true });
    try {
      assert.deepEqual(await locateRepo(sub), expected);
      assert.deepEqual(await locateRepo(wsub), expected);
    } finally {
      rmSync(path.join(repo.mainRoot, 'src'), { recursive: true, force: true });
      rmSync(wsub, { recursive: true, force: true });
    }
  });

  test('through a symlink returns realpaths', async () => {
    const link = path.join(makeTempDir(), 'link-to-worktree');
    cleanups.push(() => rmSync(path.dirname(link), { recursive: true, force: true }));
    symlinkSync(repo.worktreePaths['b']!, link);
    assert.deepEqual(await locateRepo(link), expected);
  });

  test('a directory outside any repository → not-a-repo', async () => {
    const dir = makeTempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(locateRepo(dir), isFlowerErrorWith('not-a-repo', /not a git repository/));
  });

  test('a path that does not exist, or a file → not-a-repo', async () => {
    await assert.rejects(locateRepo(path.join(repo.dir, 'no-such-dir')), isFlowerErrorWith('not-a-repo', /not a directory/));
    await assert.rejects(locateRepo(path.join(repo.mainRoot, 'README.md')), isFlowerErrorWith('not-a-repo', /not a directory/));
  });

  test('a bare repository → not-a-repo saying it is bare', async () => {
    const bare = makeBareRepo();
    cleanups.push(bare.cleanup);
    await assert.rejects(locateRepo(bare.bareDir), isFlowerErrorWith('not-a-repo', /bare repository.*no MAIN/));
  });

  test('a linked worktree of a bare repository → not-a-repo (there is no MAIN checkout)', async () => {
    const bare = makeBareRepo();
    cleanups.push(bare.cleanup);
    // Give the bare repo a commit through a scratch clone, then add a worktree from it.
    const scratch = path.join(bare.dir, 'scratch');
    git(bare.dir, ['clone', '--quiet', bare.bareDir, scratch]);
    writeFileSync(path.join(scratch, 'f.txt'), 'x\n');
    git(scratch, ['add', 'f.txt']);
    git(scratch, ['commit', '--quiet', '-m', 'c1']);
    git(scratch, ['push', '--quiet', 'origin', 'HEAD:main']);
    const wt = path.join(bare.dir, 'wt');
    git(bare.bareDir, ['worktree', 'add', '--quiet', wt, 'main']);
    await assert.rejects(locateRepo(wt), isFlowerErrorWith('not-a-repo', /bare repository/));
  });

  test('a repository without commits is located', async () => {
    const empty = makeEmptyRepo();
    cleanups.push(empty.cleanup);
    assert.deepEqual(await locateRepo(empty.mainRoot), { mainRoot: empty.mainRoot, commonDir: path.join(empty.mainRoot, '.git') });
  });
});

describe('listWorktrees', () => {
  test('MAIN first named MAIN, lanes named by branch, detached named by directory', async () => {
    const repo = makeRepo({ worktrees: ['feature-a', 'b'], detached: ['det'] });
    cleanups.push(repo.cleanup);
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const list = await listWorktrees(await locateRepo(repo.mainRoot));
    const shape = (w: (typeof list)[number]) => ({ name: w.name, path: w.path, branch: w.branch, isMain: w.isMain });
    assert.deepEqual(shape(list[0]!), { name: 'MAIN', path: repo.mainRoot, branch: 'main', isMain: true });
    // Linked worktrees come in git's order (by admin dir name), which is not creation order.
    assert.deepEqual(
      list.slice(1).map(shape).sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'b', path: repo.worktreePaths['b'], branch: 'b', isMain: false },
        { name: 'feature-a', path: repo.worktreePaths['feature-a'], branch: 'feature-a', isMain: false },
        { name: 'repo-det', path: repo.worktreePaths['det'], branch: null, isMain: false },
      ],
    );
    for (const w of list) {
      assert.equal(w.head, head, `${w.name} head`);
      assert.equal(w.locked, false);
      assert.equal(w.prunable, false);
    }
  });

  test('the same list from inside a linked worktree', async () => {
    const repo = makeRepo({ worktrees: ['x'] });
    cleanups.push(repo.cleanup);
    const fromMain = await listWorktrees(await locateRepo(repo.mainRoot));
    const fromLane = await listWorktrees(await locateRepo(repo.worktreePaths['x']!));
    assert.deepEqual(fromLane, fromMain);
  });

  test('locked and prunable worktrees are reported as such', async () => {
    const repo = makeRepo({ worktrees: ['locked-lane', 'gone'] });
    cleanups.push(repo.cleanup);
    repo.git(['worktree', 'lock', '--reason', 'on a usb disk', repo.worktreePaths['locked-lane']!]);
    rmSync(repo.worktreePaths['gone']!, { recursive: true, force: true });
    const list = await listWorktrees(await locateRepo(repo.mainRoot));
    const byName = Object.fromEntries(list.map((w) => [w.name, w]));
    assert.equal(byName['locked-lane']?.locked, true);
    assert.equal(byName['locked-lane']?.prunable, false);
    assert.equal(byName['gone']?.prunable, true);
    assert.equal(byName['MAIN']?.locked, false);
  });

  test('a detached worktree whose directory has spaces keeps the whole name', async () => {
    const repo = makeRepo({ detached: ['my lane'] });
    cleanups.push(repo.cleanup);
    const list = await listWorktrees(await locateRepo(repo.mainRoot));
    assert.deepEqual(
      list.map((w) => [w.name, w.path]),
      [
        ['MAIN', repo.mainRoot],
        ['repo-my lane', repo.worktreePaths['my lane']],
      ],
    );
  });

  test('a repository without commits lists MAIN only', async () => {
    const empty = makeEmptyRepo();
    cleanups.push(empty.cleanup);
    const list = await listWorktrees(await locateRepo(empty.mainRoot));
    assert.equal(list.length, 1);
    assert.equal(list[0]?.name, 'MAIN');
    assert.equal(list[0]?.isMain, true);
    assert.equal(list[0]?.path, empty.mainRoot);
  });
});

describe('readMainStatus', () => {
  test('branch, short sha, subject, clean; then untracked and modified files are counted', async () => {
    const repo = makeRepo({ worktrees: ['lane'] });
    cleanups.push(repo.cleanup);
    const short = repo.git(['rev-parse', '--short', 'HEAD']).trim();
    assert.deepEqual(await readMainStatus(repo.mainRoot), { branch: 'main', headShort: short, subject: 'Add app', changes: 0, changed: [], error: null });

    writeFileSync(path.join(repo.mainRoot, 'untracked.txt'), 'new\n');
    assert.equal((await readMainStatus(repo.mainRoot)).changes, 1);

    appendFileSync(path.join(repo.mainRoot, 'app.txt'), 'edited\n');
    const st = await readMainStatus(repo.mainRoot);
    assert.equal(st.changes, 2);
    // The dirty alarm lists the files, porcelain style.
    assert.deepEqual([...st.changed].sort(), [' M app.txt', '?? untracked.txt']);
  });

  test('changes in a linked worktree do not count as MAIN changes', async () => {
    const repo = makeRepo({ worktrees: ['lane'] });
    cleanups.push(repo.cleanup);
    writeFileSync(path.join(repo.worktreePaths['lane']!, 'wip.txt'), 'wip\n');
    appendFileSync(path.join(repo.worktreePaths['lane']!, 'app.txt'), 'edited\n');
    assert.equal((await readMainStatus(repo.mainRoot)).changes, 0);
  });

  test('a subject with spaces and unicode is kept whole', async () => {
    const repo = makeRepo();
    cleanups.push(repo.cleanup);
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'Merge feature-x: naïve café ✓']);
    assert.equal((await readMainStatus(repo.mainRoot)).subject, 'Merge feature-x: naïve café ✓');
  });

  test('detached MAIN has no branch but a head', async () => {
    const repo = makeRepo();
    cleanups.push(repo.cleanup);
    repo.git(['checkout', '--quiet', '--detach', 'HEAD~1']);
    const s = await readMainStatus(repo.mainRoot);
    assert.equal(s.branch, null);
    assert.equal(s.headShort, repo.git(['rev-parse', '--short', 'HEAD']).trim());
    assert.equal(s.subject, 'Initial commit');
    assert.equal(s.error, null);
  });

  test('a repository without commits does not throw', async () => {
    const empty = makeEmptyRepo();
    cleanups.push(empty.cleanup);
    const s = await readMainStatus(empty.mainRoot);
    assert.deepEqual(s, { branch: 'main', headShort: null, subject: null, changes: 0, changed: [], error: null });
    writeFileSync(path.join(empty.mainRoot, 'first.txt'), '1\n');
    assert.equal((await readMainStatus(empty.mainRoot)).changes, 1);
  });

  test('a directory that is not a repository reports an error instead of throwing', async () => {
    const dir = makeTempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const s = await readMainStatus(dir);
    assert.equal(s.branch, null);
    assert.equal(s.changes, 0);
    assert.ok(s.error, 'error should be set');
  });
});

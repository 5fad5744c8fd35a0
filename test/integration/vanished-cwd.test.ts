/**
 * Started from a directory that no longer exists (a removed worktree, the shell's cwd deleted): one
 * line and exit 2, never node's stack trace; with an absolute --repo the command runs from there.
 * The built binary, started by a real shell whose cwd is removed under it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const cleanup = cleanupList();

test('a vanished current directory: one clear line (exit 2), or the --repo given', () => {
  const repo = removedAfterItsServer(makeRepo(), cleanup);
  const gone = path.join(repo.dir, 'gone');
  const fromGone = (args: string[]) =>
    spawnSync('sh', ['-c', 'mkdir "$1" && cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', gone, process.execPath, BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const r = fromGone(['status']);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, 'flower-tui: the current directory no longer exists: cd into your repository (or pass --repo with an absolute path)\n');
  const withRepo = fromGone(['worktree', 'ls', '--repo', repo.mainRoot]);
  assert.equal(withRepo.status, 0, withRepo.stderr);
  assert.match(withRepo.stdout, /MAIN/);
});

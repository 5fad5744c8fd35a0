import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo } from '../helpers/git-repo.js';
import { aheadBehind } from '../../src/core/git/lane-git.js';

const repo = makeRepo({ worktrees: ['feat', 'other'] });
after(() => repo.cleanup());

function commit(dir: string, file: string): void {
  writeFileSync(path.join(dir, file), `${file}\n`);
  git(dir, ['add', '--', file]);
  git(dir, ['commit', '--quiet', '-m', `Add ${file}`]);
}

test('after a no-ff merge the merged lane is not "↓1"; other lanes see the merged commits', async () => {
  commit(repo.worktreePaths.feat!, 'feature.txt');
  assert.deepEqual(await aheadBehind(repo.mainRoot, 'main', 'feat'), { ahead: 1, behind: 0 });
  git(repo.mainRoot, ['merge', '--no-ff', '--quiet', '-m', 'Merge feat', 'feat']);
  assert.deepEqual(await aheadBehind(repo.mainRoot, 'main', 'feat'), { ahead: 0, behind: 0 }, 'merged: nothing either way');
  assert.deepEqual(await aheadBehind(repo.mainRoot, 'main', 'other'), { ahead: 0, behind: 1 }, "the other lane lacks feat's commit");
});

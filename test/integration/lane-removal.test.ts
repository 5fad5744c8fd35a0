/**
 * Removing a lane never loses work (issue 18.4), through the built CLI with real git: squash- and
 * rebase-merged lanes count as merged; unmerged commits, uncommitted or untracked files and stashes
 * refuse the removal, listed; a forced removal keeps it all under refs/flower/removed/<lane>/<time>,
 * listed by `worktree removed` and brought back, uncommitted file included, by `worktree restore`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const onCleanup = cleanupList();

function repoWith(lanes: string[]): TestRepo {
  const repo = makeRepo({ worktrees: lanes });
  removedAfterItsServer(repo, onCleanup);
  return repo;
}

function commit(dir: string, file: string, text: string, msg: string): void {
  writeFileSync(path.join(dir, file), text);
  git(dir, ['add', file]);
  git(dir, ['commit', '-q', '-m', msg]);
}

describe('lane removal keeps every piece of work', () => {
  test('squash-merged and rebase-merged lanes are merged: removed without --force', () => {
    const repo = repoWith(['squashed', 'rebased']);
    commit(repo.worktreePaths.squashed!, 'a.txt', 'a\n', 'a one');
    commit(repo.worktreePaths.squashed!, 'b.txt', 'b\n', 'a two');
    git(repo.mainRoot, ['merge', '--squash', '-q', 'squashed']);
    git(repo.mainRoot, ['commit', '-q', '-m', 'squash of squashed']);
    commit(repo.worktreePaths.rebased!, 'c.txt', 'c\n', 'c one');
    git(repo.mainRoot, ['cherry-pick', 'rebased']); // MAIN moved meanwhile: a different commit, the same patch
    assert.notEqual(git(repo.mainRoot, ['rev-parse', 'HEAD']).trim(), git(repo.mainRoot, ['rev-parse', 'rebased']).trim());
    for (const lane of ['squashed', 'rebased']) {
      const r = cli(repo, ['worktree', 'rm', lane]);
      assert.equal(r.status, 0, `${lane}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^removed ${lane}`));
      assert.ok(!existsSync(repo.worktreePaths[lane]!));
    }
  });

  test('unmerged commits, changes, untracked files and stashes refuse; forced removal is restorable, uncommitted work included', () => {
    const repo = repoWith(['work']);
    const lane = repo.worktreePaths.work!;
    commit(lane, 'kept.txt', 'committed\n', 'not in MAIN');
    writeFileSync(path.join(lane, 'stashed.txt'), 'stash me\n');
    git(lane, ['add', 'stashed.txt']);
    git(lane, ['stash', 'push', '-q', '-m', 'half done']);
    writeFileSync(path.join(lane, 'app.txt'), 'edited, not committed\n');
    writeFileSync(path.join(lane, 'new.txt'), 'untracked\n');

    const refused = cli(repo, ['worktree', 'rm', 'work']);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /refusing to remove work: it has 1 commit not in MAIN \([0-9a-f]+ not in MAIN\) and 2 uncommitted changes \(app\.txt, new\.txt\) and 1 stash \(stash@\{0\} On work: half done\)/);
    assert.equal(refused.stderr.trim().split('\n').length, 1);
    assert.ok(existsSync(lane));

    const forced = cli(repo, ['worktree', 'rm', 'work', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /kept under refs\/flower\/removed\/work\/\S+ \(flower-tui worktree restore work brings it back\)/);
    assert.ok(!existsSync(lane));

    const listed = JSON.parse(cli(repo, ['worktree', 'removed', '--json']).stdout) as { removed: { lane: string; ref: string }[] };
    assert.deepEqual(listed.removed.map((r) => r.lane), ['work']);

    const restored = cli(repo, ['worktree', 'restore', 'work']);
    assert.equal(restored.status, 0, restored.stderr);
    // The old branch still exists (a standing lane keeps it), so the lane comes back as work-restored.
    assert.match(restored.stdout, /^restored work-restored: branch work-restored at /);
    const back = path.join(repo.dir, 'repo-work-restored');
    assert.equal(readFileSync(path.join(back, 'app.txt'), 'utf8'), 'edited, not committed\n');
    assert.equal(readFileSync(path.join(back, 'new.txt'), 'utf8'), 'untracked\n');
    assert.equal(readFileSync(path.join(back, 'kept.txt'), 'utf8'), 'committed\n');
    assert.match(git(back, ['log', '-1', '--format=%s']), /not in MAIN/);
    assert.match(git(back, ['status', '--porcelain']), /app\.txt/);
    const ls = JSON.parse(cli(repo, ['worktree', 'ls', '--json']).stdout) as { name: string }[] | { worktrees: { name: string }[] };
    const names = Array.isArray(ls) ? ls.map((w) => w.name) : ls.worktrees.map((w) => w.name);
    assert.ok(names.includes('work-restored'), names.join(','));
    // The stash is still there too: removal never drops stashes.
    assert.match(git(repo.mainRoot, ['stash', 'list']), /half done/);
  });
});

/**
 * Lanes kept current, through the built CLI and a real server with real git: `flower-tui update
 * LANE` rebases a clean lane whose agents are idle onto MAIN, refuses a dirty or busy one in one line,
 * aborts a conflicting one (the worktree byte-for-byte as before); `lanes.autoUpdate` does it by
 * itself for standing lanes after a merge, leaving the ones it must not touch as they were.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupList, cli, removedAfterItsServer } from '../helpers/cli.js';
import { git, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { readTrace } from '../../src/core/store/trace.js';

const onCleanup = cleanupList();

function commit(dir: string, file: string, content: string, message: string): string {
  writeFileSync(path.join(dir, file), content);
  git(dir, ['add', '--', file]);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

function state(dir: string) {
  const h = createHash('sha256');
  for (const e of readdirSync(dir).sort()) {
    if (e === '.git') continue;
    const st = statSync(path.join(dir, e));
    if (st.isFile()) h.update(`${e}\0${st.mode}\0`).update(readFileSync(path.join(dir, e))).update('\0');
  }
  const inProgress = ['rebase-merge', 'rebase-apply', 'MERGE_HEAD'].filter((p) => existsSync(path.resolve(dir, git(dir, ['rev-parse', '--git-path', p]).trim())));
  return { files: h.digest('hex'), head: git(dir, ['rev-parse', 'HEAD']).trim(), status: git(dir, ['status', '--porcelain', '--untracked-files=all']), inProgress };
}

const hasMain = (repo: TestRepo, lane: string) => spawnSync('git', ['merge-base', '--is-ancestor', 'main', lane], { cwd: repo.mainRoot }).status === 0;

describe('lanes kept current', () => {
  test('update LANE: clean and idle → rebased; dirty, busy → refused in one line; conflicting → aborted, as before; autoUpdate after a merge', async () => {
    const repo = removedAfterItsServer(makeRepo({ worktrees: ['src', 'up1', 'busy', 'dirty', 'clash', 'auto'] }), onCleanup);
    const config = path.join(repo.dir, 'flower.config.json');
    const write = (autoUpdate: boolean) =>
      writeFileSync(config, JSON.stringify({ monitor: { healthEveryMs: 0 }, restore: 'off', merge: { strategy: 'no-ff' }, lanes: { autoUpdate }, profiles: { quiet: { command: '/bin/sh', args: ['-c', 'exec cat > /dev/null'] } } }));
    write(false);
    const run = (args: string[]) => cli(repo, ['--config', config, ...args]);
    const p = repo.worktreePaths;
    for (const l of ['up1', 'busy', 'dirty', 'auto']) commit(p[l]!, `${l}.txt`, `${l}\n`, `Add ${l}`);
    commit(p.clash!, 'app.txt', 'the lane says\n', 'Lane rewrites app');
    writeFileSync(path.join(p.dirty!, 'dirty.txt'), 'work in progress\n');
    commit(p.src!, 'app.txt', 'MAIN says\n', 'Rewrite app');
    const m = run(['merge', 'src', '--yes']);
    assert.equal(m.status, 0, m.stderr);

    // Every other lane is behind MAIN now (what its header shows as "behind MAIN by 1").
    const st = JSON.parse(run(['status', '--json']).stdout) as { worktrees: { name: string; lane?: { behind: number | null } }[] };
    for (const l of ['up1', 'busy', 'dirty', 'clash', 'auto']) assert.equal(st.worktrees.find((w) => w.name === l)?.lane?.behind, 1, l);

    const up = run(['update', 'up1']);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stdout, /^rebased onto main [0-9a-f]{7}: [0-9a-f]{7} → [0-9a-f]{7}\n$/);
    assert.ok(hasMain(repo, 'up1'), 'up1 now has MAIN');
    assert.equal(git(p.up1!, ['log', '--format=%s', '-1']).trim(), 'Add up1', 'rebased: its commit on top');
    assert.match(run(['update', 'up1']).stdout, /^up1 already has main \([0-9a-f]{7}\)\n$/);

    const dirtyBefore = state(p.dirty!);
    const d = run(['update', 'dirty']);
    assert.equal(d.status, 1);
    assert.equal(d.stderr, 'flower-tui: dirty has uncommitted changes (dirty.txt): commit them, then update\n');
    assert.deepEqual(state(p.dirty!), dirtyBefore);

    assert.equal(run(['spawn', 'busy', 'quiet']).status, 0);
    assert.equal(cli(repo, ['report', 'working', '--agent', 'busy/quiet']).status, 0);
    const busyBefore = state(p.busy!);
    const b = run(['update', 'busy']);
    assert.equal(b.status, 1);
    assert.equal(b.stderr, "flower-tui: busy's agents are not idle (busy/quiet working): update it when they are\n");
    assert.deepEqual(state(p.busy!), busyBefore);

    const clashBefore = state(p.clash!);
    const c = run(['update', 'clash']);
    assert.equal(c.status, 1);
    assert.equal(c.stderr, 'flower-tui: conflict with main in app.txt: rebase aborted, the lane is as it was\n');
    assert.deepEqual(state(p.clash!), clashBefore, 'byte for byte as before');

    // lanes.autoUpdate: after the next merge, clean idle standing lanes are updated by themselves.
    assert.equal(run(['server', 'stop']).status, 0);
    write(true);
    commit(p.src!, 'more.txt', 'more\n', 'More from src');
    const m2 = run(['merge', 'src', '--yes']);
    assert.equal(m2.status, 0, m2.stderr);
    await waitUntil(() => hasMain(repo, 'auto') && hasMain(repo, 'up1') && hasMain(repo, 'busy'), { timeoutMs: 30_000, intervalMs: 200, what: 'auto, up1 and busy (its agent is gone after the restart) to be updated' });
    assert.deepEqual(state(p.dirty!), dirtyBefore, 'the dirty lane is left alone');
    assert.deepEqual(state(p.clash!), clashBefore, 'the conflicting lane is left as it was');
    const trace = readTrace(path.join(repo.commonDir, 'flower')).filter((e) => e.action === 'update');
    assert.ok(trace.some((e) => e.target === 'auto' && e.actor === 'policy' && e.outcome === 'updated'));
    assert.ok(trace.some((e) => e.target === 'busy' && e.actor === 'cli' && e.outcome === 'refused'));
    assert.ok(trace.some((e) => e.target === 'clash' && e.outcome === 'conflict'));
  });
});

/**
 * The merge queue through the built CLI and a real server, with real git in temp dirs: lanes land
 * one at a time, each updated onto the latest MAIN in its own worktree and gated on that exact commit
 * (the gate records `git rev-parse HEAD`); a conflicting update takes its lane out with the worktree
 * byte-for-byte as before and its agent told; gate and health failures take their lane out and the
 * queue goes on; a server killed mid-queue resumes without MAIN ever half-merged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList, cli, removedAfterItsServer } from '../helpers/cli.js';
import { git, makeRepo, makeTempDir, type TestRepo, head, commitFiles as commit, treeHash } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';
import { readTrace } from '../../src/core/store/trace.js';
import type { QueueState } from '../../src/core/merge/merge-queue.js';

const onCleanup = cleanupList();

/** A worktree as a whole: files, HEAD, status, index, and no rebase or merge left in progress. */
function worktreeState(dir: string) {
  const gitPath = (p: string) => path.resolve(dir, git(dir, ['rev-parse', '--git-path', p]).trim());
  return {
    files: treeHash(dir),
    head: head(dir),
    status: git(dir, ['status', '--porcelain', '--untracked-files=all']),
    cached: git(dir, ['diff', '--cached']),
    inProgress: ['rebase-merge', 'rebase-apply', 'MERGE_HEAD'].filter((p) => existsSync(gitPath(p))),
  };
}

/** MAIN clean: nothing staged or changed, no merge left half-done. */
function assertMainClean(repo: TestRepo, why: string): void {
  assert.equal(git(repo.mainRoot, ['status', '--porcelain', '--untracked-files=no']), '', `MAIN clean (${why})`);
  for (const f of ['MERGE_HEAD', 'SQUASH_MSG']) assert.ok(!existsSync(path.join(repo.commonDir, f)), `no ${f} in MAIN (${why})`);
}

function queue(repo: TestRepo, config: string): QueueState {
  const r = cli(repo, ['--config', config, 'queue', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { queue: QueueState }).queue;
}

function ok(repo: TestRepo, args: string[]): string {
  const r = cli(repo, args);
  assert.equal(r.status, 0, `flower-tui ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function queueEmpty(repo: TestRepo, config: string, timeoutMs = 120_000): Promise<QueueState> {
  let last: QueueState | null = null;
  return waitUntil(
    () => {
      last = queue(repo, config);
      return last.entries.length === 0 ? last : null;
    },
    { timeoutMs, intervalMs: 300, what: () => `the queue to empty: ${JSON.stringify({ entries: last?.entries.map((e) => `${e.lane}:${e.step}:${e.detail ?? ''}`), paused: last?.pausedReason ?? last?.paused })}` },
  );
}

function outOf(q: QueueState, lane: string) {
  return q.out.filter((o) => o.lane === lane).at(-1);
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function setup(lanes: string[], cfg: (logDir: string) => Record<string, unknown>) {
  const repo = removedAfterItsServer(makeRepo({ worktrees: lanes }), onCleanup);
  const logDir = makeTempDir('flower-queue-log-');
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(config, JSON.stringify({ monitor: { healthEveryMs: 0 }, restore: 'off', ...cfg(logDir) }));
  return { repo, logDir, config };
}

describe('merge queue: lanes land in order, each on the latest MAIN', () => {
  test('three lanes from the same old MAIN land in order, each gated on its rebased commit; a conflicting fourth is out as needs update, untouched, its agent told', async () => {
    const { repo, logDir, config } = setup(['a', 'b', 'c', 'clash'], (dir) => ({
      merge: { strategy: 'ff-only', update: 'rebase', gate: `echo "$(basename "$PWD") $(git rev-parse HEAD)" >> ${shq(path.join(dir, 'gated.log'))}` },
      // A fake agent that keeps whatever is typed into it.
      profiles: { inbox: { command: '/bin/sh', args: ['-c', `exec cat >> ${shq(path.join(dir, 'received.txt'))}`] } },
    }));
    const p = repo.worktreePaths;
    for (const l of ['a', 'b', 'c']) commit(p[l]!, { [`${l}.txt`]: `${l}\n` }, `Add ${l}`);
    const clashTip = commit(p.clash!, { 'app.txt': 'the lane says\n' }, 'Lane rewrites app');
    // MAIN moves after every lane forked: none of them can fast-forward without an update.
    commit(repo.mainRoot, { 'app.txt': 'MAIN says\n' }, 'MAIN rewrites app');
    ok(repo, ['--config', config, 'spawn', 'clash', 'inbox']);
    ok(repo, ['report', 'idle', '--agent', 'clash/inbox']);

    // Queued while paused, so the order is ours; "ready" from inside a lane names the lane itself.
    ok(repo, ['--config', config, 'queue', 'pause']);
    const fromInside = spawnSync(process.execPath, [BIN, 'ready', '--config', config], { cwd: p.a!, encoding: 'utf8', env: { ...process.env, FLOWER_AGENT: 'a/claude' } });
    assert.equal(fromInside.status, 0, fromInside.stderr);
    assert.equal(fromInside.stdout.trim(), 'a is ready: position 1 in the merge queue (the queue is paused)');
    for (const l of ['c', 'clash', 'b']) ok(repo, ['--config', config, 'ready', l]);
    assert.match(cli(repo, ['--config', config, 'ready', 'b']).stderr, /^flower-tui: b is already in the queue \(position 4\)\n$/);
    ok(repo, ['--config', config, 'queue', 'move', 'b', '--to', '2']);
    let q = queue(repo, config);
    assert.deepEqual(q.entries.map((e) => e.lane), ['a', 'b', 'c', 'clash']);
    assert.equal(q.entries[0]!.by, 'a/claude', 'marked ready by the agent inside the lane');
    assert.match(ok(repo, ['--config', config, 'queue']), /^merge queue: paused — flower-tui queue resume\n {2}1\. a {2}queued/);

    const clashBefore = worktreeState(p.clash!);
    const mainTip = head(repo.mainRoot);

    ok(repo, ['--config', config, 'queue', 'resume']);
    q = await queueEmpty(repo, config);

    for (const l of ['a', 'b', 'c']) assert.equal(outOf(q, l)?.outcome, 'merged', `${l}: ${JSON.stringify(outOf(q, l))}`);
    const out = outOf(q, 'clash')!;
    assert.equal(out.outcome, 'needs-update');
    assert.match(out.reason, /^conflict with main in app\.txt: rebase aborted, the lane is as it was$/);

    // MAIN as configured (ff-only after rebases: linear), in queue order, clean.
    assert.deepEqual(git(repo.mainRoot, ['log', '--format=%s']).trim().split('\n'), ['Add c', 'Add b', 'Add a', 'MAIN rewrites app', 'Add app', 'Initial commit']);
    assert.equal(git(repo.mainRoot, ['rev-list', '--merges', 'HEAD']).trim(), '', 'no merge commits');
    assertMainClean(repo, 'after the queue');

    // Each gated on its updated commit: exactly the one MAIN now has, whose parent was MAIN's tip then.
    const gated: Record<string, string> = {};
    for (const line of readFileSync(path.join(logDir, 'gated.log'), 'utf8').trim().split('\n')) {
      const [dir, sha] = line.split(' ') as [string, string];
      gated[dir.replace(/^repo-/, '')] = sha;
    }
    assert.deepEqual(Object.keys(gated).sort(), ['a', 'b', 'c'], 'clash never reached the gate');
    let parent = mainTip;
    for (const l of ['a', 'b', 'c']) {
      const landed = git(repo.mainRoot, ['log', '--format=%H', '-1', `--grep=^Add ${l}$`]).trim();
      assert.equal(gated[l], landed, `${l} was gated on the commit that landed`);
      assert.equal(head(repo.mainRoot, `${landed}^`), parent, `${l} was rebased onto the MAIN of its turn`);
      assert.equal(head(p[l]!), landed, `${l}'s own worktree holds its updated commit`);
      parent = landed;
    }

    // clash: byte for byte as before (files, HEAD, status, index, nothing in progress), its commit kept.
    assert.deepEqual(worktreeState(p.clash!), clashBefore);
    assert.equal(head(p.clash!), clashTip);
    // Its agent got the message, naming the file, through send.
    const received = await waitUntil(() => (existsSync(path.join(logDir, 'received.txt')) ? readFileSync(path.join(logDir, 'received.txt'), 'utf8') : ''), { timeoutMs: 30_000, what: 'the agent to receive the message' });
    assert.match(received, /clash could not be updated onto main: rebasing it conflicts in app\.txt\. Nothing was changed/);

    // A lane that landed has nothing left to merge: marking it ready again says so.
    const again = cli(repo, ['--config', config, 'ready', 'a']);
    assert.equal(again.status, 2);
    assert.equal(again.stderr, 'flower-tui: a has nothing to merge: no commits ahead of MAIN\n');

    // Every transition in the trace.
    const trace = readTrace(path.join(repo.commonDir, 'flower'));
    const qa = trace.filter((e) => e.action.startsWith('queue.'));
    for (const l of ['a', 'b', 'c']) {
      const mine = qa.filter((e) => e.target === l).map((e) => `${e.action}:${e.outcome}`);
      for (const want of ['queue.ready:queued', 'queue.step:update', 'queue.update:updated', 'queue.step:gate', 'queue.step:merge', 'queue.merge:merged', 'queue.landed:merged']) assert.ok(mine.includes(want), `${l}: ${want} in ${mine.join(' ')}`);
    }
    assert.ok(qa.some((e) => e.target === 'clash' && e.action === 'queue.out' && e.outcome === 'needs-update'));
    assert.ok(qa.some((e) => e.target === 'clash/inbox' && e.action === 'queue.told' && e.outcome === 'ok'));
    assert.ok(trace.some((e) => e.action === 'send' && e.target === 'clash/inbox' && e.actor === 'policy' && e.outcome === 'ok'), 'told through send');
    assert.ok(qa.some((e) => e.action === 'queue.move' && e.target === 'b'));
    assert.ok(qa.some((e) => e.action === 'queue.pause') && qa.some((e) => e.action === 'queue.resume'));
  });

  test('gate failure and health failure mid-queue: each out with its reason (health rolled back), the queue goes on, nothing lost', async () => {
    const { repo, config } = setup(['first', 'gatebad', 'dirty', 'sick', 'last'], () => ({
      merge: { strategy: 'no-ff', update: 'merge', gate: 'test ! -f gate-fails.txt', health: 'test ! -f BROKEN' },
    }));
    const p = repo.worktreePaths;
    commit(p.first!, { 'first.txt': '1\n' }, 'Add first');
    const gateTip = commit(p.gatebad!, { 'gate-fails.txt': 'x\n' }, 'Breaks the tests');
    const sickTip = commit(p.sick!, { BROKEN: 'x\n' }, 'Breaks production');
    commit(p.last!, { 'last.txt': '2\n' }, 'Add last');
    const dirtyTip = commit(p.dirty!, { 'dirty.txt': 'committed\n' }, 'Add dirty');
    writeFileSync(path.join(p.dirty!, 'dirty.txt'), 'work in progress\n');
    const dirtyBefore = worktreeState(p.dirty!);
    ok(repo, ['--config', config, 'queue', 'pause']);
    for (const l of ['first', 'gatebad', 'dirty', 'sick', 'last']) ok(repo, ['--config', config, 'ready', l]);
    ok(repo, ['--config', config, 'queue', 'resume']);
    const q = await queueEmpty(repo, config);

    assert.equal(outOf(q, 'first')?.outcome, 'merged');
    assert.equal(outOf(q, 'last')?.outcome, 'merged', 'the queue went on after both failures');
    assert.equal(outOf(q, 'gatebad')?.outcome, 'gate-failed');
    assert.match(outOf(q, 'gatebad')!.reason, /^gate failed \(exit 1\): MAIN untouched/);
    assert.equal(outOf(q, 'dirty')?.outcome, 'needs-update');
    assert.equal(outOf(q, 'dirty')!.reason, 'uncommitted changes (dirty.txt): commit them, then update');
    assert.deepEqual(worktreeState(p.dirty!), dirtyBefore, 'a lane that is not clean is not touched');
    assert.equal(head(p.dirty!), dirtyTip);
    assert.equal(outOf(q, 'sick')?.outcome, 'health-failed');
    assert.match(outOf(q, 'sick')!.reason, /^health failed \(exit 1\), rolled back to [0-9a-f]{7}/);

    // MAIN: both good lanes as no-ff merges, nothing of the bad ones, clean.
    assert.ok(existsSync(path.join(repo.mainRoot, 'first.txt')) && existsSync(path.join(repo.mainRoot, 'last.txt')));
    assert.ok(!existsSync(path.join(repo.mainRoot, 'gate-fails.txt')) && !existsSync(path.join(repo.mainRoot, 'BROKEN')));
    const merges = git(repo.mainRoot, ['log', '--merges', '--first-parent', '--format=%s']).trim().split('\n');
    assert.deepEqual(merges, [
      `Merge last (${merges[0]!.match(/\((\d+) commits?\)/)?.[1]} commit${merges[0]!.includes('(1 commit)') ? '' : 's'}) via flower-tui`,
      'Merge first (1 commit) via flower-tui',
    ]);
    assertMainClean(repo, 'after failures');
    // Nothing lost: the failed lanes keep their commits (updated by merge, their own commit inside).
    for (const [l, tip] of [['gatebad', gateTip], ['sick', sickTip]] as const) {
      assert.equal(spawnSync('git', ['merge-base', '--is-ancestor', tip, l], { cwd: repo.mainRoot }).status, 0, `${l} keeps its commit`);
      assert.equal(git(p[l]!, ['status', '--porcelain']), '', `${l}'s worktree clean`);
    }
    const trace = readTrace(path.join(repo.commonDir, 'flower'));
    assert.ok(trace.some((e) => e.target === 'sick' && e.action === 'merge.rollback' && e.outcome === 'ok'), 'the pipeline rolled back');
  });
});

describe('merge queue: ephemeral lanes', () => {
  test('a landed ephemeral lane is removed (its tip kept under refs/flower/removed/); one with a stash is kept, saying why', async () => {
    const { repo, config } = setup([], () => ({ merge: { strategy: 'no-ff' } }));
    for (const l of ['eph', 'stashy']) ok(repo, ['--config', config, 'worktree', 'add', l, '--lane', 'ephemeral']);
    const st = JSON.parse(ok(repo, ['status', '--json'])) as { worktrees: { name: string; path: string }[] };
    const dir = (l: string) => st.worktrees.find((w) => w.name === l)!.path;
    commit(dir('eph'), { 'eph.txt': 'e\n' }, 'Add eph');
    commit(dir('stashy'), { 'stashy.txt': 's\n' }, 'Add stashy');
    writeFileSync(path.join(dir('stashy'), 'wip.txt'), 'half done\n');
    git(dir('stashy'), ['stash', 'push', '--include-untracked', '--quiet', '-m', 'wip']);
    ok(repo, ['--config', config, 'queue', 'pause']);
    for (const l of ['eph', 'stashy']) ok(repo, ['--config', config, 'ready', l]);
    ok(repo, ['--config', config, 'queue', 'resume']);
    const q = await queueEmpty(repo, config);
    assert.equal(outOf(q, 'stashy')?.outcome, 'merged');
    assert.equal(outOf(q, 'eph')?.outcome, 'merged', 'the landing stays in the recent list after the removal');
    await waitUntil(() => !existsSync(dir('eph')), { timeoutMs: 20_000, what: 'eph to be removed' });
    assert.ok(existsSync(path.join(repo.mainRoot, 'eph.txt')) && existsSync(path.join(repo.mainRoot, 'stashy.txt')));
    assert.match(git(repo.mainRoot, ['for-each-ref', '--format=%(refname)', 'refs/flower/removed/']), /^refs\/flower\/removed\/eph\//m);
    assert.ok(existsSync(dir('stashy')), 'the lane with a stash is kept');
    assert.match(git(repo.mainRoot, ['stash', 'list']), /wip/);
    // The removal runs after the lane has left the queue: wait for its verdicts.
    const trace = await waitUntil(
      () => {
        const t = readTrace(path.join(repo.commonDir, 'flower'));
        return ['eph', 'stashy'].every((l) => t.some((e) => e.action === 'queue.removed' && e.target === l)) ? t : null;
      },
      { timeoutMs: 20_000, what: 'both removal verdicts in the trace' },
    );
    assert.ok(trace.some((e) => e.action === 'queue.removed' && e.target === 'eph' && e.outcome === 'ok'));
    const kept = trace.find((e) => e.action === 'queue.removed' && e.target === 'stashy');
    assert.equal(kept?.outcome, 'refused');
    assert.match(String(kept?.error), /refusing to remove stashy: it has 1 stash/);
  });
});

describe('merge queue: brief done', () => {
  test("a brief done with a lane marks the lane ready: it joins the queue and lands; the header's lane line says behind MAIN", async () => {
    const { repo, logDir, config } = setup(['bd', 'other'], (dir) => ({
      merge: { strategy: 'no-ff' },
      profiles: { inbox: { command: '/bin/sh', args: ['-c', `exec cat >> ${shq(path.join(dir, 'received.txt'))}`] } },
    }));
    commit(repo.worktreePaths.bd!, { 'bd.txt': 'done\n' }, 'Do the brief');
    ok(repo, ['--config', config, 'spawn', 'bd', 'inbox']);
    ok(repo, ['report', 'idle', '--agent', 'bd/inbox']);
    ok(repo, ['--config', config, 'queue', 'pause']);
    ok(repo, ['--config', config, 'brief', 'add', 'Do it', '--lane', 'bd']);
    ok(repo, ['--config', config, 'brief', 'dispatch', '1']);
    await waitUntil(() => existsSync(path.join(logDir, 'received.txt')) && readFileSync(path.join(logDir, 'received.txt'), 'utf8').includes('Do it'), { timeoutMs: 30_000, what: 'the packet to reach the agent' });
    ok(repo, ['--config', config, 'brief', 'claim', '1', '--agent', 'bd/inbox']);
    ok(repo, ['--config', config, 'brief', 'done', '1']);
    const q = queue(repo, config);
    assert.deepEqual(q.entries.map((e) => [e.lane, e.by]), [['bd', 'brief #1']]);
    ok(repo, ['--config', config, 'queue', 'resume']);
    assert.equal(outOf(await queueEmpty(repo, config), 'bd')?.outcome, 'merged');
    assert.ok(existsSync(path.join(repo.mainRoot, 'bd.txt')));
    // Every other lane now shows how far behind MAIN it is.
    type St = { worktrees: { name: string; lane?: { behind: number | null } }[] };
    await waitUntil(() => (JSON.parse(ok(repo, ['status', '--json'])) as St).worktrees.find((w) => w.name === 'other')?.lane?.behind === 1, { timeoutMs: 20_000, intervalMs: 300, what: 'other to be 1 behind (the merged commit; merge commits are not counted)' });
  });
});

describe('merge queue: a server killed mid-queue', () => {
  test('killed during the gate, between steps and during health: the next server resumes, MAIN never half-merged', async () => {
    const { repo, logDir, config } = setup(['r1', 'r2', 'r3'], (dir) => {
      const wait = (name: string) => `{ test -f ${shq(path.join(dir, `release-${name}`))} || { touch ${shq(path.join(dir, `started-${name}`))}; while [ ! -f ${shq(path.join(dir, `release-${name}`))} ]; do sleep 0.1; done; }; }`;
      return {
        merge: { strategy: 'no-ff', update: 'rebase', gate: wait('gate'), health: `if [ -f r3.txt ]; then ${wait('health')}; fi` },
        profiles: { busy: { command: '/bin/sh', args: ['-c', 'exec cat > /dev/null'] } },
      };
    });
    const p = repo.worktreePaths;
    for (const l of ['r1', 'r2', 'r3']) commit(p[l]!, { [`${l}.txt`]: `${l}\n` }, `Add ${l}`);
    const serverPid = () => (JSON.parse(ok(repo, ['status', '--json'])) as { server: { pid: number } }).server.pid;
    const kill = async () => {
      const pid = serverPid();
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 15_000, what: 'the server to die' });
    };
    const mainBefore = head(repo.mainRoot);

    // 1. During the gate of r1.
    ok(repo, ['--config', config, 'ready', 'r1']);
    ok(repo, ['--config', config, 'ready', 'r2']);
    await waitUntil(() => existsSync(path.join(logDir, 'started-gate')), { timeoutMs: 60_000, what: "r1's gate to start" });
    assert.equal(queue(repo, config).entries[0]?.step, 'gate');
    await kill();
    assert.equal(head(repo.mainRoot), mainBefore, 'MAIN untouched by the interrupted gate');
    assertMainClean(repo, 'killed during the gate');
    writeFileSync(path.join(logDir, 'release-gate'), '');
    // The next server (started by this very command) re-validates r1 and runs the queue on.
    let q = await queueEmpty(repo, config);
    assert.equal(outOf(q, 'r1')?.outcome, 'merged');
    assert.equal(outOf(q, 'r2')?.outcome, 'merged');
    let trace = readTrace(path.join(repo.commonDir, 'flower'));
    assert.ok(trace.some((e) => e.action === 'queue.recover' && e.target === 'r1' && e.outcome === 'resumed' && (e.details as { was?: string })?.was === 'gate'), 'recovery traced');
    assertMainClean(repo, 'after resuming');

    // 2. Between steps: r3 waits for its busy agent; the server dies; the next one (no agents restored) goes on.
    ok(repo, ['--config', config, 'spawn', 'r3', 'busy']);
    ok(repo, ['report', 'working', '--agent', 'r3/busy']);
    ok(repo, ['--config', config, 'ready', 'r3']);
    await waitUntil(() => queue(repo, config).entries[0]?.step === 'waiting', { timeoutMs: 30_000, intervalMs: 300, what: 'r3 to wait for its agent' });
    assert.match(ok(repo, ['--config', config, 'queue']), /1\. r3 {2}waiting for idle \d+:\d\d {2}— r3\/busy working/);
    const beforeR3 = head(repo.mainRoot);
    await kill();
    assert.equal(head(repo.mainRoot), beforeR3);

    // 3. …and r3's health check blocks: killed during health, MAIN holds the merge, health unconfirmed.
    q = queue(repo, config); // starts the server again: r3 resumes
    await waitUntil(() => existsSync(path.join(logDir, 'started-health')), { timeoutMs: 60_000, what: "r3's health check to start" });
    assert.equal(queue(repo, config).entries[0]?.step, 'health');
    await kill();
    assertMainClean(repo, 'killed during health');
    writeFileSync(path.join(logDir, 'release-health'), '');
    q = await queueEmpty(repo, config);
    assert.equal(outOf(q, 'r3')?.outcome, 'merged');
    assert.match(outOf(q, 'r3')!.reason, /health confirmed after a server restart/);
    trace = readTrace(path.join(repo.commonDir, 'flower'));
    assert.ok(trace.some((e) => e.action === 'queue.recover' && e.target === 'r3' && e.outcome === 'landed'));
    for (const l of ['r1', 'r2', 'r3']) assert.ok(existsSync(path.join(repo.mainRoot, `${l}.txt`)), `${l} in MAIN`);
    assert.equal(git(repo.mainRoot, ['log', '--merges', '--first-parent', '--format=%s']).trim().split('\n').length, 3, 'three merges, none twice');
    assertMainClean(repo, 'the end');
  });
});

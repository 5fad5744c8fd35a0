/**
 * Merging a lane that lives on another host (issue 19, item 4), with a real OpenSSH server on
 * 127.0.0.1 and the host's clone in another temp dir: the gate runs on the host in the lane, the
 * lane's exact commit is fetched into MAIN's repository (refs/flower/remote/HOST/LANE) over the
 * host's ssh, and the usual merge → health → rollback runs on MAIN, through the real binary.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupList } from '../helpers/cli.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { whyNoSshd, type TestSshd } from '../helpers/sshd.js';
import { cliWith, hostClone } from '../helpers/host-clone.js';
import { waitUntil } from '../helpers/wait-until.js';

const onCleanup = cleanupList();
const skip = whyNoSshd() ?? false;

describe('merging a lane on a host over ssh', { skip }, () => {
  let sshd: TestSshd;
  let local: TestRepo;
  let remoteMain: string;
  let configFile: string;
  let gateRan: string;
  let healthRan: string;
  const { flower, ok } = cliWith(() => ({ repo: local.mainRoot, config: configFile }), 120_000);
  const localGit = (args: string[]) => execFileSync('git', ['-C', local.mainRoot, ...args], { encoding: 'utf8' }).trim();
  /** A shell command run on the host, as its user, over the test's ssh (how an agent there commits). */
  const onHost = (script: string) => {
    const r = spawnSync('ssh', [...sshd.sshArgs, '-T', '-o', 'BatchMode=yes', sshd.alias, script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `on the host: ${script}: ${r.stderr}`);
    return r.stdout.trim();
  };
  /** A lane made on the host from MAIN here, with one commit made there; its path and commit. */
  const laneWithCommit = (name: string, file: string, extra: string[] = []): { path: string; sha: string } => {
    const made = JSON.parse(ok(['worktree', 'add', name, '--host', 'box', '--json', ...extra])) as { path: string };
    const sha = onHost(`cd '${made.path}' && echo '${name} was here' > '${file}' && git add '${file}' && git -c user.name=far -c user.email=far@box commit --quiet -m '${name}: ${file}' && git rev-parse HEAD`);
    return { path: made.path, sha };
  };
  const localTrace = () =>
    readFileSync(path.join(local.mainRoot, '.git', 'flower', 'trace.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; target: string; outcome: string; details?: Record<string, unknown> });

  before(async () => {
    const c = await hostClone(onCleanup, (h) => {
      gateRan = path.join(h.remoteDir, 'gate-ran.txt');
      writeFileSync(gateRan, '');
    });
    ({ sshd, local, remoteMain, configFile } = c);
    const host = c.host;
    healthRan = path.join(local.dir, 'health-ran.txt');
    writeFileSync(
      configFile,
      JSON.stringify({
        hosts: { box: host(), gone: host({ sshArgs: [...sshd.sshArgs, '-o', 'Port=1', '-o', 'ConnectTimeout=5'] }) },
        merge: {
          // MAIN's gate: it says where it ran (outside the lane, which must stay clean), and refuses a lane with FAIL_GATE.
          gate: `if [ -f FAIL_GATE ]; then echo "compiling"; echo "error: FAIL_GATE is in the lane"; echo "1 test failed"; exit 3; fi; if [ -f MOVE_DURING_GATE ]; then git -c user.name=g -c user.email=g@g commit --quiet --allow-empty -m 'moved during the gate'; fi; pwd >> '${gateRan}'`,
          health: `echo checked >> '${healthRan}'; test ! -f BREAK_HEALTH`,
        },
        monitor: { healthEveryMs: 0 },
      }),
    );
  });

  test('a remote lane merges into MAIN through the pipeline: the gate ran on the host, MAIN has the exact commit, health ran, the trace names the host', () => {
    const lane = laneWithCommit('far-feature', 'far.txt');
    const before = localGit(['rev-parse', 'HEAD']);
    const r = flower(['merge', 'far-feature', '--host', 'box', '--yes']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /merged box:far-feature into main/);
    assert.match(r.stdout, /\[gate\] .*on box, in box:far-feature/);
    // The exact commit made on the host is in MAIN here (no-ff: the merge's second parent), fetched into a flower ref.
    assert.equal(localGit(['rev-parse', 'HEAD^1']), before);
    assert.equal(localGit(['rev-parse', 'HEAD^2']), lane.sha);
    assert.equal(localGit(['rev-parse', 'refs/flower/remote/box/far-feature']), lane.sha);
    assert.equal(localGit(['for-each-ref', 'refs/heads/']).split('\n').length, 1, 'no branch was made here');
    assert.equal(readFileSync(path.join(local.mainRoot, 'far.txt'), 'utf8'), 'far-feature was here\n');
    assert.equal(localGit(['status', '--porcelain']), '');
    // The gate ran on the host, in the lane; the health check here.
    assert.ok(readFileSync(gateRan, 'utf8').split('\n').includes(lane.path), `gate ran in ${lane.path}: ${readFileSync(gateRan, 'utf8')}`);
    assert.ok(existsSync(healthRan) && readFileSync(healthRan, 'utf8').includes('checked'), 'the health check ran on MAIN');
    const merges = localTrace().filter((e) => e.target === 'box:far-feature' && e.action.startsWith('merge'));
    assert.deepEqual(merges.map((e) => `${e.action}:${e.outcome}`), ['merge:started', 'merge.preconditions:ok', 'merge.gate:ok', 'merge.merge:ok', 'merge.health:ok', 'merge.done:ok', 'merge:merged']);
    assert.ok(merges.every((e) => e.details?.host === 'box'), 'every trace line names the host');
    // A standing lane stays on its host.
    assert.match(onHost(`git -C '${remoteMain}' worktree list`), /far-feature/);
  });

  test('a failing gate on the host leaves MAIN exactly as it was, its explaining line shown', () => {
    laneWithCommit('far-broken', 'FAIL_GATE');
    const before = localGit(['rev-parse', 'HEAD']);
    const refs = localGit(['for-each-ref', '--format=%(refname)', 'refs/heads/']);
    const r = flower(['merge', 'box:far-broken', '--yes']);
    assert.equal(r.status, 6, r.stderr + r.stdout);
    assert.equal(r.stderr, 'flower-tui: gate failed on box (exit 3): MAIN untouched — error: FAIL_GATE is in the lane\n');
    assert.equal(localGit(['rev-parse', 'HEAD']), before);
    assert.equal(localGit(['status', '--porcelain']), '');
    assert.equal(localGit(['for-each-ref', '--format=%(refname)', 'refs/heads/']), refs);
    assert.equal(existsSync(path.join(local.mainRoot, 'FAIL_GATE')), false);
  });

  test('a lane that moves on its host while its gate runs is refused, MAIN untouched (what passed must be what merges)', () => {
    laneWithCommit('far-moving', 'MOVE_DURING_GATE');
    const before = localGit(['rev-parse', 'HEAD']);
    const r = flower(['merge', 'box:far-moving', '--yes']);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.equal(r.stderr, 'flower-tui: box:far-moving changed while the gate ran on box (new commits): run the merge again\n');
    assert.equal(localGit(['rev-parse', 'HEAD']), before);
    assert.equal(localGit(['status', '--porcelain']), '');
  });

  test('an unreachable host, or a lane that is not on the host, is one line and leaves MAIN untouched', () => {
    const before = localGit(['rev-parse', 'HEAD']);
    const gone = flower(['merge', 'gone:far-feature', '--yes']);
    assert.equal(gone.status, 5, gone.stderr);
    assert.match(gone.stderr, /^flower-tui: gone: cannot reach flower-test-host over ssh \(.+\)\n$/);
    const missing = flower(['merge', 'no-such-lane', '--host', 'box', '--yes']);
    assert.equal(missing.status, 1, missing.stderr);
    assert.match(missing.stderr, /^flower-tui: box: no worktree "no-such-lane"\n$/);
    const unknown = flower(['merge', 'mystery:x', '--yes']);
    assert.match(unknown.stderr, /^flower-tui: no host "mystery" in the config for mystery:x \(hosts: box, gone\)\n$/);
    assert.equal(localGit(['rev-parse', 'HEAD']), before);
    assert.equal(localGit(['status', '--porcelain']), '');
  });

  test('an ephemeral remote lane is removed on its host after its merge', () => {
    const lane = laneWithCommit('far-once', 'once.txt', ['--lane', 'ephemeral']);
    const r = flower(['merge', 'box:far-once', '--yes']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /box:far-once removed on box \(ephemeral\)/);
    assert.equal(localGit(['rev-parse', 'HEAD^2']), lane.sha);
    assert.doesNotMatch(onHost(`git -C '${remoteMain}' worktree list`), /far-once/);
    assert.equal(existsSync(lane.path), false, 'its worktree is gone from the host');
    // The host keeps its tip (its MAIN lacks the merge, which is here).
    assert.match(onHost(`git -C '${remoteMain}' for-each-ref refs/flower/removed/`), new RegExp(lane.sha));
  });

  test('a health failure after a remote merge rolls MAIN back', () => {
    const lane = laneWithCommit('far-breaks', 'BREAK_HEALTH');
    const before = localGit(['rev-parse', 'HEAD']);
    const r = flower(['merge', 'box:far-breaks', '--yes']);
    assert.equal(r.status, 7, r.stderr + r.stdout);
    assert.match(r.stderr, /^flower-tui: health failed \(exit 1\), rolled back to [0-9a-f]{7}/);
    assert.equal(localGit(['rev-parse', 'HEAD']), before);
    assert.equal(existsSync(path.join(local.mainRoot, 'BREAK_HEALTH')), false);
    assert.equal(localGit(['rev-parse', 'refs/flower/remote/box/far-breaks']), lane.sha, 'the lane\'s commit is kept here in its ref');
    const rollback = localTrace().find((e) => e.target === 'box:far-breaks' && e.action === 'merge.rollback');
    assert.equal(rollback?.outcome, 'ok');
  });

  test('the merge queue lands a remote lane: queue ready box:LANE', async () => {
    const lane = laneWithCommit('far-queued', 'queued.txt');
    const r = JSON.parse(ok(['queue', 'ready', 'box:far-queued', '--json'])) as { lane: string; position: number };
    assert.deepEqual([r.lane, r.position], ['box:far-queued', 1]);
    const landed = async () => {
      const q = JSON.parse(ok(['queue', '--json'])) as { queue: { out: { lane: string; outcome: string; reason: string }[] } };
      return q.queue.out.find((o) => o.lane === 'box:far-queued');
    };
    await waitUntil(async () => Boolean(await landed()), { timeoutMs: 60_000, what: 'box:far-queued to leave the queue' });
    const out = await landed();
    assert.equal(out?.outcome, 'merged', out?.reason);
    assert.equal(localGit(['rev-parse', 'HEAD^2']), lane.sha);
  });
});

/**
 * Briefs end to end, through the built CLI and a real server, with real git and a fake agent
 * (test/fixtures/brief-worker.mjs) that claims, commits and reports done with the real CLI:
 * add → dispatch → claim → commits (with and without the trailer) → done → merge → merged,
 * every step in the brief's trace in order; ephemeral dispatch; auto-dispatch FIFO; a server
 * restart in the middle of a claimed brief; the one-line errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { BriefDetail, BriefView } from '../../src/core/briefs/brief-ops.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'test', 'fixtures', 'brief-worker.mjs');
const onCleanup = cleanupList();

function newRepo(worktrees: string[], extra: Record<string, unknown> = {}, workMs = 0): { repo: TestRepo; run: (args: string[]) => ReturnType<typeof cli> } {
  const repo = makeRepo({ worktrees });
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      profiles: {
        worker: { command: process.execPath, args: [WORKER], env: { FLOWER_BIN: BIN, WORK_MS: String(workMs) }, promptPattern: 'READY> $' },
      },
      restore: 'auto',
      merge: { strategy: 'no-ff' },
      // These tests merge by hand; `brief done` joining the merge queue is tested in merge-queue.test.ts.
      briefs: { queueOnDone: false },
      ...extra,
    }),
  );
  removedAfterItsServer(repo, onCleanup);
  return { repo, run: (args) => cli(repo, [...args, '--config', configFile]) };
}

function ok(r: ReturnType<typeof cli>, what: string): string {
  assert.equal(r.status, 0, `${what}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function show(run: (a: string[]) => ReturnType<typeof cli>, id: number): BriefDetail {
  return JSON.parse(ok(run(['brief', 'show', String(id), '--json']), `brief show ${id}`)) as BriefDetail;
}

async function waitStatus(run: (a: string[]) => ReturnType<typeof cli>, id: number, status: string, timeoutMs = 30_000): Promise<BriefDetail> {
  let last: BriefDetail | null = null;
  await waitUntil(() => (last = show(run, id)).brief.status === status, { timeoutMs, intervalMs: 250, what: () => `#${id} ${status} (is ${last ? (last as BriefDetail).brief.status : '?'})` });
  return last!;
}

describe('briefs', () => {
  test('the whole loop: add → dispatch → claim → commits → done → merge → merged, each step in the trace', async () => {
    const { repo, run } = newRepo(['lane-a']);
    ok(run(['spawn', 'lane-a', 'worker']), 'spawn');
    const added = JSON.parse(ok(run(['brief', 'add', 'Add the thing', '--spec', 'Make **the thing**.', '--json']), 'add')) as { brief: BriefView };
    assert.equal(added.brief.id, 1);
    assert.equal(added.brief.status, 'planned');
    assert.match(ok(run(['brief', 'dispatch', '1', '--lane', 'lane-a']), 'dispatch'), /dispatched #1 to lane-a\/worker/);

    const ready = await waitStatus(run, 1, 'ready');
    assert.equal(ready.brief.agent, 'lane-a/worker');
    assert.equal(ready.brief.reason, 'did 1');
    const commits = ready.brief.links.filter((l) => l.kind === 'commit');
    assert.deepEqual(commits.map((l) => [l.subject, l.via]), [['first step of 1', 'trailer'], ['second step of 1', 'lane']]);

    // The packet is what the agent got, and what --as-agent prints.
    const packet = ok(run(['brief', 'show', '1', '--as-agent']), 'as-agent');
    assert.match(packet, /^# Brief #1: Add the thing/);
    assert.match(packet, /Make \*\*the thing\*\*\./);
    assert.match(packet, /lane lane-a \(branch lane-a\)/);
    assert.match(packet, /Brief: #1/);

    ok(run(['merge', 'lane-a', '--yes']), 'merge');
    const merged = await waitStatus(run, 1, 'merged', 10_000);
    const merge = merged.brief.links.find((l) => l.kind === 'merge');
    assert.equal(merge?.outcome, 'merged');
    assert.equal(merge?.sha, git(repo.mainRoot, ['rev-parse', 'HEAD']).trim());

    const steps = merged.trace.map((e) => (e.action === 'brief.status' ? `status:${e.details!.to}` : e.action === 'brief.link' ? `link:${e.details!.kind}` : e.action));
    assert.deepEqual(steps, ['brief.add', 'brief.dispatch', 'status:claimed', 'link:commit', 'link:commit', 'status:ready', 'link:merge', 'status:merged']);
    const by = merged.trace.map((e) => e.details!.by);
    assert.deepEqual(by, ['operator', 'operator', 'lane-a/worker', 'flower-tui', 'flower-tui', 'lane-a/worker', 'flower-tui', 'flower-tui']);

    // Human output of show names the links and the trace.
    const human = ok(run(['brief', 'show', '1']), 'show');
    assert.match(human, /status\s+merged/);
    assert.match(human, /commit [0-9a-f]{7} first step of 1 \(trailer\)/);
    assert.match(human, /status change ready → merged · flower-tui/);
  });

  test('a server restart in the middle of a claimed brief loses nothing', async () => {
    const { repo, run } = newRepo(['lane-b']);
    ok(run(['spawn', 'lane-b', 'worker']), 'spawn');
    ok(run(['brief', 'add', 'Survive a restart', '--lane', 'lane-b']), 'add');
    ok(run(['brief', 'claim', '1', '--agent', 'lane-b/worker']), 'claim on behalf');
    ok(run(['brief', 'note', '1', 'half', 'way']), 'note');
    git(repo.worktreePaths['lane-b']!, ['commit', '-q', '--allow-empty', '-m', 'during the claim']);
    ok(run(['server', 'stop']), 'stop');
    const after = show(run, 1); // starts a new server
    assert.equal(after.brief.status, 'claimed');
    assert.equal(after.brief.agent, 'lane-b/worker');
    assert.deepEqual(after.brief.notes.map((n) => [n.by, n.text]), [['operator', 'half way']]);
    ok(run(['brief', 'done', '1']), 'done after restart');
    const done = show(run, 1);
    assert.equal(done.brief.status, 'ready');
    assert.deepEqual(done.brief.links.map((l) => l.subject), ['during the claim']);
    assert.ok(done.trace.some((e) => e.action === 'brief.note'), 'the note is in the trace');
  });

  test('ephemeral dispatch: one command makes the lane, starts its agent, dispatches; the brief keeps its links after the merge', async () => {
    const { repo, run } = newRepo([]);
    ok(run(['brief', 'add', 'Quick fix', '--ephemeral', 'quick', '--profile', 'worker']), 'add');
    assert.match(ok(run(['brief', 'dispatch', '1']), 'dispatch'), /dispatched #1 to quick\/worker \(lane quick\)/);
    await waitStatus(run, 1, 'ready');
    const merged = run(['merge', 'quick', '--yes']);
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /ephemeral lane: remove it with flower-tui worktree rm quick/);
    const b = await waitStatus(run, 1, 'merged', 10_000);
    ok(run(['worktree', 'rm', 'quick']), 'rm');
    const kept = show(run, 1);
    assert.equal(kept.brief.status, 'merged');
    assert.equal(kept.brief.links.length, b.brief.links.length);
    assert.equal(kept.brief.links.filter((l) => l.kind === 'commit').length, 2);
    assert.ok(git(repo.mainRoot, ['log', '--format=%s']).includes('first step of 1'));
  });

  test('auto briefs go FIFO to idle agents of standing lanes, never to a busy one', async () => {
    const { run } = newRepo(['lane-1', 'lane-2'], {}, 2500);
    ok(run(['spawn', 'lane-1', 'worker']), 'spawn 1');
    ok(run(['spawn', 'lane-2', 'worker']), 'spawn 2');
    for (const t of ['first', 'second', 'third']) ok(run(['brief', 'add', `${t} auto`, '--auto']), `add ${t}`);
    const all = async () => (JSON.parse(ok(run(['brief', 'ls', '--json']), 'ls')) as { briefs: BriefView[] }).briefs;
    await waitUntil(async () => (await all()).every((b) => b.status === 'ready'), { timeoutMs: 60_000, intervalMs: 400, what: 'all three ready' });
    const briefs = await all();
    const [b1, b2, b3] = briefs;
    // The first two went to the two agents at once; the third waited for one of them to be free.
    assert.notEqual(b1!.agent, b2!.agent);
    assert.ok(Date.parse(b1!.dispatchedAt!) <= Date.parse(b2!.dispatchedAt!) && Date.parse(b2!.dispatchedAt!) <= Date.parse(b3!.dispatchedAt!), 'FIFO');
    const sameAgentBefore = [b1!, b2!].find((b) => b.agent === b3!.agent)!;
    const readyAt = show(run, sameAgentBefore.id).trace.find((e) => e.action === 'brief.status' && e.details!.to === 'ready')!.ts;
    assert.ok(Date.parse(b3!.dispatchedAt!) >= Date.parse(readyAt), `#3 was dispatched to ${b3!.agent} only after it finished #${sameAgentBefore.id}`);
  });

  test('bad input gets one clear line', () => {
    const { run } = newRepo(['lane-c']);
    const cases: [string[], RegExp][] = [
      [['brief', 'show', '9'], /^flower-tui: no brief #9 \(see flower-tui brief ls\)\n$/],
      [['brief', 'add', '  '], /^flower-tui: brief add needs a title/],
      [['brief', 'add', 'x', '--spec-file', '/nonexistent/spec.md'], /^flower-tui: cannot read --spec-file \/nonexistent\/spec.md: no such file\n$/],
      [['brief', 'add', 'x', '--spec-file', '/dev/zero'], /not a regular file/],
      [['brief', 'show', 'abc'], /"abc" is not a brief number/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    ok(run(['brief', 'add', 'No agents here', '--lane', 'lane-c']), 'add');
    const r = run(['brief', 'dispatch', '1']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^flower-tui: lane lane-c has no running agent: start one \(flower-tui spawn lane-c PROFILE\) or dispatch with --ephemeral\n$/);
    ok(run(['spawn', 'lane-c', 'worker', '--name', 'w1']), 'spawn');
    ok(run(['brief', 'add', 'Other lane', '--lane', 'lane-c']), 'add 2');
    const other = run(['brief', 'claim', '2', '--agent', 'MAIN/nobody']);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /no agent "MAIN\/nobody"/);
    // Failing needs a reason, and the operator says which brief; then it is failed with that reason, in its trace.
    const noReason = run(['brief', 'fail', '2']);
    assert.equal(noReason.status, 2);
    assert.equal(noReason.stderr, 'flower-tui: say why it failed (--reason)\n');
    assert.equal(run(['brief', 'fail', '--reason', 'x']).stderr, 'flower-tui: which brief? give its number\n');
    ok(run(['brief', 'dispatch', '2']), 'dispatch 2');
    assert.equal(ok(run(['brief', 'fail', '2', '--reason', 'the spec contradicts itself']), 'fail'), '#2 failed: the spec contradicts itself\n');
    const d = show(run, 2);
    assert.deepEqual([d.brief.status, d.brief.reason], ['failed', 'the spec contradicts itself']);
    assert.ok(d.trace.some((e) => JSON.stringify(e).includes('failed')), 'the failure is in the brief\'s trace');
  });
});

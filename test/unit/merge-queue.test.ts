import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Q from '../../src/core/merge/merge-queue.js';

const t0 = new Date('2026-01-01T10:00:00Z');
const lanes = (q: Q.QueueState) => q.entries.map((e) => e.lane);

function queueOf(...names: string[]): Q.QueueState {
  let q = Q.emptyQueue();
  for (const n of names) q = Q.enqueue(q, n, 'operator', t0).queue;
  return q;
}

test('enqueue appends in order and answers the position; a lane cannot be queued twice', () => {
  const r = Q.enqueue(queueOf('design', 'ccparse'), 'hotfix', 'cli', t0);
  assert.equal(r.position, 2);
  assert.deepEqual(lanes(r.queue), ['design', 'ccparse', 'hotfix']);
  assert.equal(r.queue.entries[2]!.by, 'cli');
  assert.throws(() => Q.enqueue(r.queue, 'ccparse', 'cli', t0), /ccparse is already in the queue \(position 2\)/);
});

test('ready again after being taken out: the old exit is forgotten', () => {
  let q = Q.finish(queueOf('a'), 'a', 'needs-update', 'conflict', t0);
  assert.equal(q.out.length, 1);
  q = Q.enqueue(q, 'a', 'agent', t0).queue;
  assert.deepEqual(q.out, []);
});

test('move: to a position (clamped), up and down; a running head stays first', () => {
  let q = queueOf('a', 'b', 'c', 'd');
  assert.deepEqual(lanes(Q.move(q, 'd', 1)), ['d', 'a', 'b', 'c']);
  assert.deepEqual(lanes(Q.move(q, 'a', 99)), ['b', 'c', 'd', 'a']);
  assert.deepEqual(lanes(Q.move(q, 'c', 0)), ['c', 'a', 'b', 'd'], 'clamped to the head');
  assert.deepEqual(lanes(Q.nudge(q, 'c', -1)), ['a', 'c', 'b', 'd']);
  assert.deepEqual(lanes(Q.nudge(q, 'a', -1)), ['a', 'b', 'c', 'd'], 'at the top nothing changes');
  assert.deepEqual(lanes(Q.nudge(q, 'd', 1)), ['a', 'b', 'c', 'd'], 'at the bottom nothing changes');
  q = Q.setStep(q, 'a', 'gate', t0);
  assert.deepEqual(lanes(Q.move(q, 'd', 1)), ['a', 'd', 'b', 'c'], 'nothing jumps ahead of a running merge');
  assert.throws(() => Q.move(q, 'a', 3), /a is already running \(gate\)/);
  assert.throws(() => Q.move(q, 'zz', 1), /zz is not in the queue/);
});

test('remove: any queued lane; the head while waiting or updating, never while it is merged', () => {
  let q = queueOf('a', 'b');
  assert.deepEqual(lanes(Q.remove(q, 'b')), ['a']);
  q = Q.setStep(q, 'a', 'waiting', t0);
  assert.deepEqual(lanes(Q.remove(q, 'a')), ['b']);
  q = Q.setStep(q, 'a', 'health', t0);
  assert.throws(() => Q.remove(q, 'a'), /a is being merged \(health\)/);
  assert.throws(() => Q.remove(q, 'nope'), /nope is not in the queue/);
});

test('steps: stepAt kept within a step, new on a change, cleared when back to queued; detail kept or replaced', () => {
  let q = Q.setStep(queueOf('a'), 'a', 'waiting', t0, { detail: 'a/claude working' });
  q = Q.setStep(q, 'a', 'waiting', new Date(t0.getTime() + 5000));
  assert.equal(q.entries[0]!.stepAt, t0.toISOString());
  assert.equal(q.entries[0]!.detail, 'a/claude working');
  q = Q.setStep(q, 'a', 'update', new Date(t0.getTime() + 7000), { mainAt: 'abc' });
  assert.equal(q.entries[0]!.stepAt, new Date(t0.getTime() + 7000).toISOString());
  assert.equal(q.entries[0]!.detail, null);
  assert.equal(q.entries[0]!.mainAt, 'abc');
  q = Q.setStep(q, 'a', 'queued', t0);
  assert.equal(q.entries[0]!.stepAt, null);
  assert.equal(Q.headActive(q), false);
});

test('finish keeps the last 20 exits, newest last, one per lane', () => {
  let q = Q.emptyQueue();
  for (let i = 0; i < 25; i++) q = Q.finish(Q.enqueue(q, `l${i}`, 'cli', t0).queue, `l${i}`, 'merged', 'ok', t0);
  assert.equal(q.out.length, 20);
  assert.equal(q.out.at(-1)!.lane, 'l24');
  assert.deepEqual(q.entries, []);
});

test('nextToRun: none while paused or empty', () => {
  assert.equal(Q.nextToRun(Q.emptyQueue()), null);
  const q = queueOf('a');
  assert.equal(Q.nextToRun(q)?.lane, 'a');
  assert.equal(Q.nextToRun(Q.pause(q)), null);
  assert.equal(Q.nextToRun(Q.resume(Q.pause(q, 'MAIN dirty')))?.lane, 'a');
});

test('the monitor line: lanes in order, the head with its step and elapsed time; paused says so', () => {
  let q = queueOf('design', 'ccparse', 'hotfix');
  q = Q.setStep(q, 'design', 'gate', t0);
  assert.equal(Q.queueLine(q, t0.getTime() + 42_000), 'queue: design (gate 0:42) · ccparse · hotfix');
  q = Q.setStep(q, 'design', 'waiting', t0);
  assert.equal(Q.queueLine(q, t0.getTime() + 3_723_000), 'queue: design (waiting for idle 1:02:03) · ccparse · hotfix');
  assert.equal(Q.queueLine(Q.emptyQueue(), 0), null);
  assert.equal(Q.queueLine(Q.pause(Q.emptyQueue(), 'MAIN has uncommitted changes'), 0), 'queue (paused: MAIN has uncommitted changes): empty');
});

test('normaliseQueue: what a state file holds, with junk and duplicates dropped', () => {
  const q = Q.normaliseQueue({
    entries: [{ lane: 'a', step: 'gate', mainAt: 'x', stepAt: t0.toISOString() }, { lane: 'a' }, { nope: 1 }, { lane: 'b', step: 'dancing' }],
    paused: true,
    out: [{ lane: 'c', outcome: 'merged', reason: 'ok', at: 'x' }, { lane: 3 }],
  });
  assert.deepEqual(lanes(q), ['a', 'b']);
  assert.equal(q.entries[0]!.step, 'gate');
  assert.equal(q.entries[1]!.step, 'queued');
  assert.equal(q.paused, true);
  assert.equal(q.out.length, 1);
  assert.deepEqual(Q.normaliseQueue(undefined), Q.emptyQueue());
  assert.deepEqual(Q.normaliseQueue('garbage'), Q.emptyQueue());
});

test('forgetLane drops a removed lane everywhere', () => {
  const q = Q.forgetLane(Q.finish(queueOf('a', 'b'), 'a', 'merged', 'ok', t0), 'a');
  assert.deepEqual(lanes(q), ['b']);
  assert.deepEqual(q.out, []);
});

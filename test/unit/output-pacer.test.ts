import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputPacer } from '../../src/server/output-pacer.js';

const opts = { windowMs: 100, floodBytes: 1000, frameMs: 33, resumeBytes: 100 };

test('small output stays raw; past the flood threshold within a window it switches to frames', () => {
  const p = new OutputPacer(opts);
  assert.equal(p.output('a', 500, 0), 'raw');
  assert.equal(p.output('a', 400, 50), 'raw');
  assert.equal(p.active, false);
  assert.equal(p.output('a', 200, 60), 'frame');
  assert.equal(p.active, true);
  // a new window does not matter once in frames mode
  assert.equal(p.output('a', 10, 500), 'frame');
});

test('the window resets: the same bytes spread over time stay raw', () => {
  const p = new OutputPacer(opts);
  for (let t = 0; t < 2000; t += 100) assert.equal(p.output('a', 900, t), 'raw');
});

test('tick sends dirty agents, and leaves frames mode once the rate falls below resumeBytes', () => {
  const p = new OutputPacer(opts);
  p.output('a', 2000, 0);
  p.output('a', 500, 10);
  assert.deepEqual(p.tick(), ['a']);
  assert.equal(p.active, true, 'still flooding');
  p.output('a', 50, 40);
  assert.deepEqual(p.tick(), ['a'], 'the last frame carries the tail');
  assert.equal(p.active, false);
  assert.equal(p.output('a', 10, 80), 'raw');
});

test('a quiet frame time ends frames mode without sending anything', () => {
  const p = new OutputPacer(opts);
  p.output('a', 2000, 0);
  p.tick();
  assert.deepEqual(p.tick(), []);
  assert.equal(p.active, false);
});

test('agents are paced independently', () => {
  const p = new OutputPacer(opts);
  assert.equal(p.output('a', 5000, 0), 'frame');
  assert.equal(p.output('b', 10, 0), 'raw');
});

test('a pinned (attached) agent is always raw; pinning a flooding agent owes one frame', () => {
  const p = new OutputPacer(opts);
  p.output('a', 5000, 0);
  assert.equal(p.pin('a', true), true, 'a frame is owed so raw bytes continue from a level mirror');
  assert.equal(p.output('a', 50_000, 10), 'raw');
  assert.equal(p.pin('a', false), false);
  assert.equal(p.pin('b', true), false, 'nothing owed for an agent in raw mode');
});

test('reset (after a full resync) puts every agent back to raw', () => {
  const p = new OutputPacer(opts);
  p.output('a', 5000, 0);
  p.reset();
  assert.equal(p.active, false);
  assert.equal(p.output('a', 10, 20), 'raw');
});

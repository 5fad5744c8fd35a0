/** LocateSchedule's backoff and wake-up, without timing: delays are read, watches are real. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocateSchedule } from '../../src/core/usage/locate-schedule.js';
import { waitUntil } from '../helpers/wait-until.js';

describe('LocateSchedule', () => {
  test('nothing found: the delay doubles up to the cap; something found or a wake: back to the start', () => {
    const s = new LocateSchedule(() => {}, { minMs: 1500, maxMs: 30_000 });
    const delays = [];
    for (let i = 0; i < 7; i++) {
      s.ran(false);
      delays.push(s.nextDelayMs);
    }
    assert.deepEqual(delays, [3000, 6000, 12_000, 24_000, 30_000, 30_000, 30_000]);
    s.ran(true);
    assert.equal(s.nextDelayMs, 1500);
    s.ran(false);
    s.wake();
    assert.equal(s.nextDelayMs, 1500);
    s.stop();
  });

  test('an entry appearing in a watched directory — or below a missing one — wakes it', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flower-locate-'));
    let runs = 0;
    const s = new LocateSchedule(() => runs++, { minMs: 60_000, maxMs: 60_000, settleMs: 10 });
    try {
      s.start();
      assert.equal(runs, 1, 'start looks once at once');
      // Not there yet: its existing ancestor (tmp) is watched instead.
      s.watchDirs([{ dir: path.join(tmp, 'projects', 'slug'), name: 'session.jsonl' }]);
      fs.mkdirSync(path.join(tmp, 'projects'));
      await waitUntil(() => runs === 2, { timeoutMs: 3000, what: 'a wake from the ancestor' });
      fs.mkdirSync(path.join(tmp, 'projects', 'slug'));
      s.watchDirs([{ dir: path.join(tmp, 'projects', 'slug'), name: 'session.jsonl' }]);
      fs.writeFileSync(path.join(tmp, 'projects', 'slug', 'other.jsonl'), 'x');
      fs.writeFileSync(path.join(tmp, 'projects', 'slug', 'session.jsonl'), 'x');
      await waitUntil(() => runs === 3, { timeoutMs: 3000, what: 'a wake from the file appearing' });
      // Appends are the tailer's business: they do not wake the locator.
      fs.appendFileSync(path.join(tmp, 'projects', 'slug', 'session.jsonl'), 'more');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(runs, 3, 'an append woke the locator');
    } finally {
      s.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

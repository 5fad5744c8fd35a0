import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleCompaction, type StartQuietTimer } from '../../src/server/idle-compaction.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A clock the test moves by hand: timers fire in `advance`, never on their own. */
function manualClock(): { start: StartQuietTimer; advance(ms: number): void } {
  let now = 0;
  const timers = new Set<{ due: number; ms: number; fn: () => void }>();
  return {
    start: (fn, ms) => {
      const t = { due: now + ms, ms, fn };
      timers.add(t);
      return { refresh: () => void (t.due = now + t.ms), cancel: () => void timers.delete(t) };
    },
    advance(ms) {
      now += ms;
      for (const t of [...timers]) if (t.due <= now) (timers.delete(t), t.fn());
    },
  };
}

test('one GC after a burst of output, once it has gone quiet; none for a trickle', () => {
  const g = globalThis as { gc?: unknown };
  const saved = g.gc;
  let calls = 0;
  g.gc = () => calls++;
  try {
    const clock = manualClock();
    const c = new IdleCompaction({ afterBytes: 1000, quietMs: 30 }, clock.start);
    c.output(100);
    clock.advance(60);
    assert.equal(calls, 0, 'below the threshold: nothing');
    for (let i = 0; i < 5; i++) {
      c.output(500);
      clock.advance(10); // the burst goes on: the GC waits
    }
    assert.equal(calls, 0);
    clock.advance(19); // 29 ms since the last chunk
    assert.equal(calls, 0, 'not before the quiet has lasted');
    clock.advance(1);
    assert.equal(calls, 1, 'once, after the quiet');
    clock.advance(80);
    assert.equal(calls, 1, 'not again without new output');
    c.output(2000);
    c.dispose();
    clock.advance(80);
    assert.equal(calls, 1, 'nothing after dispose');
  } finally {
    g.gc = saved;
  }
});

test('while the archives are still compacting the burst, the GC waits another quiet period', () => {
  const g = globalThis as { gc?: unknown };
  const saved = g.gc;
  let calls = 0;
  g.gc = () => calls++;
  try {
    const clock = manualClock();
    let busy = true;
    const c = new IdleCompaction({ afterBytes: 10, quietMs: 30 }, clock.start, () => busy);
    c.output(100);
    clock.advance(30);
    clock.advance(30);
    assert.equal(calls, 0, 'not while busy');
    busy = false;
    clock.advance(30);
    assert.equal(calls, 1, 'once the compaction is over');
    c.dispose();
  } finally {
    g.gc = saved;
  }
});

test('without an exposed gc it does nothing', async () => {
  const g = globalThis as { gc?: unknown };
  const saved = g.gc;
  delete g.gc;
  try {
    const c = new IdleCompaction({ afterBytes: 1, quietMs: 1 });
    c.output(10);
    await sleep(10);
    c.dispose();
  } finally {
    g.gc = saved;
  }
});

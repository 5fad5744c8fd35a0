import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleCompaction } from '../../src/server/idle-compaction.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('one GC after a burst of output, once it has gone quiet; none for a trickle', async () => {
  const g = globalThis as { gc?: unknown };
  const saved = g.gc;
  let calls = 0;
  g.gc = () => calls++;
  try {
    const c = new IdleCompaction({ afterBytes: 1000, quietMs: 30 });
    c.output(100);
    await sleep(60);
    assert.equal(calls, 0, 'below the threshold: nothing');
    for (let i = 0; i < 5; i++) {
      c.output(500);
      await sleep(10); // the burst goes on: the GC waits
    }
    assert.equal(calls, 0);
    await sleep(80);
    assert.equal(calls, 1, 'once, after the quiet');
    await sleep(80);
    assert.equal(calls, 1, 'not again without new output');
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

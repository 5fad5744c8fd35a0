import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactLater, compactionPending, forget, type Compactable } from '../../src/core/agents/compaction-scheduler.js';

/** An archive with `raw` rows to make compact, each costing `costMs` of busy work. */
function archive(raw: number, costMs = 0): Compactable & { raw: number; calls: number } {
  return {
    raw,
    calls: 0,
    compactSome(max: number) {
      this.calls++;
      const n = Math.min(max, this.raw);
      const until = performance.now() + costMs * n;
      while (performance.now() < until);
      this.raw -= n;
      return this.raw;
    },
  };
}

const drained = async () => {
  while (compactionPending()) await new Promise((r) => setTimeout(r, 5));
};

test('every waiting archive is drained, and then nothing is pending', async () => {
  const a = archive(5000);
  const b = archive(120);
  compactLater(a);
  compactLater(b);
  compactLater(a); // twice: still one entry
  assert.equal(compactionPending(), true);
  await drained();
  assert.equal(a.raw, 0);
  assert.equal(b.raw, 0);
});

test('a large archive does not starve a small one: round robin across ticks', async () => {
  // 0.05 ms a row: the big one alone needs many ticks' budgets.
  const big = archive(2000, 0.05);
  const small = archive(10);
  compactLater(big);
  compactLater(small);
  while (small.raw > 0) await new Promise((r) => setTimeout(r, 5));
  assert.ok(big.raw > 0, 'the small archive was done while the big one still had rows');
  await drained();
  assert.equal(big.raw, 0);
});

test('a forgotten archive is not touched again', async () => {
  const gone = archive(1000);
  compactLater(gone);
  forget(gone);
  assert.equal(compactionPending(), false);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(gone.calls, 0);
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fitSegments, truncateToWidth, type Segment } from '../../src/ui/components/fit-segments.js';

const text = (segs: Segment[]) => segs.map((s) => s.text).join('');

describe('fitSegments: what a narrow row keeps', () => {
  const row: Segment[] = [
    { text: '  claude', priority: 100, shrink: true },
    { text: ' · claude', priority: 20 },
    { text: ' · ● working', priority: 90 },
    { text: ' 12m', priority: 30 },
    { text: ' · reading src/lib/router.ts', priority: 45, shrink: true, minWidth: 12 },
    { text: ' · ctx 180k/200k 90% ROT', priority: 86 },
    { text: ' ▣', priority: 10 },
  ];

  test('everything when it fits, in reading order', () => {
    assert.equal(text(fitSegments(row, 200)), '  claude · claude · ● working 12m · reading src/lib/router.ts · ctx 180k/200k 90% ROT ▣');
  });

  test('the lowest priorities go first; a shrinkable one is cut short rather than dropped', () => {
    assert.equal(text(fitSegments(row, 70)), '  claude · ● working · reading src/lib/router… · ctx 180k/200k 90% ROT');
    assert.equal(text(fitSegments(row, 45)), '  claude · ● working · ctx 180k/200k 90% ROT');
    // Without room for all of it, the next one down is tried: the uptime still fits.
    assert.equal(text(fitSegments(row, 30)), '  claude · ● working 12m ▣');
  });

  test('the most important one is cut, never dropped, and the result never exceeds the width', () => {
    for (let w = 1; w <= 100; w++) assert.ok(stringWidth(text(fitSegments(row, w))) <= w, `width ${w}`);
    assert.equal(text(fitSegments(row, 5)), '  cl…');
  });

  test('a short form when the whole does not fit', () => {
    const segs: Segment[] = [{ text: '  claude', priority: 100 }, { text: ' · ctx 180k/200k 90% ROT', short: ' · 90% ROT', priority: 86 }];
    assert.equal(text(fitSegments(segs, 20)), '  claude · 90% ROT');
  });

  test('widths are display columns: a wide character counts two', () => {
    assert.equal(truncateToWidth('日本語テキスト', 7), '日本語…');
    assert.equal(text(fitSegments([{ text: '🚀🚀', priority: 9 }, { text: ' · x', priority: 1 }], 5)), '🚀🚀');
  });
});

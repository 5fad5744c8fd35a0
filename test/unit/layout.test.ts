import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chooseColumns, computeLayout, layoutAgents, MAIN_HEIGHT, splitEven, visibleWindow, type Layout, type Rect } from '../../src/layout/layout.js';

function lanes(n: number, agentsPerLane: number): { name: string; agents: string[] }[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `lane${i}`,
    agents: Array.from({ length: agentsPerLane }, (_, j) => `lane${i}/a${j}`),
  }));
}

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function positive(r: Rect): boolean {
  return r.width > 0 && r.height > 0;
}

/** Every invariant the chrome and the compositor rely on. */
function checkLayout(l: Layout, label: string): void {
  const term: Rect = { x: 0, y: 0, width: l.cols, height: l.rows };
  assert.equal(l.tooSmall, null, label);
  assert.deepEqual(l.main, { x: 0, y: 0, width: l.cols, height: MAIN_HEIGHT }, `${label}: MAIN strip at top, full width`);
  assert.deepEqual(l.status, { x: 0, y: l.rows - 1, width: l.cols, height: 1 }, `${label}: status is the last row`);
  const outer: Rect[] = [l.main, l.status, ...l.lanes.map((p) => p.rect)];
  for (const r of outer) {
    assert.ok(positive(r), `${label}: empty rect ${JSON.stringify(r)}`);
    assert.ok(inside(r, term), `${label}: ${JSON.stringify(r)} outside terminal`);
  }
  for (let i = 0; i < outer.length; i++)
    for (let j = i + 1; j < outer.length; j++) assert.ok(!overlaps(outer[i]!, outer[j]!), `${label}: ${JSON.stringify(outer[i])} overlaps ${JSON.stringify(outer[j])}`);
  for (const lane of l.lanes) {
    assert.ok(inside(lane.rect, l.laneArea), `${label}: lane ${lane.name} outside lane area`);
    const border: Rect = { x: lane.rect.x + 1, y: lane.rect.y + 1, width: lane.rect.width - 2, height: lane.rect.height - 2 };
    const inner: Rect[] = [];
    for (const s of lane.slots) {
      assert.ok(positive(s.screen), `${label}: ${s.id} empty screen`);
      assert.ok(inside(s.header, border), `${label}: ${s.id} header outside lane border`);
      assert.ok(inside(s.screen, border), `${label}: ${s.id} screen ${JSON.stringify(s.screen)} outside lane border ${JSON.stringify(border)}`);
      assert.equal(s.header.height, 1);
      assert.equal(s.header.y + 1, s.screen.y, `${label}: ${s.id} header directly above screen`);
      assert.equal(s.header.x, s.screen.x);
      assert.equal(s.header.width, s.screen.width);
      inner.push(s.header, s.screen);
    }
    for (let i = 0; i < inner.length; i++)
      for (let j = i + 1; j < inner.length; j++) assert.ok(!overlaps(inner[i]!, inner[j]!), `${label}: slots overlap in ${lane.name}`);
  }
  // Lanes tile the lane area exactly: no hole, no overlap.
  if (l.lanes.length > 0) {
    const area = l.lanes.reduce((s, p) => s + p.rect.width * p.rect.height, 0);
    assert.equal(area, l.laneArea.width * l.laneArea.height, `${label}: lanes tile the lane area`);
  }
}

describe('computeLayout invariants', () => {
  for (const [cols, rows] of [
    [80, 24],
    [200, 60],
    [40, 12],
    [123, 37],
  ] as const) {
    for (const n of [0, 1, 2, 3, 5, 12]) {
      for (const per of [1, 2, 3, 4]) {
        test(`${cols}x${rows}, ${n} lanes × ${per} agents`, () => {
          const ls = lanes(n, per);
          for (const focus of [null, ls[0]?.name ?? null, ls[n - 1]?.name ?? null]) {
            const l = computeLayout({ cols, rows, lanes: ls, focusLane: focus, focusAgent: null });
            checkLayout(l, `${cols}x${rows} n=${n} per=${per} focus=${focus}`);
            assert.equal(l.hiddenBefore + l.lanes.length + l.hiddenAfter, n, 'every lane is shown or counted hidden');
            for (const lane of l.lanes) assert.equal(lane.slots.length + lane.hiddenAgents, per, 'every agent shown or counted hidden');
          }
        });
      }
    }
  }

  test('200x60 shows 12 lanes with up to 4 agents all at once', () => {
    const l = computeLayout({ cols: 200, rows: 60, lanes: lanes(12, 4), focusLane: null, focusAgent: null });
    assert.equal(l.lanes.length, 12);
    assert.equal(l.hiddenBefore + l.hiddenAfter, 0);
  });

  test('one lane gets the whole lane area', () => {
    const l = computeLayout({ cols: 80, rows: 24, lanes: lanes(1, 1), focusLane: null, focusAgent: null });
    assert.deepEqual(l.lanes[0]!.rect, { x: 0, y: 3, width: 80, height: 20 });
    assert.deepEqual(l.lanes[0]!.slots[0]!.header, { x: 1, y: 4, width: 78, height: 1 });
    assert.deepEqual(l.lanes[0]!.slots[0]!.screen, { x: 1, y: 5, width: 78, height: 17 });
  });

  test('two lanes at 80x24 sit side by side', () => {
    const l = computeLayout({ cols: 80, rows: 24, lanes: lanes(2, 1), focusLane: null, focusAgent: null });
    assert.deepEqual(
      l.lanes.map((p) => p.rect),
      [
        { x: 0, y: 3, width: 40, height: 20 },
        { x: 40, y: 3, width: 40, height: 20 },
      ],
    );
  });

  test('5 lanes at 80x24: a row of 3 then a row of 2 sharing the full width', () => {
    const l = computeLayout({ cols: 80, rows: 24, lanes: lanes(5, 1), focusLane: null, focusAgent: null });
    const rowsY = [...new Set(l.lanes.map((p) => p.rect.y))];
    assert.equal(rowsY.length, 2);
    assert.deepEqual(l.lanes.filter((p) => p.rect.y === rowsY[0]).map((p) => p.rect.width), [27, 27, 26]);
    assert.deepEqual(l.lanes.filter((p) => p.rect.y === rowsY[1]).map((p) => p.rect.width), [40, 40]);
  });

  test('no lanes: laneArea is between MAIN and status', () => {
    const l = computeLayout({ cols: 80, rows: 24, lanes: [], focusLane: null, focusAgent: null });
    assert.deepEqual(l.lanes, []);
    assert.deepEqual(l.laneArea, { x: 0, y: 3, width: 80, height: 20 });
  });
});

describe('too small', () => {
  for (const [cols, rows] of [
    [39, 24],
    [80, 11],
    [10, 5],
  ] as const) {
    test(`${cols}x${rows} → tooSmall, nothing laid out`, () => {
      const l = computeLayout({ cols, rows, lanes: lanes(2, 2), focusLane: null, focusAgent: null });
      assert.deepEqual(l.tooSmall, { needCols: 40, needRows: 12 });
      assert.deepEqual(l.lanes, []);
    });
  }

  test('40x12 is just big enough', () => {
    const l = computeLayout({ cols: 40, rows: 12, lanes: lanes(2, 2), focusLane: null, focusAgent: null });
    assert.equal(l.tooSmall, null);
    assert.ok(l.lanes.length >= 1, 'l.lanes.length >= 1');
  });
});

describe('windowing', () => {
  test('many lanes at 80x24: focused lane always visible, hidden counts add up', () => {
    const ls = lanes(30, 1);
    for (let f = 0; f < ls.length; f++) {
      const l = computeLayout({ cols: 80, rows: 24, lanes: ls, focusLane: ls[f]!.name, focusAgent: null });
      assert.ok(l.lanes.some((p) => p.name === ls[f]!.name), `lane ${f} visible`);
      assert.equal(l.hiddenBefore + l.lanes.length + l.hiddenAfter, 30);
      // Visible lanes are consecutive and start right after the hidden ones.
      assert.deepEqual(
        l.lanes.map((p) => p.name),
        ls.slice(l.hiddenBefore, l.hiddenBefore + l.lanes.length).map((x) => x.name),
      );
      assert.ok(l.lanes.length < 30, 'l.lanes.length < 30');
    }
  });

  test('focus on MAIN (null or unknown lane) shows the first lanes', () => {
    const ls = lanes(30, 1);
    for (const focus of [null, 'MAIN', 'does-not-exist']) {
      const l = computeLayout({ cols: 80, rows: 24, lanes: ls, focusLane: focus, focusAgent: null });
      assert.equal(l.hiddenBefore, 0);
      assert.equal(l.lanes[0]!.name, 'lane0');
    }
  });

  test('lane index: MAIN is 1, first lane is 2, index stays absolute when windowed', () => {
    const ls = lanes(30, 1);
    const a = computeLayout({ cols: 80, rows: 24, lanes: ls, focusLane: null, focusAgent: null });
    assert.equal(a.lanes[0]!.index, 2);
    a.lanes.forEach((p, i) => assert.equal(p.index, i + 2));
    const b = computeLayout({ cols: 80, rows: 24, lanes: ls, focusLane: 'lane29', focusAgent: null });
    assert.ok(b.hiddenBefore > 0, 'b.hiddenBefore > 0');
    for (const p of b.lanes) assert.equal(p.index, Number(p.name.slice(4)) + 2, p.name);
  });

  test('too many agents in a lane: the focused agent is shown', () => {
    const ls = lanes(5, 4); // 80x24 with 5 lanes: each lane is short
    for (let j = 0; j < 4; j++) {
      const focusAgent = `lane1/a${j}`;
      const l = computeLayout({ cols: 80, rows: 24, lanes: ls, focusLane: 'lane1', focusAgent });
      const lane = l.lanes.find((p) => p.name === 'lane1')!;
      assert.ok(lane.hiddenAgents > 0, 'lane.hiddenAgents > 0');
      assert.ok(lane.slots.some((s) => s.id === focusAgent), `${focusAgent} visible`);
    }
  });
});

describe('helpers', () => {
  test('splitEven: sums to total, differs by at most one, larger first', () => {
    for (const [t, n] of [
      [80, 3],
      [20, 1],
      [7, 7],
      [10, 4],
      [3, 5],
    ] as const) {
      const parts = splitEven(t, n);
      assert.equal(parts.length, n);
      assert.equal(parts.reduce((a, b) => a + b, 0), t);
      assert.ok(Math.max(...parts) - Math.min(...parts) <= 1, 'Math.max(...parts) - Math.min(...parts) <= 1');
      assert.deepEqual(parts, [...parts].sort((a, b) => b - a));
    }
    assert.deepEqual(splitEven(10, 4), [3, 3, 2, 2]);
  });

  test('chooseColumns: null when nothing fits, one column for a narrow area', () => {
    assert.equal(chooseColumns(1, 10, 10), null);
    assert.equal(chooseColumns(3, 30, 60), 1);
    assert.equal(chooseColumns(2, 80, 20), 2);
    assert.equal(chooseColumns(4, 200, 56), 2, "2×2 is squarer than 4×1");
    assert.equal(chooseColumns(3, 200, 20), 3, "a short wide area gets one row");
  });

  test('visibleWindow: contains focus, has the requested size, stays in range', () => {
    for (let n = 1; n <= 12; n++)
      for (let count = 1; count <= n + 1; count++)
        for (let f = 0; f < n; f++) {
          const [s, e] = visibleWindow(n, count, f);
          assert.ok(s >= 0 && e <= n && s <= f && f < e, `n=${n} count=${count} f=${f} → [${s},${e})`);
          assert.equal(e - s, Math.min(n, count));
        }
    assert.deepEqual(visibleWindow(10, 3, -1), [0, 3]);
  });

  test('layoutAgents: empty lane has no slots', () => {
    assert.deepEqual(layoutAgents({ x: 1, y: 1, width: 10, height: 10 }, [], null), { slots: [], hidden: 0 });
  });

  test('layoutAgents: stacked agents fill the inner height exactly', () => {
    const inner = { x: 1, y: 4, width: 30, height: 17 };
    const { slots, hidden } = layoutAgents(inner, ['a', 'b', 'c'], null);
    assert.equal(hidden, 0);
    assert.equal(slots[0]!.header.y, 4);
    const last = slots[2]!;
    assert.equal(last.screen.y + last.screen.height, inner.y + inner.height);
    for (let i = 1; i < slots.length; i++) assert.equal(slots[i]!.header.y, slots[i - 1]!.screen.y + slots[i - 1]!.screen.height);
  });

  test('layoutAgents: window around the focused agent', () => {
    const { slots, hidden } = layoutAgents({ x: 0, y: 0, width: 10, height: 6 }, ['a', 'b', 'c', 'd', 'e'], 'e');
    assert.equal(slots.length, 2);
    assert.equal(hidden, 3);
    assert.deepEqual(
      slots.map((s) => s.id),
      ['d', 'e'],
    );
  });
});

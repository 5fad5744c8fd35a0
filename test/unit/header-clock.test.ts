import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { HeaderClock, headerDuration, msUntilChange, type ClockDeps } from '../../src/ui/header-clock.js';
import { App } from '../../src/ui/components/App.js';
import { computeLayout } from '../../src/layout/layout.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import { initialUiState, lanesOf } from '../../src/ui/ui-state.js';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';

/** A clock the test moves by hand: timers fire only when it is advanced past them. */
function fakeClock(start: number) {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let n = 0;
  const deps: ClockDeps = {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(++n, { at: now + ms, fn }), n),
    clearTimeout: (h) => void timers.delete(h as number),
  };
  return {
    deps,
    timers,
    /** Move to `to`, firing due timers in order. */
    advance(to: number) {
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = to;
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-12-03T12:00:00.000Z');

describe('header durations', () => {
  test('busy states by the second, calm ones by the minute', () => {
    assert.equal(headerDuration('working', 42_000), '42s');
    assert.equal(headerDuration('needs-you', 3 * 60_000 + 5000), '3m');
    assert.equal(headerDuration('idle', 42_000), '<1m');
    assert.equal(headerDuration('running', 61_000), null, 'only known to be alive: no duration');
    assert.equal(msUntilChange('running', 61_000), Infinity);
    assert.equal(headerDuration('exited', 2 * 3600_000 + 60_000), '2h01m');
    assert.equal(msUntilChange('working', 42_300), 700);
    assert.equal(msUntilChange('working', 59_500), 500, 'to 1m');
    assert.equal(msUntilChange('idle', 42_300), 17_700, 'an idle agent waits for its first minute');
    assert.equal(msUntilChange('needs-you', 3 * 60_000 + 5000), 55_000);
  });

  test('one timer, for the first duration on screen to change; none when none is shown', () => {
    const c = fakeClock(T0 + 42_300);
    let ticks = 0;
    const clock = new HeaderClock(() => ticks++, c.deps);
    clock.show([]);
    assert.equal(clock.pending, false, 'nothing shown: no timer');
    // Agents only known to be running show no duration: a cockpit of them never wakes for one.
    clock.show(Array.from({ length: 16 }, () => ({ state: 'running' as const, since: iso(T0) })));
    assert.equal(clock.pending, false);
    // Sixteen calm agents: one timer, at their next minute.
    clock.show(Array.from({ length: 16 }, () => ({ state: 'idle' as const, since: iso(T0) })));
    assert.equal(c.timers.size, 1);
    assert.equal([...c.timers.values()][0]!.at, T0 + 60_000 + 5);
    // A working agent joins: the timer moves to its next second.
    clock.show([{ state: 'idle', since: iso(T0) }, { state: 'working', since: iso(T0 + 40_000) }]);
    assert.equal(c.timers.size, 1);
    assert.equal([...c.timers.values()][0]!.at, T0 + 43_005);
    // Sixteen working agents started a few ms apart: one redraw a second, not sixteen.
    clock.show(Array.from({ length: 16 }, (_, i) => ({ state: 'working' as const, since: iso(T0 + i * 20) })));
    assert.equal(c.timers.size, 1);
    assert.equal([...c.timers.values()][0]!.at, T0 + 43_000 + 15 * 20 + 5, 'at the last of their changes within the second');
    clock.show([{ state: 'idle', since: iso(T0) }, { state: 'working', since: iso(T0 + 40_000) }]);
    // The same things shown again: the timer is kept, not re-armed.
    clock.show([{ state: 'working', since: iso(T0 + 40_000) }]);
    assert.equal(c.timers.size, 1);
    c.advance(T0 + 43_010);
    assert.equal(ticks, 1);
    clock.stop();
    assert.equal(clock.pending, false);
  });

  test('the header redraws as time passes, by the clock, not only when a snapshot comes', () => {
    const c = fakeClock(T0 + 41_000);
    const snapshot = fakeSnapshot({ lane: ['cc'] });
    const agent = snapshot.agents[0]!;
    agent.status = { state: 'working', reason: null, since: iso(T0), source: 'hook', hookAt: T0 };
    const ui = { ...initialUiState(), focusLane: 'lane', focusAgent: agent.id };
    const layout = computeLayout({ cols: 100, rows: 30, lanes: lanesOf(snapshot), focusLane: 'lane', focusAgent: agent.id });
    const view = () => React.createElement(App, { snapshot, ui, layout, keymap: buildKeymap(), now: c.deps.now() });
    const r = render(view());
    // What the cockpit does: on each tick, draw again with the clock's time and say again what is shown.
    const clock: HeaderClock = new HeaderClock(() => {
      r.rerender(view());
      clock.show([agent.status]);
    }, c.deps);
    clock.show([agent.status]);
    assert.match(r.lastFrame()!, /working 41s/);
    c.advance(T0 + 42_100);
    assert.match(r.lastFrame()!, /working 42s/);
    c.advance(T0 + 75_000);
    assert.match(r.lastFrame()!, /working 1m/);
    r.unmount();
    clock.stop();
  });
});

test("'seconds' (the merge queue's m:ss in MAIN's monitor) changes every second, past the first minute too", () => {
  assert.equal(msUntilChange('seconds', 65_300), 700);
  assert.equal(msUntilChange('seconds', 3_600_000), 1000);
  assert.equal(msUntilChange('working', 65_300), 54_700, 'a header duration past a minute still changes by the minute');
});

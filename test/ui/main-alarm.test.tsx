import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp } from './render-app.js';

// At 80 columns MAIN's strip has one line: the alarms come first, so what is cut is the subject.
describe('MAIN alarms at 80 columns', () => {
  test('the dirty alarm and the HEAD-moved alarm are shown whole, however long the subject', () => {
    const snap = fakeSnapshot();
    snap.main = { ...snap.main, subject: 'A very long commit subject that would otherwise push the alarm off the end of the line', changes: 3, changed: [' M a', ' M b', ' M c'] };
    snap.main.headMoved = { from: 'abc1234aaaa', to: 'def5678bbbb', subject: 'hotfix', at: '2026-12-03T15:00:00Z' };
    const r = renderApp({ cols: 80, rows: 24, snapshot: snap });
    assert.match(r.lines[1]!, /⚠ MAIN EDITED DIRECTLY: 3 changes {2}⚠ HEAD MOVED OUTSIDE flower-tui {2}⎇/);
    const one = fakeSnapshot();
    one.main = { ...one.main, subject: 'x'.repeat(120) };
    one.main.headMoved = { from: 'abc1234aaaa', to: 'def5678bbbb', subject: null, at: '2026-12-03T15:00:00Z' };
    assert.match(renderApp({ cols: 80, rows: 24, snapshot: one }).lines[1]!, /⚠ MAIN HEAD MOVED OUTSIDE flower-tui: abc1234 → def5678 {2}⎇ main/);
  });
});

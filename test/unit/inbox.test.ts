import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { handleKey, needsYou } from '../../src/ui/input/grid-keys.js';
import { tokenizeKeys } from '../../src/ui/input/key-tokens.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import { computeLayout } from '../../src/layout/layout.js';
import { initialUiState, lanesOf, type UiState } from '../../src/ui/ui-state.js';
import { renderApp } from '../ui/render-app.js';
import type { Snapshot } from '../../src/core/types.js';

/** Mark agents needs-you, the first one waiting longest. */
function waiting(snap: Snapshot, ids: string[]): Snapshot {
  ids.forEach((id, i) => {
    const a = snap.agents.find((x) => x.id === id)!;
    a.status = { state: 'needs-you', reason: `permission: Bash(step ${i})`, since: new Date(1_000_000 + i * 1000).toISOString(), source: 'hook', hookAt: 1 };
  });
  return snap;
}

describe('the needs-you inbox', () => {
  test('Space jumps to the agent waiting longest, again to the next, and wraps', () => {
    const snap = waiting(fakeSnapshot(), ['design/codex', 'feature-auth/shell']);
    const keymap = buildKeymap();
    let ui: UiState = initialUiState();
    const press = () => {
      const layout = computeLayout({ cols: 80, rows: 24, lanes: lanesOf(snap), focusLane: ui.focusLane, focusAgent: ui.focusAgent });
      ui = handleKey(ui, tokenizeKeys(' ')[0]!, { snapshot: snap, layout, keymap, bufferSize: () => null, search: () => [] }).ui;
    };
    press();
    assert.equal(ui.focusAgent, 'design/codex');
    assert.match(ui.message!.text, /design\/codex needs you: permission: Bash\(step 0\) \(1\/2\)/);
    press();
    assert.equal(ui.focusAgent, 'feature-auth/shell');
    press();
    assert.equal(ui.focusAgent, 'design/codex');
    assert.deepEqual(needsYou(snap).map((a) => a.id), ['design/codex', 'feature-auth/shell']);
  });

  test('nobody waiting: Space says so', () => {
    const layout = computeLayout({ cols: 80, rows: 24, lanes: lanesOf(fakeSnapshot()), focusLane: 'MAIN', focusAgent: null });
    const r = handleKey(initialUiState(), tokenizeKeys(' ')[0]!, { snapshot: fakeSnapshot(), layout, keymap: buildKeymap(), bufferSize: () => null, search: () => [] });
    assert.equal(r.ui.message?.text, 'No agent needs you');
  });

  test('a configured key: "space" is the space bar, another key can replace it', () => {
    assert.equal(buildKeymap({ inbox: 'space' }).lookup.get(' '), 'inbox');
    assert.equal(buildKeymap({ inbox: 'i' }).lookup.get('i'), 'inbox');
  });

  test('the status line counts them; the lane is marked; the header says needs-you with the reason', () => {
    const r = renderApp({ cols: 200, rows: 60, snapshot: waiting(fakeSnapshot(), ['design/codex']) });
    assert.match(r.lines[59]!, /! 1 needs you \(Space\)/);
    const lane = r.layout.lanes[1]!;
    assert.match(r.lines[lane.rect.y]!, /design .*! needs you/);
    assert.match(r.lines[lane.slots[0]!.header.y]!, /codex · codex · ! needs-you \S+ · permission: Bash\(step 0\)/);
  });

  test('an agent whose pane is off-screen still counts, and says so', () => {
    const lanes: Record<string, string[]> = {};
    for (let i = 0; i < 8; i++) lanes[`lane-${i}`] = ['a'];
    const snap = waiting(fakeSnapshot(lanes), ['lane-7/a']);
    const r = renderApp({ cols: 80, rows: 24, snapshot: snap, ui: { focusLane: 'lane-0', focusAgent: 'lane-0/a' } });
    if (r.layout.lanes.some((l) => l.name === 'lane-7')) return; // everything fits: nothing to prove here
    assert.match(r.lines[23]!, /! 1 needs you \(Space\) · 1 off-screen/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LaneCommands, outcomeMayShow } from '../../src/ui/cockpit/lane-commands.js';
import { CockpitState } from '../../src/ui/cockpit/cockpit-state.js';
import type { CockpitBackend } from '../../src/core/backend/cockpit-backend.js';
import type { FlowerConfig } from '../../src/config/config.js';

/** A backend whose answers the test releases, so a key can be typed while one is in flight. */
function slowBackend(): { backend: CockpitBackend; answer: (r: unknown) => void; fail: (e: Error) => void } {
  let answer: (r: unknown) => void = () => {};
  let fail: (e: Error) => void = () => {};
  const backend = {
    snapshot: () => ({ worktrees: [], agents: [] }),
    dispatch: () => new Promise((resolve, reject) => { answer = resolve; fail = reject; }),
  } as unknown as CockpitBackend;
  return { backend, answer: (r) => answer(r), fail: (e) => fail(e) };
}

const move = { type: 'queue', op: 'move', lane: 'beta', to: 'up' } as const;
const moved = { queue: [], lane: 'beta', position: 2 };

describe('a lane command’s answer in the status bar', () => {
  test('outcomeMayShow: info yields to a newer line, never to a cleared one; errors always show', () => {
    const a = { text: 'a', level: 'info' as const };
    const b = { text: 'b', level: 'info' as const };
    assert.equal(outcomeMayShow(a, a, 'info'), true);
    assert.equal(outcomeMayShow(null, null, 'info'), true);
    assert.equal(outcomeMayShow(a, null, 'info'), true);
    assert.equal(outcomeMayShow(a, b, 'info'), false);
    assert.equal(outcomeMayShow(null, b, 'info'), false);
    assert.equal(outcomeMayShow(a, b, 'error'), true);
  });

  test('a line set while the command was in flight stays; with none, the answer shows', async () => {
    const slow = slowBackend();
    const s = new CockpitState(slow.backend, {} as FlowerConfig, () => {});
    const lanes = new LaneCommands(s);
    let run = lanes.run(move);
    s.setMessage('beta is already in the merge queue (position 2)', 'info'); // the next key, answered at once
    slow.answer(moved);
    await run;
    assert.equal(s.ui.message?.text, 'beta is already in the merge queue (position 2)');

    run = lanes.run(move);
    slow.answer(moved);
    await run;
    assert.equal(s.ui.message?.text, 'beta is now at position 2 in the merge queue');
  });

  test('a failure shows even over a newer line', async () => {
    const slow = slowBackend();
    const s = new CockpitState(slow.backend, {} as FlowerConfig, () => {});
    const run = new LaneCommands(s).run(move);
    s.setMessage('something newer', 'info');
    slow.fail(new Error('queue is locked'));
    await run;
    assert.equal(s.ui.message?.level, 'error');
    assert.match(s.ui.message?.text ?? '', /queue is locked/);
  });
});

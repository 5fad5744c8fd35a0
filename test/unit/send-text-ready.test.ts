import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readyForText } from '../../src/core/agents/send-text.js';
import type { AgentInfo } from '../../src/core/types.js';

const T0 = Date.parse('2026-12-05T00:00:00Z');
/** A running agent whose status is `state` by `source`, set at T0 (only what readyForText reads). */
const agent = (state: string, source: string) =>
  ({ state: { kind: 'running' }, status: { state, source, since: new Date(T0).toISOString(), reason: null } }) as unknown as AgentInfo;
const busyScreen = (now: number) => now - 10; // a spinner: the screen is never quiet

describe('when keys typed into an agent would land', () => {
  test("a hook's needs-you waits for the dialog to be drawn (Codex reports before it shows the approval)", () => {
    const info = agent('needs-you', 'hook');
    const at = T0 + 600;
    assert.equal(readyForText(info, busyScreen(at), undefined, at, () => false), false, 'no dialog yet: keys would reach the input box');
    assert.equal(readyForText(info, busyScreen(at), undefined, at, () => true), true, 'drawn and settled');
    assert.equal(readyForText(info, at, undefined, T0 + 100, () => true), false, 'drawn, not settled yet');
    const late = T0 + 5_000;
    assert.equal(readyForText(info, busyScreen(late), undefined, late, () => false), true, 'a dialog the screen reader does not know: after 5 s anyway');
  });

  test('a needs-you read off the screen, an idle by hook and no dialog reader are as before', () => {
    const at = T0 + 600;
    assert.equal(readyForText(agent('needs-you', 'screen'), busyScreen(at), undefined, at, () => false), true);
    assert.equal(readyForText(agent('idle', 'hook'), busyScreen(at), undefined, at, () => false), true);
    assert.equal(readyForText(agent('needs-you', 'hook'), busyScreen(at), undefined, at), true);
    assert.equal(readyForText(agent('working', 'hook'), busyScreen(at), undefined, at, () => true), false, 'working with a busy screen: not ready');
  });
});

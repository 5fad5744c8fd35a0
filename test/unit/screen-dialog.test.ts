import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockingDialog } from '../../src/core/status/screen-dialog.js';
import { applyObservation, initialStatus, type AgentStatus } from '../../src/core/status/agent-status.js';

const fixture = (name: string) => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/screens', name), 'utf8').split('\n');
const apply = (s: AgentStatus, obs: Parameters<typeof applyObservation>[1], now = 1000) => applyObservation(s, obs, now) ?? s;

describe('dialogs on the screen', () => {
  test("Claude Code's auto-mode dialog (classifier unreachable) and its permission prompt are dialogs, with their titles", () => {
    // Both screens as the real Claude Code 2.1.330 drew them at 100x30 (captured under tmux, offline).
    assert.equal(blockingDialog(fixture('claude-auto-mode-unreachable.txt')), "Auto mode can't check actions in this session");
    assert.equal(blockingDialog(fixture('claude-permission.txt')), 'Bash command');
  });

  test('a working turn, the input box and history are not dialogs', () => {
    const rule = '─'.repeat(100);
    assert.equal(blockingDialog(['❯ please write the file', '', '✶ Generating…', rule, '❯ ', rule, '  ⏸ manual mode on · esc to interrupt · ← for agents']), null);
    assert.equal(blockingDialog(['● reply 2', '', rule, '❯ ', rule, '  ⏵⏵ auto mode on (shift+tab to cycle) · ← for agents']), null);
    // A hint high up in the scrollback of a shell is history, not a dialog waiting now.
    assert.equal(blockingDialog(['$ cat notes', 'Esc to cancel', ...Array.from({ length: 8 }, (_, i) => `line ${i}`), '$ ']), null);
    assert.equal(blockingDialog([]), null);
  });

  test('other CLIs: a hint without a rule takes the first line of its block as the title', () => {
    assert.equal(blockingDialog(['', '  Allow command?  ', '  > Yes', '    No', '  Press enter to confirm or esc to cancel']), 'Allow command?');
  });
});

describe('a dialog in the status model', () => {
  test('shown: needs-you from the screen even after hooks spoke; closed: back to working; a hook still wins', () => {
    let s = apply(initialStatus(0), { state: 'working', reason: 'Bash(curl …)', source: 'hook' }, 100);
    s = apply(s, { state: 'needs-you', reason: "dialog: Auto mode can't check actions", source: 'screen', dialog: 'shown' }, 2000);
    assert.deepEqual([s.state, s.source, s.reason, s.hookAt], ['needs-you', 'screen', "dialog: Auto mode can't check actions", 100]);
    assert.equal(applyObservation(s, { state: 'working', source: 'screen' }, 2500), null, 'an ordinary screen guess still counts for nothing');
    const closed = apply(s, { state: 'working', source: 'screen', dialog: 'closed' }, 3000);
    assert.deepEqual([closed.state, closed.source], ['working', 'screen']);
    // A hook that reported the prompt itself keeps its reason; the dialog closing does not undo a hook's state.
    const asked = apply(closed, { state: 'needs-you', reason: 'permission: Bash(curl …)', source: 'hook' }, 3500);
    assert.equal(applyObservation(asked, { state: 'needs-you', reason: 'dialog: Bash command', source: 'screen', dialog: 'shown' }, 3600), null);
    assert.equal(applyObservation(asked, { state: 'working', source: 'screen', dialog: 'closed' }, 3700), null);
    // A dead process shows no dialogs.
    const dead = apply(s, { state: 'exited', reason: '0', source: 'process' }, 4000);
    assert.equal(applyObservation(dead, { state: 'needs-you', reason: 'dialog: x', source: 'screen', dialog: 'shown' }, 4100), null);
  });
});

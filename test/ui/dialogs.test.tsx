import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp, type Rendered } from './render-app.js';
import { buildKeymap, keyLabel, ACTION_HELP } from '../../src/ui/keymap.js';
import { KEY_ACTIONS } from '../../src/config/schema.js';
import { dialogRect } from '../../src/ui/components/overlay.js';
import type { Dialog } from '../../src/ui/ui-state.js';

const onLane = { focusLane: 'feature-auth', focusAgent: 'feature-auth/claude' };

/** The dialog's rows as plain text, inside its border, trimmed. */
function dialogLines(r: Rendered, dialog: Dialog): string[] {
  const rect = dialogRect(dialog, r.snapshot, r.keymap, r.layout.cols, r.layout.rows)!;
  const out: string[] = [];
  for (let y = rect.y + 1; y < rect.y + rect.height - 1; y++) out.push(r.textAt(rect.x + 1, y, rect.width - 2).trim());
  return out;
}

function open(dialog: Dialog, o: Parameters<typeof renderApp>[0] = {}): { r: Rendered; lines: string[] } {
  const r = renderApp({ ...o, ui: { ...onLane, ...o.ui, dialog } });
  return { r, lines: dialogLines(r, dialog) };
}

describe('dialog box', () => {
  for (const [cols, rows] of [
    [80, 24],
    [200, 60],
  ] as const) {
    test(`drawn at its overlay rectangle, centred, at ${cols}x${rows}`, () => {
      const dialog: Dialog = { kind: 'confirm-kill', agent: 'feature-auth/claude' };
      const r = renderApp({ cols, rows, ui: { ...onLane, dialog } });
      const rect = dialogRect(dialog, r.snapshot, r.keymap, cols, rows)!;
      assert.equal(r.textAt(rect.x, rect.y, 1), '╭');
      assert.equal(r.textAt(rect.x + rect.width - 1, rect.y, 1), '╮');
      assert.equal(r.textAt(rect.x, rect.y + rect.height - 1, 1), '╰');
      assert.equal(r.textAt(rect.x + rect.width - 1, rect.y + rect.height - 1, 1), '╯');
      assert.ok(Math.abs(rect.x + rect.width / 2 - cols / 2) <= 1, 'centred horizontally');
      r.lines.forEach((l, y) => assert.equal(stringWidth(l), cols, `row ${y}`));
    });
  }
});

describe('help', () => {
  test('lists every action with its keys and description', () => {
    const { r, lines } = open({ kind: 'help' });
    const text = lines.join('\n');
    assert.equal(lines[0], 'Keys');
    assert.match(text, /arrows +focus the pane that way/);
    assert.match(text, /Tab \/ Shift-Tab +focus next \/ previous agent/);
    assert.match(text, /w \/ W +new worktree \(a lane\) \/ remove the focused one/);
    for (const a of KEY_ACTIONS.filter((x) => !['left', 'right', 'up', 'down', 'next', 'prev', 'newWorktree', 'removeWorktree', 'respawn', 'refresh', 'merge', 'diff', 'trace', 'briefs', 'ready', 'update', 'queueUp', 'queueDown'].includes(x))) {
      const keys = r.keymap.bindings[a].map(keyLabel).join(' / ');
      assert.ok(lines.some((l) => l.startsWith(keys + ' ') && l.endsWith(ACTION_HELP[a])), `${a}: "${keys}" … "${ACTION_HELP[a]}" in\n${text}`);
    }
    assert.match(text, /1 … 9 +focus pane N \(1 = MAIN\)/);
    assert.match(text, /M \/ u \/ < > +merge queue: ready \/ update onto MAIN \/ move up, down$/m);
    assert.match(text, /l \/ b +the trace \/ briefs \(D dispatches one here, a adds\)/);
    assert.match(text, /scroll mode +↑↓ PgUp PgDn g G · \/ search · n N · Esc/);
    assert.match(text, /Ctrl-Q +detach back to the grid/);
    assert.match(text, /q \/ Ctrl-C +quit/);
  });

  test('fits whole in 80x24: the closing hint is visible', () => {
    const { lines } = open({ kind: 'help' });
    assert.equal(lines.at(-1), 'any key closes this help');
  });

  test('shows remapped keys, not the defaults', () => {
    const keymap = buildKeymap({ kill: ['K', 'delete'], detach: 'ctrl-b', help: 'f1', scroll: ['['] });
    const { lines } = open({ kind: 'help' }, { keymap, cols: 200, rows: 60 });
    const text = lines.join('\n');
    assert.match(text, /K \/ Delete +kill the focused agent/);
    assert.match(text, /Ctrl-B +detach back to the grid/);
    assert.match(text, /F1 +this help/);
    assert.match(text, /\[ +scroll mode: scrollback/);
    assert.doesNotMatch(text, /^x +kill/m);
    assert.doesNotMatch(text, /Ctrl-Q/);
    assert.doesNotMatch(text, /PgUp +scroll mode:/);
  });
});

describe('confirmations', () => {
  test('kill', () => {
    const { lines } = open({ kind: 'confirm-kill', agent: 'feature-auth/claude' });
    assert.deepEqual(lines.slice(0, 3), ['Kill agent', 'Kill feature-auth/claude and everything it started?', 'y / Enter kill · n / Esc keep it']);
  });

  test('remove', () => {
    const { lines } = open({ kind: 'confirm-remove', agent: 'wt/sh' });
    assert.deepEqual(lines.slice(0, 3), ['Remove agent', 'Remove wt/sh from its pane? (It is not running.)', 'y / Enter remove · n / Esc keep it']);
  });

  test(
    'confirmations show their whole question for realistic agent ids',
    () => {
      const cases: [Dialog, string][] = [
        [{ kind: 'confirm-remove', agent: 'design/codex' }, 'Remove design/codex from its pane? (It is not running.)'],
        [{ kind: 'confirm-kill', agent: 'feature-authentication/claude' }, 'Kill feature-authentication/claude and everything it started?'],
        [{ kind: 'confirm-respawn', agent: 'feature-authentication/claude' }, 'feature-authentication/claude is running. Kill it and start it again?'],
      ];
      for (const [dialog, question] of cases) {
        const { r } = open(dialog, { cols: 200, rows: 60 });
        assert.match(r.lines.join('\n').replace(/[│\n ]+/g, ' '), new RegExp(question.replace(/[?()./]/g, '\\$&')));
      }
    },
  );

  test('respawn', () => {
    const { lines } = open({ kind: 'confirm-respawn', agent: 'design/codex' });
    assert.deepEqual(lines.slice(0, 3), ['Respawn agent', 'design/codex is running. Kill it and start it again?', 'y / Enter respawn · n / Esc keep it']);
  });

  test('quit lists the running agents', () => {
    const { lines } = open({ kind: 'confirm-quit', running: ['feature-auth/claude', 'design/codex'] });
    assert.equal(lines[0], 'Quit flower-tui');
    assert.match(lines[1]!, /^Quitting stops 2 running agents/);
    assert.deepEqual(lines.slice(2, 4), ['feature-auth/claude', 'design/codex']);
    assert.equal(lines[4], 'y / Enter quit · n / Esc stay');
  });

  test('quit with one agent: singular', () => {
    const { lines } = open({ kind: 'confirm-quit', running: ['design/codex'] });
    assert.match(lines[1]!, /^Quitting stops 1 running agent\b(?!s)/);
  });

  test('quit with many agents shows six and how many more', () => {
    const running = Array.from({ length: 9 }, (_, i) => `w${i}/sh`);
    const { lines } = open({ kind: 'confirm-quit', running });
    assert.match(lines[1]!, /^Quitting stops 9 running agents/);
    assert.deepEqual(lines.slice(2, 8), running.slice(0, 6));
    assert.equal(lines[8], '… and 3 more');
    assert.equal(lines[9], 'y / Enter quit · n / Esc stay');
  });

  test('stop the server (remote mode)', () => {
    const { lines } = open({ kind: 'confirm-stop', running: ['design/codex'] });
    assert.equal(lines[0], 'Stop the server');
    assert.match(lines[1]!, /^This stops the server and 1 running agent/);
    assert.ok(lines.includes('y / Enter stop everything · n / Esc keep running'), lines.join('\n'));
    assert.ok(lines.includes('Remembered: the next start restores none of them.'), lines.join('\n'));
  });

  test('server gone', () => {
    const { lines } = open({ kind: 'server-gone', reason: 'socket closed' });
    assert.equal(lines[0], 'Server gone');
    assert.match(lines[1]!, /The flower-tui server stopped: socket closed/);
    assert.ok(lines.includes('r / Enter restart · q quit'), lines.join('\n'));
  });
});

describe('pick profile', () => {
  test('lists every profile numbered, with its description', () => {
    const { lines } = open({ kind: 'pick-profile', worktree: 'design', selected: 0 });
    assert.equal(lines[0], 'New agent in design');
    assert.match(lines[1]!, /^1 shell +your login shell$/);
    assert.match(lines[2]!, /^2 claude +Claude Code$/);
    assert.equal(lines.at(-1), '↑↓ choose · Enter start · 1–9 pick · Esc cancel');
  });

  test('the command stands in for a missing description', () => {
    const snap = fakeSnapshot();
    snap.profiles.push({ name: 'aider', command: '/usr/bin/aider' });
    const { lines } = open({ kind: 'pick-profile', worktree: 'design', selected: 0 }, { snapshot: snap });
    assert.match(lines[3]!, /^3 aider +\/usr\/bin\/aider$/);
  });

  test('the selected profile is highlighted (inverse), the others are not', () => {
    for (const selected of [0, 1]) {
      const dialog: Dialog = { kind: 'pick-profile', worktree: 'design', selected };
      const { r } = open(dialog);
      const rect = dialogRect(dialog, r.snapshot, r.keymap, 80, 24)!;
      const shellRow = r.rawLine(rect.y + 2);
      const claudeRow = r.rawLine(rect.y + 3);
      const inverse = /\x1b\[7m(?:\x1b\[[\d;]*m)* \d (shell|claude)/;
      assert.equal(inverse.exec(selected === 0 ? shellRow : claudeRow)?.[1], selected === 0 ? 'shell' : 'claude');
      assert.doesNotMatch(selected === 0 ? claudeRow : shellRow, /\x1b\[7m/);
    }
  });

  test('more than nine profiles: only the first nine are numbered', () => {
    const snap = fakeSnapshot();
    snap.profiles = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, command: `c${i}` }));
    const { lines } = open({ kind: 'pick-profile', worktree: 'design', selected: 10 }, { snapshot: snap, cols: 200, rows: 60 });
    assert.match(lines[9]!, /^9 p8 /);
    assert.match(lines[10]!, /^p9 /);
    assert.match(lines[11]!, /^p10 /);
  });
});

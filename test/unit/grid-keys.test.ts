import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { keyHarness, type KeyHarness, TAB, SHIFT_TAB, UP, DOWN, RIGHT, LEFT, ESC, PGUP, PGDN, click, wheelUp, wheelDown } from '../helpers/key-harness.js';
import { handleKey } from '../../src/ui/input/grid-keys.js';
import { tokenizeKeys } from '../../src/ui/input/key-tokens.js';
import { buildKeymap, type Keymap } from '../../src/ui/keymap.js';
import { computeLayout } from '../../src/layout/layout.js';
import { initialUiState, lanesOf, reconcileFocus, type SearchMatch, type UiState } from '../../src/ui/ui-state.js';
import type { AgentState } from '../../src/core/types.js';

type Harness = KeyHarness;

interface HarnessOpts {
  lanes?: Record<string, string[]>;
  cols?: number;
  rows?: number;
  keymap?: Keymap;
  buffer?: { length: number; rows: number };
  searchResults?: SearchMatch[];
  states?: Record<string, AgentState>;
  ui?: Partial<UiState>;
}

function harness(o: HarnessOpts = {}): Harness {
  const snapshot = fakeSnapshot(o.lanes);
  for (const [id, state] of Object.entries(o.states ?? {})) {
    const a = snapshot.agents.find((x) => x.id === id);
    assert.ok(a, id);
    a.state = state;
  }
  const buffer = o.buffer ?? { length: 200, rows: 20 };
  return keyHarness({
    snapshot,
    ui: o.ui,
    cols: o.cols ?? 80,
    rows: o.rows ?? 24,
    keymap: o.keymap,
    context: {
      bufferSize: (agent) => (snapshot.agents.some((a) => a.id === agent) ? buffer : null),
      search: (_agent, query) => (query ? (o.searchResults ?? []) : []),
    },
  });
}

const focusOf = (ui: UiState) => `${ui.focusLane}:${ui.focusAgent}`;

describe('focus: Tab / Shift-Tab', () => {
  test('Tab cycles MAIN → every lane agent in order → wraps to MAIN', () => {
    const h = harness();
    const seen = [focusOf(h.ui)];
    for (let i = 0; i < 4; i++) seen.push(focusOf(h.press(TAB).ui));
    assert.deepEqual(seen, ['MAIN:null', 'feature-auth:feature-auth/claude', 'feature-auth:feature-auth/shell', 'design:design/codex', 'MAIN:null']);
  });

  test('Shift-Tab cycles backwards and wraps from MAIN to the last agent', () => {
    const h = harness();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(focusOf(h.press(SHIFT_TAB).ui));
    assert.deepEqual(seen, ['design:design/codex', 'feature-auth:feature-auth/shell', 'feature-auth:feature-auth/claude', 'MAIN:null']);
  });

  test('a lane without agents is one stop of its own', () => {
    const h = harness({ lanes: { a: ['x'], empty: [], b: ['y'] } });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(focusOf(h.press(TAB).ui));
    assert.deepEqual(seen, ['a:a/x', 'empty:null', 'b:b/y', 'MAIN:null']);
  });

  test('focus change clears the status message', () => {
    const h = harness();
    h.press('\r'); // read-only message on MAIN
    assert.ok(h.ui.message, 'h.ui.message');
    h.press(TAB);
    assert.equal(h.ui.message, null);
  });
});

describe('focus: digits', () => {
  test('1 is MAIN, 2.. are lanes in order', () => {
    const h = harness();
    assert.equal(focusOf(h.press('3').ui), 'design:design/codex');
    assert.equal(focusOf(h.press('2').ui), 'feature-auth:feature-auth/claude');
    assert.equal(focusOf(h.press('1').ui), 'MAIN:null');
  });

  test('a digit without a lane does nothing', () => {
    const h = harness();
    h.press('2');
    const before = h.ui;
    assert.equal(h.press('9').ui, before);
    assert.deepEqual(h.effects, []);
  });

  test('returning to a lane returns to the agent last focused there', () => {
    const h = harness();
    h.press('2');
    h.press(DOWN);
    assert.equal(h.ui.focusAgent, 'feature-auth/shell');
    h.press('3');
    h.press('2');
    assert.equal(h.ui.focusAgent, 'feature-auth/shell');
  });
});

describe('focus: arrows move spatially', () => {
  // 80x24 with two lanes: feature-auth (claude over shell) on the left, design (codex) on the right.
  test('within a lane up/down move between agents; past the top goes to MAIN', () => {
    const h = harness();
    h.press('2');
    assert.equal(focusOf(h.press(DOWN).ui), 'feature-auth:feature-auth/shell');
    assert.equal(focusOf(h.press(DOWN).ui), 'feature-auth:feature-auth/shell', 'nothing below');
    assert.equal(focusOf(h.press(UP).ui), 'feature-auth:feature-auth/claude');
    assert.equal(focusOf(h.press(UP).ui), 'MAIN:null');
  });

  test('left/right between side-by-side lanes', () => {
    const h = harness();
    h.press('2');
    assert.equal(focusOf(h.press(RIGHT).ui), 'design:design/codex');
    assert.equal(focusOf(h.press(LEFT).ui), 'feature-auth:feature-auth/claude');
  });

  test('down from MAIN enters a lane; up from a right-hand lane goes to MAIN', () => {
    const h = harness();
    assert.equal(h.press(DOWN).ui.focusLane, 'feature-auth');
    h.press('3');
    assert.equal(focusOf(h.press(UP).ui), 'MAIN:null');
  });

  test('entering a lane from below lands on its last agent', () => {
    // 5 lanes at 80x24: a, b, c on top; d, e below.
    const h = harness({ lanes: { a: ['1', '2'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] } });
    h.press('5'); // d
    assert.equal(h.ui.focusLane, 'd');
    assert.equal(focusOf(h.press(UP).ui), 'a:a/2');
    assert.equal(focusOf(h.press(DOWN).ui), 'd:d/1', 'down from the last agent leaves the lane');
  });

  test('lanes scrolled out of view are reachable with right/left', () => {
    const names = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`w${String(i).padStart(2, '0')}`, ['sh']]));
    const h = harness({ lanes: names });
    h.press('2');
    const visited = new Set<string>([h.ui.focusLane]);
    for (let i = 0; i < 40 && h.ui.focusLane !== 'w11'; i++) {
      h.press(RIGHT);
      visited.add(h.ui.focusLane);
    }
    assert.equal(h.ui.focusLane, 'w11', 'reached the last lane with → alone');
    const layout = h.ctx().layout;
    assert.ok(layout.lanes.some((l) => l.name === 'w11'), 'layout windows to the focused lane');
  });

  test('arrows with nothing in that direction keep focus; ← from the first lane falls back to MAIN (linear order)', () => {
    const h = harness({ lanes: { only: ['a'] } });
    h.press('2');
    for (const k of [RIGHT, DOWN]) {
      h.press(k);
      assert.equal(focusOf(h.ui), 'only:only/a', JSON.stringify(k));
    }
    h.press(LEFT);
    assert.equal(focusOf(h.ui), 'MAIN:null');
    h.press(UP);
    h.press(LEFT);
    assert.equal(focusOf(h.ui), 'MAIN:null');
  });
});

describe('MAIN is read-only', () => {
  test('Enter on MAIN: read-only message, no effect', () => {
    const h = harness();
    const r = h.press('\r');
    assert.deepEqual(r.effects, []);
    assert.match(r.ui.message!.text, /MAIN is read-only/);
    assert.equal(r.ui.dialog, null);
  });

  test('no key ever sends input or attaches while MAIN is focused', () => {
    const inputs = [
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0!@#$%^&*()-_=+[]{};:\'",.<>/\\|`~ ',
      '\r', '\n', '\x7f', '\x01', '\x04', '\x11', '\x1a', ESC, '\x1bx', PGUP, PGDN, '\x1b[H', '\x1b[F',
      '\x1b[1;5A', '\x1b[113;5u', '\x1b[27;5;113~', '\x1b[200~rm -rf /\r\x1b[201~', 'あ', '😀', '\x1b[15~',
    ];
    for (const input of inputs) {
      const h = harness();
      const r = h.press(input);
      for (const e of r.effects) {
        assert.notEqual(e.type, 'attach', `${JSON.stringify(input)} attached`);
        if (e.type === 'command') assert.fail(`${JSON.stringify(input)} sent a command ${e.cmd.type}`);
      }
      // The only dialogs MAIN can open: help, and the quit/stop confirmations.
      if (r.ui.dialog) assert.ok(['help', 'confirm-quit', 'confirm-stop', 'trace', 'new-worktree', 'briefs'].includes(r.ui.dialog.kind), `${JSON.stringify(input)} opened ${r.ui.dialog.kind}`);
      assert.equal(r.ui.scroll, null, `${JSON.stringify(input)} entered scroll mode`);
    }
  });

  test('n, x, r, [ on MAIN are refused with a message', () => {
    for (const k of ['n', 'x', 'r', '[', PGUP]) {
      const h = harness();
      const r = h.press(k);
      assert.equal(r.ui.dialog, null, k);
      assert.equal(r.ui.scroll, null, k);
      assert.match(r.ui.message?.text ?? '', /MAIN is read-only/, k);
    }
  });

  test('paste on MAIN is refused', () => {
    const h = harness();
    const r = h.press('\x1b[200~hello\x1b[201~');
    assert.match(r.ui.message!.text, /MAIN is read-only/);
    assert.deepEqual(r.effects, []);
  });
});

describe('attach', () => {
  test('Enter on a running agent → attach effect', () => {
    const h = harness();
    h.press('2');
    const r = h.press('\r');
    assert.deepEqual(r.effects, [{ type: 'attach', agent: 'feature-auth/claude' }]);
  });

  test('Enter on a starting agent attaches too', () => {
    const h = harness({ states: { 'design/codex': { kind: 'starting' } } });
    h.press('3');
    assert.deepEqual(h.press('\r').effects, [{ type: 'attach', agent: 'design/codex' }]);
  });

  for (const state of [
    { kind: 'exited', code: 1, signal: null },
    { kind: 'killed' },
    { kind: 'failed', reason: 'command not found: x' },
  ] as AgentState[]) {
    test(`Enter on a ${state.kind} agent → message naming the respawn key, no attach`, () => {
      const h = harness({ states: { 'design/codex': state } });
      h.press('3');
      const r = h.press('\r');
      assert.deepEqual(r.effects, []);
      assert.match(r.ui.message!.text, /design\/codex is not running — press r to respawn/);
    });
  }

  test('the message names a remapped respawn key', () => {
    const h = harness({ keymap: buildKeymap({ respawn: 'e' }), states: { 'design/codex': { kind: 'killed' } } });
    h.press('3');
    assert.match(h.press('\r').ui.message!.text, /press e to respawn/);
  });

  test('Enter on an empty lane opens the profile picker for it', () => {
    const h = harness({ lanes: { empty: [] } });
    h.press('2');
    const r = h.press('\r');
    assert.deepEqual(r.ui.dialog, { kind: 'pick-profile', worktree: 'empty', selected: 0 });
  });

  test('paste on an agent tells how to attach, sends nothing', () => {
    const h = harness();
    h.press('2');
    const r = h.press('\x1b[200~ls\r\x1b[201~');
    assert.deepEqual(r.effects, []);
    assert.match(r.ui.message!.text, /attached/);
  });

  test('unbound keys on an agent do nothing (they are not typed into it)', () => {
    const h = harness();
    h.press('2');
    for (const k of ['a', 'z', 'y', '\x1bx', '\x04', '\x1b[15~']) {
      const before = h.ui;
      const r = h.press(k);
      assert.deepEqual(r.effects, [], k);
      assert.equal(r.ui, before, k);
    }
  });

  test('a remapped attach key', () => {
    const h = harness({ keymap: buildKeymap({ attach: 'a' }) });
    h.press('2');
    assert.deepEqual(h.press('\r').effects, []);
    assert.deepEqual(h.press('a').effects, [{ type: 'attach', agent: 'feature-auth/claude' }]);
  });
});

describe('new agent', () => {
  test('n → pick-profile for the focused worktree; refused on MAIN', () => {
    const h = harness();
    assert.equal(h.press('n').ui.dialog, null);
    h.press('3');
    assert.deepEqual(h.press('n').ui.dialog, { kind: 'pick-profile', worktree: 'design', selected: 0 });
  });

  test('Enter spawns the selected profile in that worktree', () => {
    const h = harness();
    h.press('3');
    h.press('n');
    const r = h.press('\r');
    assert.deepEqual(r.effects, [{ type: 'command', cmd: { type: 'spawn', worktree: 'design', profile: 'shell' } }]);
    assert.equal(r.ui.dialog, null);
  });

  test('down/up/j/k/tab move the selection, wrapping', () => {
    const h = harness();
    h.press('2');
    h.press('n');
    h.press(DOWN);
    assert.equal((h.ui.dialog as { selected: number }).selected, 1);
    h.press('j');
    assert.equal((h.ui.dialog as { selected: number }).selected, 0, 'wraps (2 profiles)');
    h.press(UP);
    assert.equal((h.ui.dialog as { selected: number }).selected, 1);
    h.press('k');
    h.press(TAB);
    assert.equal((h.ui.dialog as { selected: number }).selected, 1);
    assert.deepEqual(h.press('\r').effects, [{ type: 'command', cmd: { type: 'spawn', worktree: 'feature-auth', profile: 'claude' } }]);
  });

  test('a digit spawns that profile directly', () => {
    const h = harness();
    h.press('2');
    h.press('n');
    assert.deepEqual(h.press('2').effects, [{ type: 'command', cmd: { type: 'spawn', worktree: 'feature-auth', profile: 'claude' } }]);
  });

  test('a digit past the list does nothing; other keys are swallowed', () => {
    const h = harness();
    h.press('2');
    h.press('n');
    const dialog = h.ui.dialog;
    for (const k of ['5', 'x', 'r', '?', '\x1b[C']) {
      const r = h.press(k);
      assert.deepEqual(r.effects, [], k);
      assert.deepEqual(r.ui.dialog, dialog, k);
    }
  });

  test('Esc / q / Ctrl-C cancel without spawning', () => {
    for (const k of [ESC, 'q', '\x03']) {
      const h = harness();
      h.press('2');
      h.press('n');
      const r = h.press(k);
      assert.equal(r.ui.dialog, null, JSON.stringify(k));
      assert.deepEqual(r.effects, [], JSON.stringify(k));
    }
  });
});

describe('kill / remove / respawn', () => {
  test('x on a running agent → confirm-kill, y → kill command', () => {
    const h = harness();
    h.press('2');
    assert.deepEqual(h.press('x').ui.dialog, { kind: 'confirm-kill', agent: 'feature-auth/claude' });
    const r = h.press('y');
    assert.deepEqual(r.effects, [{ type: 'command', cmd: { type: 'kill', agent: 'feature-auth/claude' } }]);
    assert.equal(r.ui.dialog, null);
  });

  test('Enter confirms too', () => {
    const h = harness();
    h.press('3');
    h.press('x');
    assert.deepEqual(h.press('\r').effects, [{ type: 'command', cmd: { type: 'kill', agent: 'design/codex' } }]);
  });

  test('n / Esc / q cancel the kill', () => {
    for (const k of ['n', ESC, 'q']) {
      const h = harness();
      h.press('2');
      h.press('x');
      const r = h.press(k);
      assert.equal(r.ui.dialog, null);
      assert.deepEqual(r.effects, []);
    }
  });

  test('other keys leave the confirmation open', () => {
    const h = harness();
    h.press('2');
    h.press('x');
    for (const k of ['x', 'Y', '1', TAB, '\x03']) {
      const r = h.press(k);
      assert.equal(r.ui.dialog?.kind, 'confirm-kill', JSON.stringify(k));
      assert.deepEqual(r.effects, []);
    }
  });

  test('x on an exited agent → confirm-remove → remove command', () => {
    const h = harness({ states: { 'design/codex': { kind: 'exited', code: 0, signal: null } } });
    h.press('3');
    assert.deepEqual(h.press('x').ui.dialog, { kind: 'confirm-remove', agent: 'design/codex' });
    assert.deepEqual(h.press('y').effects, [{ type: 'command', cmd: { type: 'remove', agent: 'design/codex' } }]);
  });

  test('r on an exited agent respawns at once', () => {
    const h = harness({ states: { 'design/codex': { kind: 'failed', reason: 'boom' } } });
    h.press('3');
    const r = h.press('r');
    assert.equal(r.ui.dialog, null);
    assert.deepEqual(r.effects, [{ type: 'command', cmd: { type: 'respawn', agent: 'design/codex' } }]);
  });

  test('r on a running agent asks first, y respawns', () => {
    const h = harness();
    h.press('2');
    assert.deepEqual(h.press('r').ui.dialog, { kind: 'confirm-respawn', agent: 'feature-auth/claude' });
    assert.deepEqual(h.press('y').effects, [{ type: 'command', cmd: { type: 'respawn', agent: 'feature-auth/claude' } }]);
  });

  test('r / x on an empty lane say no agent is focused', () => {
    for (const k of ['r', 'x', '[']) {
      const h = harness({ lanes: { empty: [] } });
      h.press('2');
      const r = h.press(k);
      assert.equal(r.ui.dialog, null);
      assert.match(r.ui.message!.text, /No agent focused/);
    }
  });
});

describe('quit and help', () => {
  test('q with running agents → confirm-quit listing them; Ctrl-C confirms', () => {
    const h = harness({ states: { 'design/codex': { kind: 'exited', code: 0, signal: null } } });
    const r = h.press('q');
    assert.deepEqual(r.effects, []);
    assert.deepEqual(r.ui.dialog, { kind: 'confirm-quit', running: ['feature-auth/claude', 'feature-auth/shell'] });
    assert.deepEqual(h.press('\x03').effects, [{ type: 'quit' }]);
  });

  test('Ctrl-C twice quits; y quits; n stays', () => {
    const h = harness();
    assert.deepEqual(h.press('\x03\x03').effects, [{ type: 'quit' }]);
    const h2 = harness();
    h2.press('q');
    assert.deepEqual(h2.press('y').effects, [{ type: 'quit' }]);
    const h3 = harness();
    h3.press('q');
    const r = h3.press('n');
    assert.deepEqual(r.effects, []);
    assert.equal(r.ui.dialog, null);
  });

  test('q with no running agents quits at once', () => {
    const h = harness({ lanes: { a: [] } });
    assert.deepEqual(h.press('q').effects, [{ type: 'quit' }]);
    const dead = harness({ lanes: { a: ['x'] }, states: { 'a/x': { kind: 'killed' } } });
    assert.deepEqual(dead.press('q').effects, [{ type: 'quit' }]);
  });

  test('Ctrl-C does not confirm kill/remove/respawn', () => {
    const h = harness();
    h.press('2');
    h.press('r');
    const r = h.press('\x03');
    assert.deepEqual(r.effects, []);
    assert.equal(r.ui.dialog?.kind, 'confirm-respawn');
  });

  test('? opens help; any key closes it and does nothing else', () => {
    for (const k of ['x', 'q', '\r', ESC, '?', '2', 'n', '\x03']) {
      const h = harness();
      h.press('2');
      assert.deepEqual(h.press('?').ui.dialog, { kind: 'help' });
      const r = h.press(k);
      assert.equal(r.ui.dialog, null, JSON.stringify(k));
      assert.deepEqual(r.effects, [], JSON.stringify(k));
      assert.equal(r.ui.focusAgent, 'feature-auth/claude');
    }
  });

  test('Q (stop) without a server behaves like quit', () => {
    const h = harness();
    assert.equal(h.press('Q').ui.dialog?.kind, 'confirm-quit');
    assert.deepEqual(h.press('y').effects, [{ type: 'quit' }]);
    const idle = harness({ lanes: { a: [] } });
    assert.deepEqual(idle.press('Q').effects, [{ type: 'quit' }]);
  });

  test('help works on MAIN too', () => {
    const h = harness();
    assert.deepEqual(h.press('?').ui.dialog, { kind: 'help' });
  });
});

describe('remote mode (agents live in a server)', () => {
  function remote(o: HarnessOpts = {}): Harness {
    const h = harness(o);
    const ctx = h.ctx;
    h.ctx = () => ({ ...ctx(), mode: 'remote' });
    return h;
  }

  test('q detaches at once, even with running agents', () => {
    const h = remote();
    const r = h.press('q');
    assert.equal(r.ui.dialog, null);
    assert.deepEqual(r.effects, [{ type: 'quit' }]);
  });

  test('Q asks before stopping the server, y sends stopServer', () => {
    const h = remote();
    assert.deepEqual(h.press('Q').ui.dialog, { kind: 'confirm-stop', running: ['feature-auth/claude', 'feature-auth/shell', 'design/codex'] });
    const r = h.press('y');
    // The stop effect's exact shape is still settling in the server work: one effect that stops the server.
    assert.equal(r.effects.length, 1);
    const e = r.effects[0]!;
    assert.ok((e.type as string) === 'stop' || (e.type === 'command' && (e.cmd.type as string) === 'stopServer'), JSON.stringify(e));
    assert.equal(r.ui.dialog, null);
    assert.match(r.ui.message!.text, /stopping/);
  });

  test('Q then n / Esc keeps everything running', () => {
    for (const k of ['n', ESC]) {
      const h = remote();
      h.press('Q');
      const r = h.press(k);
      assert.deepEqual(r.effects, []);
      assert.equal(r.ui.dialog, null);
    }
  });

  test('server-gone: r / Enter reconnect, q / Ctrl-C / Esc quit, other keys wait', () => {
    for (const [k, effect] of [
      ['r', 'reconnect'],
      ['\r', 'reconnect'],
      ['q', 'quit'],
      ['\x03', 'quit'],
      [ESC, 'quit'],
    ] as const) {
      const h = remote({ ui: { dialog: { kind: 'server-gone', reason: 'socket closed' } } });
      const r = h.press(k);
      assert.deepEqual(r.effects, [{ type: effect }], JSON.stringify(k));
      assert.equal(r.ui.dialog, null);
    }
    const h = remote({ ui: { dialog: { kind: 'server-gone', reason: 'x' } } });
    for (const k of ['x', 'y', '2', TAB, '?']) {
      const r = h.press(k);
      assert.deepEqual(r.effects, [], JSON.stringify(k));
      assert.equal(r.ui.dialog?.kind, 'server-gone');
    }
  });
});

describe('mouse', () => {
  test('clicking an agent screen or header focuses it', () => {
    const h = harness();
    const ctx = h.ctx();
    const shell = ctx.layout.lanes[0]!.slots[1]!;
    h.press(click(shell.screen.x + 3, shell.screen.y + 1));
    assert.equal(focusOf(h.ui), 'feature-auth:feature-auth/shell');
    const codex = ctx.layout.lanes[1]!.slots[0]!;
    h.press(click(codex.header.x, codex.header.y));
    assert.equal(focusOf(h.ui), 'design:design/codex');
  });

  test('clicking MAIN focuses MAIN; clicking a lane border focuses the lane', () => {
    const h = harness();
    h.press('3');
    h.press(click(50, 1));
    assert.equal(focusOf(h.ui), 'MAIN:null');
    const lane = h.ctx().layout.lanes[1]!;
    h.press(click(lane.rect.x, lane.rect.y)); // the border corner
    assert.equal(focusOf(h.ui), 'design:design/codex');
  });

  test('release and right-click do not change focus', () => {
    const h = harness();
    const slot = h.ctx().layout.lanes[1]!.slots[0]!;
    h.press(`\x1b[<0;${slot.screen.x + 1};${slot.screen.y + 1}m`);
    h.press(`\x1b[<2;${slot.screen.x + 1};${slot.screen.y + 1}M`);
    assert.equal(focusOf(h.ui), 'MAIN:null');
  });

  test('wheel up over an agent enters scroll mode on it, three lines up', () => {
    const h = harness({ buffer: { length: 100, rows: 20 } });
    const slot = h.ctx().layout.lanes[1]!.slots[0]!;
    h.press(wheelUp(slot.screen.x + 2, slot.screen.y + 2));
    assert.equal(focusOf(h.ui), 'design:design/codex');
    assert.equal(h.ui.scroll?.agent, 'design/codex');
    assert.equal(h.ui.scroll?.top, 77);
  });

  test('wheel down at the bottom leaves scroll mode', () => {
    const h = harness({ buffer: { length: 100, rows: 20 } });
    const slot = h.ctx().layout.lanes[1]!.slots[0]!;
    h.press(wheelUp(slot.screen.x, slot.screen.y + 1));
    h.press(wheelDown(slot.screen.x, slot.screen.y + 1));
    assert.equal(h.ui.scroll?.top, 80, 'back at the bottom, still scrolling');
    h.press(wheelDown(slot.screen.x, slot.screen.y + 1));
    assert.equal(h.ui.scroll, null, 'a further wheel down returns to live output');
  });
});

describe('scroll mode', () => {
  // Buffer: 200 lines, 20 rows visible → bottom top = 180.
  function scrolling(o: HarnessOpts = {}): Harness {
    const h = harness(o);
    h.press('2');
    h.press('[');
    return h;
  }

  test('[ enters at the bottom of the focused agent', () => {
    const h = scrolling();
    assert.deepEqual(h.ui.scroll, { agent: 'feature-auth/claude', top: 180, editing: false, query: '', matches: [], current: -1 });
  });

  test('PageUp enters one page up', () => {
    const h = harness();
    h.press('2');
    h.press(PGUP);
    assert.equal(h.ui.scroll?.top, 161);
  });

  test('arrows, j/k, page keys move top, clamped to [0, length - rows]', () => {
    const h = scrolling();
    h.press(DOWN);
    assert.equal(h.ui.scroll!.top, 180, 'clamped at the bottom');
    h.press(UP);
    assert.equal(h.ui.scroll!.top, 179);
    h.press('k');
    assert.equal(h.ui.scroll!.top, 178);
    h.press('j');
    assert.equal(h.ui.scroll!.top, 179);
    h.press(PGUP);
    assert.equal(h.ui.scroll!.top, 160);
    h.press('[');
    assert.equal(h.ui.scroll!.top, 141);
    h.press(PGDN);
    assert.equal(h.ui.scroll!.top, 160);
    h.press(' ');
    assert.equal(h.ui.scroll!.top, 179);
    h.press('\x06');
    assert.equal(h.ui.scroll!.top, 180);
    for (let i = 0; i < 20; i++) h.press(PGUP);
    assert.equal(h.ui.scroll!.top, 0, 'clamped at the top');
    h.press(UP);
    assert.equal(h.ui.scroll!.top, 0);
  });

  test('g goes to the oldest line, G to the bottom', () => {
    const h = scrolling();
    h.press('g');
    assert.equal(h.ui.scroll!.top, 0);
    h.press('G');
    assert.equal(h.ui.scroll!.top, 180);
    h.press('\x1b[H');
    assert.equal(h.ui.scroll!.top, 0);
    h.press('\x1b[F');
    assert.equal(h.ui.scroll!.top, 180);
  });

  test('a buffer shorter than the pane stays at 0', () => {
    const h = scrolling({ buffer: { length: 10, rows: 20 } });
    assert.equal(h.ui.scroll!.top, 0);
    h.press(PGUP);
    h.press(DOWN);
    h.press('G');
    assert.equal(h.ui.scroll!.top, 0);
  });

  test('Esc, q and Ctrl-C leave scroll mode without effects', () => {
    for (const k of [ESC, 'q', '\x03']) {
      const h = scrolling();
      const r = h.press(k);
      assert.equal(r.ui.scroll, null);
      assert.deepEqual(r.effects, []);
    }
  });

  test('grid keys do nothing in scroll mode (no attach, kill or quit)', () => {
    const h = scrolling();
    for (const k of ['\r', 'x', 'r', '?', TAB, '2', '3']) {
      const r = h.press(k);
      assert.deepEqual(r.effects, [], JSON.stringify(k));
      assert.equal(r.ui.dialog, null, JSON.stringify(k));
      assert.equal(r.ui.focusAgent, 'feature-auth/claude');
    }
  });

  const matches: SearchMatch[] = [
    { line: 10, col: 0, length: 3 },
    { line: 90, col: 5, length: 3 },
    { line: 150, col: 2, length: 3 },
    { line: 195, col: 1, length: 3 },
  ];

  test('/ starts typing a query; typed keys (even n, q) go into it; Enter searches and jumps to the newest match in view', () => {
    const h = scrolling({ searchResults: matches });
    h.press('/');
    assert.equal(h.ui.scroll!.editing, true);
    h.press('nqé');
    assert.equal(h.ui.scroll!.query, 'nqé');
    h.press('\x7f');
    assert.equal(h.ui.scroll!.query, 'nq');
    h.press('\r');
    const s = h.ui.scroll!;
    assert.equal(s.editing, false);
    assert.equal(s.matches.length, 4);
    assert.equal(s.current, 3, 'the newest match at or above the bottom of the view');
    assert.equal(s.top, 180, 'already visible: view does not move');
    assert.match(h.ui.message!.text, /match 4\/4/);
  });

  test('n goes to older matches, N to newer, each brought into view', () => {
    const h = scrolling({ searchResults: matches });
    h.press('/foo\r');
    h.press('n');
    assert.equal(h.ui.scroll!.current, 2);
    assert.ok(h.ui.scroll!.top <= 150 && 150 < h.ui.scroll!.top + 20, 'match line visible');
    h.press('n');
    assert.equal(h.ui.scroll!.current, 1);
    assert.equal(h.ui.scroll!.top, 90 - Math.floor(20 / 3), 'a third from the top');
    h.press('n');
    h.press('n');
    assert.equal(h.ui.scroll!.current, 0, 'stops at the oldest');
    assert.equal(h.ui.scroll!.top, 4);
    h.press('N');
    assert.equal(h.ui.scroll!.current, 1);
    h.press('N');
    h.press('N');
    h.press('N');
    assert.equal(h.ui.scroll!.current, 3, 'stops at the newest');
    assert.equal(h.ui.scroll!.top, 180, 'clamped to the bottom');
  });

  test('search started scrolled up picks the newest match at or above the view', () => {
    const h = scrolling({ searchResults: matches });
    h.press('g'); // top 0, view lines 0..19
    h.press('/x\r');
    assert.equal(h.ui.scroll!.current, 0);
    assert.equal(h.ui.scroll!.top, 0);
  });

  test('no match → error message, stays in scroll mode', () => {
    const h = scrolling({ searchResults: [] });
    h.press('/zzz\r');
    assert.equal(h.ui.scroll!.editing, false);
    assert.equal(h.ui.message?.level, 'error');
    assert.match(h.ui.message!.text, /not found: zzz/);
    const before = h.ui.scroll!.top;
    h.press('n');
    assert.equal(h.ui.scroll!.top, before);
  });

  test('Esc while typing cancels the query but stays in scroll mode', () => {
    const h = scrolling({ searchResults: matches });
    h.press('/abc');
    h.press(ESC);
    assert.ok(h.ui.scroll, 'h.ui.scroll');
    assert.equal(h.ui.scroll!.editing, false);
    assert.equal(h.ui.scroll!.query, '');
    h.press(ESC);
    assert.equal(h.ui.scroll, null);
  });

  test('empty query + Enter just stops editing', () => {
    const h = scrolling({ searchResults: matches });
    h.press('/\r');
    assert.equal(h.ui.scroll!.editing, false);
    assert.deepEqual(h.ui.scroll!.matches, []);
  });

  test('paste while typing appends to the query with newlines as spaces', () => {
    const h = scrolling();
    h.press('/a');
    h.press('\x1b[200~b\r\nc\x1b[201~');
    assert.equal(h.ui.scroll!.query, 'ab  c');
  });
});

describe('reconcileFocus', () => {
  test('focused agent removed → first agent of the same lane', () => {
    const h = harness();
    h.press('2');
    h.press(DOWN);
    assert.equal(h.ui.focusAgent, 'feature-auth/shell');
    const snap = fakeSnapshot({ 'feature-auth': ['claude'], design: ['codex'] });
    const ui = reconcileFocus(h.ui, snap);
    assert.equal(focusOf(ui), 'feature-auth:feature-auth/claude');
  });

  test('last agent of a lane removed → lane focused with no agent', () => {
    const h = harness();
    h.press('3');
    const ui = reconcileFocus(h.ui, fakeSnapshot({ 'feature-auth': ['claude', 'shell'], design: [] }));
    assert.equal(focusOf(ui), 'design:null');
  });

  test('focused worktree vanished → first lane', () => {
    const h = harness();
    h.press('3');
    const ui = reconcileFocus(h.ui, fakeSnapshot({ 'feature-auth': ['claude', 'shell'] }));
    assert.equal(focusOf(ui), 'feature-auth:feature-auth/claude');
  });

  test('every worktree vanished → MAIN', () => {
    const h = harness();
    h.press('3');
    const ui = reconcileFocus(h.ui, fakeSnapshot({}));
    assert.equal(focusOf(ui), 'MAIN:null');
  });

  test('scroll view on a removed agent ends', () => {
    const h = harness();
    h.press('3');
    h.press('[');
    assert.ok(h.ui.scroll, 'h.ui.scroll');
    const ui = reconcileFocus(h.ui, fakeSnapshot({ 'feature-auth': ['claude', 'shell'], design: ['other'] }));
    assert.equal(ui.scroll, null);
    assert.equal(focusOf(ui), 'design:design/other');
  });

  test('nothing changed → same object (no re-render)', () => {
    const h = harness();
    h.press('2');
    assert.equal(reconcileFocus(h.ui, h.snapshot), h.ui);
    const main = initialUiState();
    assert.equal(reconcileFocus(main, h.snapshot), main);
  });

  test('remembered agent that disappeared is not returned to', () => {
    const h = harness();
    h.press('2');
    h.press(DOWN); // remembers feature-auth/shell
    h.press('3');
    const snap = fakeSnapshot({ 'feature-auth': ['claude'], design: ['codex'] });
    h.ui = reconcileFocus(h.ui, snap);
    const ctx = { ...h.ctx(), snapshot: snap, layout: computeLayout({ cols: 80, rows: 24, lanes: lanesOf(snap), focusLane: 'design', focusAgent: 'design/codex' }) };
    const r = handleKey(h.ui, tokenizeKeys('2')[0]!, ctx);
    assert.equal(focusOf(r.ui), 'feature-auth:feature-auth/claude');
  });
});

describe('merge queue keys', () => {
  const onLane = (h: Harness, lane: string) => (h.ui = { ...h.ui, focusLane: lane, focusAgent: null });
  test('M marks the focused lane ready; already queued says where; never MAIN', () => {
    const h = harness();
    assert.match(h.press('M').ui.message?.text ?? '', /focus a worktree to mark it ready/);
    onLane(h, 'design');
    assert.deepEqual(h.press('M').effects, [{ type: 'lane', cmd: { type: 'queue', op: 'ready', lane: 'design' } }]);
    h.snapshot.queue = { entries: [{ lane: 'design', by: 'operator', at: '', step: 'queued', stepAt: null, detail: null, mainAt: null, tested: null }], paused: false, pausedReason: null, out: [] };
    const again = h.press('M');
    assert.deepEqual(again.effects, []);
    assert.equal(again.ui.message?.text, 'design is already in the merge queue (position 1); < / > move it');
  });

  test('< and > move a queued lane; a lane not in the queue says how to queue it', () => {
    const h = harness();
    onLane(h, 'design');
    assert.equal(h.press('<').ui.message?.text, 'design is not in the merge queue (M marks it ready)');
    h.snapshot.queue = { entries: [{ lane: 'design', by: 'operator', at: '', step: 'queued', stepAt: null, detail: null, mainAt: null, tested: null }], paused: false, pausedReason: null, out: [] };
    assert.deepEqual(h.press('<').effects, [{ type: 'lane', cmd: { type: 'queue', op: 'move', lane: 'design', to: 'up' } }]);
    assert.deepEqual(h.press('>').effects, [{ type: 'lane', cmd: { type: 'queue', op: 'move', lane: 'design', to: 'down' } }]);
  });

  test('u updates the focused lane; refused in one line when up to date, dirty, or MAIN', () => {
    const h = harness();
    assert.match(h.press('u').ui.message?.text ?? '', /^MAIN is not updated: it receives merges/);
    onLane(h, 'design');
    const wt = h.snapshot.worktrees.find((w) => w.name === 'design')!;
    wt.lane = { lane: 'standing', kind: null, port: null, ahead: 1, behind: 2, dirty: 0, setup: null };
    assert.deepEqual(h.press('u').effects, [{ type: 'lane', cmd: { type: 'updateLane', worktree: 'design' } }]);
    wt.lane = { ...wt.lane, dirty: 3 };
    assert.equal(h.press('u').ui.message?.text, 'design has 3 uncommitted changes: commit them, then update');
    wt.lane = { ...wt.lane, dirty: 0, behind: 0 };
    assert.equal(h.press('u').ui.message?.text, 'design is up to date with MAIN');
  });
});

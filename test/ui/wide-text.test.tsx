import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp } from './render-app.js';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import type { Snapshot } from '../../src/core/types.js';

// Ink lays the chrome out by string-width; the cockpit then parses Ink's frame in a headless xterm
// (the chrome emulator) and copies its cells to the terminal. Where the two count a character's
// columns differently, everything right of it moves and the pane's right border leaves its column.
const WIDE = ['✨ sparkles', '🚀 rocket', '日本語', '❤️ heart', '👨‍👩‍👧 family', '👍🏽 ok', 'e\u0301 accent', '☕'];

function wideSnapshot(): Snapshot {
  const snap = fakeSnapshot();
  snap.main.subject = WIDE.join(' ');
  snap.worktrees.find((w) => w.name === 'design')!.branch = 'feat-🚀-日本';
  const a = snap.agents.find((x) => x.id === 'design/codex')!;
  a.status = { ...a.status, state: 'working', reason: `editing ${WIDE.join(' ')}` };
  const b = snap.agents.find((x) => x.id === 'feature-auth/claude')!;
  b.status = { ...b.status, reason: WIDE.slice(3).join(' ') };
  return snap;
}

/** Each of Ink's rows, parsed by the chrome's emulator as the cockpit does: what its last cell holds. */
function lastCells(raw: string[], cols: number, rows: number): string[] {
  const screen = new TerminalScreen(cols, rows, 1, { convertEol: true });
  screen.write(raw.map((l, y) => `\x1b[${y + 1};1H${l}`).join(''));
  const buf = screen.term.buffer.active;
  const out = Array.from({ length: rows }, (_, y) => buf.getLine(buf.baseY + y)?.getCell(cols - 1)?.getChars() ?? '');
  screen.dispose();
  return out;
}

describe('wide and joined characters in the chrome', () => {
  for (const [cols, rows] of [[80, 24], [120, 30], [200, 60]] as const) {
    test(`${cols}x${rows}: every row ends with its border in the last column`, () => {
      const r = renderApp({ cols, rows, snapshot: wideSnapshot() });
      const raw = Array.from({ length: rows }, (_, y) => r.rawLine(y));
      const last = lastCells(raw, cols, rows);
      for (let y = 0; y < rows - 1; y++) {
        assert.ok('│┃║╮╯┓┛╗╝'.includes(last[y] || '?'), `row ${y}: the last column holds ${JSON.stringify(last[y])}, not the border\nInk: ${JSON.stringify(r.lines[y])}`);
      }
    });
  }
});

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import {
  ATTR_BLINK,
  ATTR_BOLD,
  ATTR_DIM,
  ATTR_INVERSE,
  ATTR_INVISIBLE,
  ATTR_ITALIC,
  ATTR_OVERLINE,
  ATTR_STRIKE,
  ATTR_UNDERLINE,
  CM_P16,
  CM_P256,
  CM_RGB,
  CellGrid,
} from '../../src/ui/compositor/cell-grid.js';
import { sgr } from '../../src/ui/compositor/sgr.js';
import { frameDiff } from '../../src/ui/compositor/frame-diff.js';
import { highlight, readTerminal } from '../../src/ui/compositor/read-terminal.js';
import { Compositor, type PanePlacement } from '../../src/ui/compositor/compositor.js';

const screens: TerminalScreen[] = [];
after(() => {
  for (const s of screens) s.dispose();
});

function screen(cols: number, rows: number, scrollback = 0, convertEol = false): TerminalScreen {
  const s = new TerminalScreen(cols, rows, scrollback, { convertEol });
  screens.push(s);
  return s;
}

/** term.write is asynchronous: resolve once the emulator has parsed `data`. */
function feed(s: TerminalScreen, data: string): Promise<void> {
  return new Promise((resolve) => s.write(data, resolve));
}

function gridOf(rows: string[]): CellGrid {
  const g = new CellGrid(rows[0]!.length, rows.length);
  rows.forEach((r, y) => [...r].forEach((ch, x) => (g.chars[y * g.cols + x] = ch)));
  return g;
}

/** Apply a diff to a terminal that already shows garbage: what the user would see. */
async function replay(cols: number, rows: number, ...chunks: string[]): Promise<string[]> {
  const t = screen(cols, rows);
  await feed(t, '\x1b[?7l' + 'X'.repeat(cols * rows) + '\x1b[H');
  for (const c of chunks) await feed(t, c);
  return t.visibleText().map((l) => l.padEnd(cols));
}

const CLEARS = [/\x1b\[[0-3]?J/, /\x1b\[[0-2]?K/, /\x1bc/];

describe('sgr', () => {
  test('default look is a bare reset', () => {
    assert.equal(sgr(0, 0, 0), '\x1b[0m');
  });

  test('16 colours: normal and bright, foreground and background', () => {
    assert.equal(sgr(CM_P16 | 1, 0, 0), '\x1b[0;31m');
    assert.equal(sgr(CM_P16 | 0, 0, 0), '\x1b[0;30m');
    assert.equal(sgr(CM_P16 | 9, 0, 0), '\x1b[0;91m');
    assert.equal(sgr(CM_P16 | 15, 0, 0), '\x1b[0;97m');
    assert.equal(sgr(0, CM_P16 | 4, 0), '\x1b[0;44m');
    assert.equal(sgr(0, CM_P16 | 12, 0), '\x1b[0;104m');
  });

  test('256 colours', () => {
    assert.equal(sgr(CM_P256 | 208, 0, 0), '\x1b[0;38;5;208m');
    assert.equal(sgr(0, CM_P256 | 17, 0), '\x1b[0;48;5;17m');
  });

  test('RGB colours', () => {
    assert.equal(sgr(CM_RGB | 0x010203, 0, 0), '\x1b[0;38;2;1;2;3m');
    assert.equal(sgr(0, CM_RGB | 0xff8000, 0), '\x1b[0;48;2;255;128;0m');
  });

  test('attributes, in order, then colours', () => {
    assert.equal(sgr(0, 0, ATTR_BOLD), '\x1b[0;1m');
    assert.equal(sgr(0, 0, ATTR_INVERSE), '\x1b[0;7m');
    const all = ATTR_BOLD | ATTR_DIM | ATTR_ITALIC | ATTR_UNDERLINE | ATTR_BLINK | ATTR_INVERSE | ATTR_INVISIBLE | ATTR_STRIKE | ATTR_OVERLINE;
    assert.equal(sgr(CM_P16 | 2, CM_P256 | 3, all), '\x1b[0;1;2;3;4;5;7;8;9;53;32;48;5;3m');
  });
});

describe('frameDiff', () => {
  test('from null: every cell written, no clear-screen of any kind', async () => {
    const g = gridOf(['abc', 'def']);
    const d = frameDiff(null, g);
    for (const re of CLEARS) assert.doesNotMatch(d, re);
    assert.ok(d.startsWith('\x1b[1;1H'), 'd.startsWith(\'\\x1b[1;1H\')');
    assert.ok(d.endsWith('\x1b[0m'), 'd.endsWith(\'\\x1b[0m\')');
    assert.deepEqual(await replay(3, 2, d), ['abc', 'def']);
  });

  test('from null, blank cells are written too (overwriting old content)', async () => {
    const g = gridOf(['a  ', '   ', '  z']);
    assert.deepEqual(await replay(3, 3, frameDiff(null, g)), ['a  ', '   ', '  z']);
  });

  test('identical grids → empty string', () => {
    const a = gridOf(['hello', 'world']);
    const b = gridOf(['hello', 'world']);
    b.fg[3] = a.fg[3] = CM_P256 | 5;
    assert.equal(frameDiff(a, b), '');
  });

  test('one changed cell → one cursor move, its look, the char, a reset', () => {
    const a = gridOf(['hello', 'world']);
    const b = gridOf(['hello', 'wOrld']);
    assert.equal(frameDiff(a, b), '\x1b[2;2H\x1b[0mO\x1b[0m');
  });

  test('a colour or attribute change alone redraws the cell', () => {
    const a = gridOf(['ab']);
    const b = gridOf(['ab']);
    b.fg[1] = CM_P16 | 1;
    assert.equal(frameDiff(a, b), '\x1b[1;2H\x1b[0;31mb\x1b[0m');
    const c = gridOf(['ab']);
    c.attrs[0] = ATTR_BOLD;
    assert.equal(frameDiff(a, c), '\x1b[1;1H\x1b[0;1ma\x1b[0m');
  });

  test('adjacent changes share one cursor move; the pen is set once per look', () => {
    const a = gridOf(['......']);
    const b = gridOf(['.xyz..']);
    assert.equal(frameDiff(a, b), '\x1b[1;2H\x1b[0mxyz\x1b[0m');
  });

  test('a jump within a row and across rows moves the cursor', () => {
    const a = gridOf(['....', '....']);
    const b = gridOf(['x..y', 'z...']);
    assert.equal(frameDiff(a, b), '\x1b[1;1H\x1b[0mx\x1b[1;4Hy\x1b[2;1Hz\x1b[0m');
  });

  test('change at the last column then the next row: explicit move (pending wrap)', () => {
    const a = gridOf(['..', '..']);
    const b = gridOf(['.x', 'y.']);
    assert.equal(frameDiff(a, b), '\x1b[1;2H\x1b[0mx\x1b[2;1Hy\x1b[0m');
  });

  test('a size change redraws everything', () => {
    const a = gridOf(['ab']);
    const b = gridOf(['ab', 'cd']);
    const d = frameDiff(a, b);
    assert.ok(d.includes('ab') && d.includes('cd'), 'd.includes(\'ab\') && d.includes(\'cd\')');
  });

  test('wide characters (CJK and emoji) are written once, the cursor skips their right half', async () => {
    for (const wide of ['あ', '😀']) {
      const g = gridOf(['a..b']);
      g.chars[1] = wide;
      g.chars[2] = '';
      const d = frameDiff(null, g);
      assert.equal(d, `\x1b[1;1H\x1b[0ma${wide}b\x1b[0m`, wide);
      assert.equal(d.split(wide).length - 1, 1);
    }
    const g = gridOf(['a..b']);
    g.chars[1] = 'あ';
    g.chars[2] = '';
    assert.deepEqual((await replay(4, 1, frameDiff(null, g))).map((l) => l.trimEnd()), ['aあb']);
  });

  test('only the cell after a wide char changed → move lands after the wide char', () => {
    const a = gridOf(['a..b']);
    const b = gridOf(['a..c']);
    for (const g of [a, b]) {
      g.chars[1] = 'あ';
      g.chars[2] = '';
    }
    assert.equal(frameDiff(a, b), '\x1b[1;4H\x1b[0mc\x1b[0m');
  });

  test('narrow → wide and wide → narrow transitions', async () => {
    const narrow = gridOf(['abcd']);
    const wide = gridOf(['abcd']);
    wide.chars = ['a', 'あ', '', 'd'];
    const toWide = frameDiff(narrow, wide);
    assert.equal(toWide, '\x1b[1;2H\x1b[0mあ\x1b[0m');
    assert.deepEqual((await replay(4, 1, frameDiff(null, narrow), toWide)).map((l) => l.trimEnd()), ['aあd']);
    const toNarrow = frameDiff(wide, narrow);
    assert.equal(toNarrow, '\x1b[1;2H\x1b[0mbc\x1b[0m');
    assert.deepEqual(await replay(4, 1, frameDiff(null, wide), toNarrow), ['abcd']);
  });
});

describe('readTerminal', () => {
  test('colours, attributes and cursor addressing', async () => {
    const t = screen(20, 5);
    await feed(t, '\x1b[31mR\x1b[38;5;208mO\x1b[38;2;1;2;3mG\x1b[0m\x1b[1mB\x1b[0;7mI\x1b[0;44;4mb\x1b[0m\x1b[5;10HX\x1b[92mg');
    const g = new CellGrid(20, 5);
    readTerminal(t.term, g, null);
    assert.equal(g.rowText(0), 'ROGBIb'.padEnd(20));
    assert.equal(g.rowText(4), '         Xg'.padEnd(20));
    assert.deepEqual([...g.fg.slice(0, 6)], [CM_P16 | 1, CM_P256 | 208, CM_RGB | 0x010203, 0, 0, 0]);
    assert.deepEqual([...g.attrs.slice(0, 6)], [0, 0, 0, ATTR_BOLD, ATTR_INVERSE, ATTR_UNDERLINE]);
    assert.equal(g.bg[5], CM_P16 | 4);
    assert.equal(g.fg[4 * 20 + 10], CM_P16 | 10);
    assert.equal(g.fg[4 * 20 + 9], 0);
    // Round trip: the SGR produced for a cell reproduces its look in another terminal.
    assert.equal(sgr(g.fg[2]!, g.bg[2]!, g.attrs[2]!), '\x1b[0;38;2;1;2;3m');
  });

  test('more attributes: dim, italic, strikethrough, invisible, overline', async () => {
    const t = screen(10, 1);
    await feed(t, '\x1b[2md\x1b[0;3mi\x1b[0;9ms\x1b[0;8mh\x1b[0;53mo\x1b[0m');
    const g = new CellGrid(10, 1);
    readTerminal(t.term, g, null);
    assert.deepEqual([...g.attrs.slice(0, 5)], [ATTR_DIM, ATTR_ITALIC, ATTR_STRIKE, ATTR_INVISIBLE, ATTR_OVERLINE]);
  });

  test('alternate screen is what is shown; leaving it restores the normal screen', async () => {
    const t = screen(10, 3);
    await feed(t, 'normal');
    await feed(t, '\x1b[?1049h\x1b[H\x1b[2;3Halt');
    const g = new CellGrid(10, 3);
    readTerminal(t.term, g, null);
    assert.equal(g.rowText(0), ' '.repeat(10));
    assert.equal(g.rowText(1), '  alt     ');
    await feed(t, '\x1b[?1049l');
    readTerminal(t.term, g, null);
    assert.equal(g.rowText(0), 'normal    ');
  });

  test('wide CJK characters: left half holds the char, right half is ""', async () => {
    const t = screen(6, 1);
    await feed(t, 'aあb');
    const g = new CellGrid(6, 1);
    readTerminal(t.term, g, null);
    assert.deepEqual(g.chars, ['a', 'あ', '', 'b', ' ', ' ']);
  });

  test('a wide char cut by the grid\'s right edge becomes a blank', async () => {
    const t = screen(6, 1);
    await feed(t, 'abあ');
    const g = new CellGrid(3, 1);
    readTerminal(t.term, g, null);
    assert.deepEqual(g.chars, ['a', 'b', ' ']);
  });

  test('grid wider than the terminal: the rest of the row is blank', async () => {
    const t = screen(3, 1, 10);
    await feed(t, '\x1b[41mabc');
    const g = new CellGrid(5, 1);
    g.chars.fill('?');
    readTerminal(t.term, g, null);
    assert.equal(g.rowText(0), 'abc  ');
    assert.equal(g.bg[2], CM_P16 | 1);
    assert.equal(g.bg[3], 0);
  });

  test(
    'rows past the end of the buffer are blank, also when the buffer is full (scrollback 0 or at its limit)',
    async () => {
      // Scrollback 0: the buffer is always "full".
      const t = screen(3, 2, 0);
      await feed(t, 'abc\r\ndef\r\nghi');
      const g = new CellGrid(3, 3);
      readTerminal(t.term, g, null);
      assert.deepEqual([0, 1, 2].map((y) => g.rowText(y)), ['def', 'ghi', '   ']);
      // Scroll view near the bottom of a full scrollback after the pane grew taller.
      const s = screen(4, 2, 2);
      await feed(s, Array.from({ length: 10 }, (_, i) => `L${i}`).join('\r\n'));
      assert.equal(s.term.buffer.active.length, 4);
      const tall = new CellGrid(4, 4);
      readTerminal(s.term, tall, 2);
      assert.deepEqual([0, 1, 2, 3].map((y) => tall.rowText(y).trim()), ['L8', 'L9', '', '']);
    },
  );

  test('scroll `top` reads older lines from the scrollback', async () => {
    const t = screen(10, 4, 100);
    await feed(t, Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\r\n'));
    const g = new CellGrid(10, 4);
    readTerminal(t.term, g, null);
    assert.equal(g.rowText(0).trim(), 'line 16');
    readTerminal(t.term, g, 0);
    assert.deepEqual([0, 1, 2, 3].map((y) => g.rowText(y).trim()), ['line 0', 'line 1', 'line 2', 'line 3']);
    readTerminal(t.term, g, 10);
    assert.equal(g.rowText(0).trim(), 'line 10');
    readTerminal(t.term, g, 18); // past the end of the buffer: blank rows
    assert.equal(g.rowText(0).trim(), 'line 18');
    assert.equal(g.rowText(2).trim(), '');
  });

  test('highlight marks matches in view, the current one stronger', () => {
    const g = gridOf(['aaaaaa', 'bbbbbb', 'cccccc']);
    highlight(
      g,
      10,
      [
        { line: 9, col: 0, length: 3 }, // above the view
        { line: 10, col: 1, length: 2 },
        { line: 12, col: 4, length: 5 }, // clipped at the right edge
        { line: 13, col: 0, length: 3 }, // below the view
      ],
      2,
    );
    assert.deepEqual([...g.bg.slice(0, 6)], [0, CM_P256 | 228, CM_P256 | 228, 0, 0, 0]);
    assert.deepEqual([...g.attrs.slice(0, 3)], [0, 0, 0]);
    assert.equal(g.fg[1], CM_P256 | 16);
    assert.deepEqual([...g.bg.slice(6, 12)], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...g.bg.slice(12, 18)], [0, 0, 0, 0, CM_P256 | 214, CM_P256 | 214]);
    assert.equal(g.attrs[16], ATTR_BOLD);
  });
});

describe('Compositor', () => {
  interface Rig {
    out: string[];
    comp: Compositor;
    chrome: TerminalScreen;
    pane: TerminalScreen;
    placement: PanePlacement;
    drains: (() => void)[];
    /** What the real terminal shows after all output so far. */
    shown(): Promise<string[]>;
    setWritable(ok: boolean): void;
  }

  const COLS = 30;
  const ROWS = 8;

  async function rig(opts: { focused?: boolean; fps?: number; backgroundFps?: number } = {}): Promise<Rig> {
    const out: string[] = [];
    const drains: (() => void)[] = [];
    let writable = true;
    const comp = new Compositor({
      fps: opts.fps ?? 1000,
      backgroundFps: opts.backgroundFps ?? 1000,
      write: (d) => {
        out.push(d);
        return writable;
      },
      onDrain: (fn) => drains.push(fn),
    });
    const chrome = screen(COLS, ROWS, 0, true);
    await feed(chrome, 'CHROME top\n\n\n\n\n\n\nstatus');
    const pane = screen(10, 3, 100);
    await feed(pane, 'HELLO');
    const placement: PanePlacement = { agent: 'wt/a', rect: { x: 5, y: 2, width: 10, height: 3 }, term: pane.term, top: null, focused: opts.focused ?? true };
    comp.setSize(COLS, ROWS);
    comp.setChrome(chrome.term);
    comp.setPanes([placement], null);
    return {
      out,
      comp,
      chrome,
      pane,
      placement,
      drains,
      shown: () => replay(COLS, ROWS, ...out),
      setWritable: (ok) => (writable = ok),
    };
  }

  async function until(cond: () => boolean, ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) assert.fail('condition not met in time');
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Give the compositor every chance to draw: several event-loop turns and a few frame gaps. */
  const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

  test('paused until resumed: nothing is written before', async () => {
    const r = await rig();
    await settle(20);
    assert.deepEqual(r.out, []);
    r.comp.pause();
  });

  test('first frame draws chrome and pane at their places, in a synchronized update, without clearing', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length > 0);
    const frame = r.out.join('');
    assert.ok(frame.startsWith('\x1b[?2026h') && frame.endsWith('\x1b[?2026l'), 'frame.startsWith(\'\\x1b[?2026h\') && frame.endsWith(\'\\x1b[?2026l\')');
    for (const re of CLEARS) assert.doesNotMatch(frame, re);
    assert.ok(frame.includes('HELLO'), 'frame.includes(\'HELLO\')');
    const shown = await r.shown();
    assert.equal(shown[0]!.trimEnd(), 'CHROME top');
    assert.equal(shown[2]!.slice(5, 15), 'HELLO     ');
    assert.equal(shown[7]!.trimEnd(), 'status');
    assert.equal(r.comp.frames, 1);
    r.comp.pause();
  });

  test('a pane update writes only what changed', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    await feed(r.pane, ' you');
    r.comp.markAgentDirty('wt/a');
    await until(() => r.out.length === 2);
    const diff = r.out[1]!;
    assert.ok(diff.length < 60, `small diff: ${JSON.stringify(diff)}`);
    assert.ok(diff.includes('\x1b[3;12H'), `cursor to the first changed cell: ${JSON.stringify(diff)}`);
    assert.ok(!diff.includes('HELLO'), '!diff.includes(\'HELLO\')');
    const shown = await r.shown();
    assert.equal(shown[2]!.slice(5, 15), 'HELLO you ');
    r.comp.pause();
  });

  test('idle: nothing changed → no output at all', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    await settle();
    r.comp.markAgentDirty('wt/a'); // dirty but the cells are the same
    r.comp.setPanes([r.placement], null); // same placement
    await settle();
    assert.equal(r.out.length, 1);
    assert.equal(r.comp.frames, 1);
    r.comp.pause();
  });

  test('markAgentDirty on an agent that is not visible writes nothing', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    r.comp.markAgentDirty('other/agent');
    await settle();
    assert.equal(r.out.length, 1);
    r.comp.pause();
  });

  test('pause() stops output; resume() redraws every cell', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    r.comp.pause();
    await feed(r.pane, '!!!');
    r.comp.markAgentDirty('wt/a');
    r.comp.markChromeDirty();
    await settle();
    assert.equal(r.out.length, 1);
    r.comp.resume();
    await until(() => r.out.length === 2);
    assert.ok(r.out[1]!.includes('CHROME top'), 'full redraw after resume');
    assert.equal((await r.shown())[2]!.slice(5, 15), 'HELLO!!!  ');
    r.comp.pause();
  });

  test('dialog overlay: pane cells are not drawn inside it', async () => {
    const r = await rig();
    await feed(r.chrome, '\x1b[3;1H' + '#'.repeat(COLS));
    r.comp.setPanes([r.placement], { x: 0, y: 2, width: 8, height: 1 });
    r.comp.resume();
    await until(() => r.out.length === 1);
    const shown = await r.shown();
    assert.equal(shown[2]!.slice(0, 8), '########', 'chrome (the dialog) wins inside the overlay');
    assert.equal(shown[2]!.slice(8, 12), 'LO  ', 'the pane shows outside it');
    r.comp.pause();
  });

  test('setPanes without the agent removes it: chrome shows again there', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    r.comp.setPanes([], null);
    await until(() => r.out.length === 2);
    assert.equal((await r.shown())[2]!.trim(), '');
    r.comp.pause();
  });

  test('moving a pane redraws it at its new place', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    r.comp.setPanes([{ ...r.placement, rect: { x: 0, y: 4, width: 10, height: 3 } }], null);
    await until(() => r.out.length === 2);
    const shown = await r.shown();
    assert.equal(shown[4]!.slice(0, 5), 'HELLO');
    assert.equal(shown[2]!.trim(), '');
    r.comp.pause();
  });

  test('scroll placement (top) shows older lines, and search highlights', async () => {
    const r = await rig();
    await feed(r.pane, '\r\n' + Array.from({ length: 10 }, (_, i) => `L${i}`).join('\r\n'));
    const buf = r.pane.term.buffer.active;
    assert.ok(buf.baseY > 0, 'buf.baseY > 0');
    r.comp.setPanes([{ ...r.placement, top: 0, matches: [{ line: 0, col: 0, length: 5 }], currentMatch: 0 }], null);
    r.comp.resume();
    await until(() => r.out.length === 1);
    const shown = await r.shown();
    assert.equal(shown[2]!.slice(5, 15), 'HELLO     ');
    assert.equal(shown[3]!.slice(5, 7), 'L0');
    assert.ok(r.out[0]!.includes('48;5;214'), 'current match highlighted');
    r.comp.pause();
  });

  test('setSize redraws everything at the new size', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    r.chrome.resize(40, ROWS);
    r.comp.setSize(40, ROWS);
    await until(() => r.out.length === 2);
    assert.ok(r.out[1]!.includes('CHROME top') && r.out[1]!.includes('HELLO'), 'r.out[1]!.includes(\'CHROME top\') && r.out[1]!.includes(\'HELLO\')');
    r.comp.pause();
  });

  test('backpressure: nothing more until the terminal drains, then one frame of the latest state', async () => {
    const r = await rig();
    r.setWritable(false);
    r.comp.resume();
    await until(() => r.out.length === 1);
    assert.equal(r.drains.length, 1);
    for (const s of ['1', '2', '3']) {
      await feed(r.pane, s);
      r.comp.markAgentDirty('wt/a');
      await settle(10);
    }
    assert.equal(r.out.length, 1, 'blocked while the terminal is behind');
    r.setWritable(true);
    r.drains[0]!();
    await until(() => r.out.length === 2);
    await settle();
    assert.equal(r.out.length, 2, 'one catch-up frame');
    assert.equal((await r.shown())[2]!.slice(5, 15), 'HELLO123  ');
    r.comp.pause();
  });

  test('synchronized output: a pane mid-frame keeps its previous cells until the frame ends', async () => {
    const r = await rig();
    r.comp.resume();
    await until(() => r.out.length === 1);
    await feed(r.pane, '\x1b[?2026h\x1b[H\x1b[2Kpartial');
    r.comp.markAgentDirty('wt/a');
    await settle();
    assert.equal(r.out.length, 1, 'held');
    await feed(r.pane, ' done\x1b[?2026l');
    r.comp.markAgentDirty('wt/a');
    await until(() => r.out.length === 2);
    assert.equal((await r.shown())[2]!.slice(5, 15), 'partial do');
    r.comp.pause();
  });

  test('background panes that change at different moments are drawn together, in one frame', async () => {
    const r = await rig({ backgroundFps: 10 });
    const b = screen(10, 3, 100);
    await feed(b, 'B');
    const bPlacement: PanePlacement = { agent: 'wt/b', rect: { x: 16, y: 2, width: 10, height: 3 }, term: b.term, top: null, focused: false };
    const aPlacement = { ...r.placement, focused: false };
    r.comp.setPanes([aPlacement, bPlacement], null);
    r.comp.resume();
    await until(() => r.out.length === 1);
    await feed(r.pane, '1');
    r.comp.markAgentDirty('wt/a');
    await settle(15);
    await feed(b, '2');
    r.comp.markAgentDirty('wt/b');
    await until(() => r.out.length === 2, 1000);
    await settle(150);
    assert.equal(r.out.length, 2, 'one frame for both');
    const shown = await r.shown();
    assert.equal(shown[2]!.slice(5, 15).trimEnd(), 'HELLO1');
    assert.equal(shown[2]!.slice(16, 26).trimEnd(), 'B2');
    r.comp.pause();
  });

  test('drawing only changed rows ends with the same screen as drawing everything anew', async () => {
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const r = await rig();
    const b = screen(10, 3, 100);
    let bPlacement: PanePlacement = { agent: 'wt/b', rect: { x: 16, y: 4, width: 10, height: 3 }, term: b.term, top: null, focused: false };
    let overlay: { x: number; y: number; width: number; height: number } | null = null;
    r.comp.setPanes([r.placement, bPlacement], overlay);
    r.comp.resume();
    for (let step = 0; step < 60; step++) {
      const k = rnd(5);
      if (k === 0) {
        await feed(r.pane, `\x1b[${1 + rnd(3)};${1 + rnd(10)}H\x1b[3${rnd(8)}m${'abc'.slice(rnd(3))}`);
        r.comp.markAgentDirty('wt/a');
      } else if (k === 1) {
        await feed(b, `\x1b[${1 + rnd(3)};${1 + rnd(10)}H${'xyz'.slice(rnd(3))}\x1b[0m`);
        r.comp.markAgentDirty('wt/b');
      } else if (k === 2) {
        await feed(r.chrome, `\x1b[${1 + rnd(8)};${1 + rnd(30)}Hchrome${rnd(10)}`);
        r.comp.markChromeDirty();
      } else if (k === 3) {
        bPlacement = { ...bPlacement, rect: { ...bPlacement.rect, x: 14 + rnd(5), y: 3 + rnd(3) } };
        r.comp.setPanes([r.placement, bPlacement], overlay);
      } else {
        overlay = overlay ? null : { x: 2 + rnd(5), y: 1 + rnd(3), width: 12, height: 3 };
        r.comp.setPanes([r.placement, bPlacement], overlay);
      }
      await settle(rnd(3) === 0 ? 5 : 0);
    }
    await settle(80);
    // A second compositor draws the same state from scratch.
    const fresh: string[] = [];
    const c2 = new Compositor({ fps: 1000, backgroundFps: 1000, write: (d) => (fresh.push(d), true), onDrain: () => {} });
    c2.setSize(COLS, ROWS);
    c2.setChrome(r.chrome.term);
    c2.setPanes([r.placement, bPlacement], overlay);
    c2.resume();
    await until(() => fresh.length === 1);
    assert.deepEqual(await r.shown(), await replay(COLS, ROWS, ...fresh));
    r.comp.pause();
    c2.pause();
  });

  test('an unfocused pane is read at most at backgroundFps', async () => {
    const r = await rig({ backgroundFps: 1 });
    r.comp.resume();
    await until(() => r.out.length === 1); // read once (focused)
    r.comp.setPanes([{ ...r.placement, focused: false }], null);
    await feed(r.pane, '!');
    r.comp.markAgentDirty('wt/a');
    await settle(30);
    assert.equal(r.out.length, 1, 'second read deferred by the background rate');
    r.comp.pause();
  });

  test(
    'a focused change is drawn at once while a background pane\'s read is deferred',
    async () => {
      const r = await rig({ backgroundFps: 1 });
      const bg = screen(10, 3, 100);
      await feed(bg, 'bg');
      const bgPlacement: PanePlacement = { agent: 'wt/b', rect: { x: 16, y: 2, width: 10, height: 3 }, term: bg.term, top: null, focused: false };
      r.comp.setPanes([r.placement, bgPlacement], null);
      r.comp.resume();
      await until(() => r.out.length === 1); // both read once
      await feed(bg, '+');
      r.comp.markAgentDirty('wt/b'); // deferred ~1 s: a timer is now pending
      await settle(20);
      await feed(r.pane, '!');
      r.comp.markAgentDirty('wt/a'); // the focused pane: should not wait for the background timer
      try {
        await until(() => r.out.length === 2, 300);
      } finally {
        r.comp.pause();
      }
      assert.match(r.out[1]!, /!/);
    },
  );
});

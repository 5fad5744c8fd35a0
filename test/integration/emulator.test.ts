// src/core/agents/terminal-screen.ts: the emulator every agent's bytes go through. Known byte
// sequences in, expected screen out; serialize() must recreate the same screen elsewhere (that is
// how an attaching client gets its first frame).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';

const ESC = '\x1b';

/** write() is asynchronous in xterm: resolve once the bytes are parsed. */
function write(screen: TerminalScreen, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => screen.write(data, resolve));
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** The same screen the sgr-agent fixture draws on the normal screen. */
const NORMAL_SCREEN = [
  `${ESC}[2J${ESC}[H`,
  `${ESC}[31mRED${ESC}[0m ${ESC}[1;32mBOLDGREEN${ESC}[0m\r\n`,
  `${ESC}[38;5;208mORANGE${ESC}[0m ${ESC}[38;2;10;20;30mTRUECOLOR${ESC}[0m\r\n`,
  `${ESC}[5;10HAT-5-10`,
  `${ESC}[7;1Hxxxxxxxxxx${ESC}[7;4H${ESC}[K`,
  `${ESC}[8;1H宽字 wide`,
  `${ESC}[9;1HMAIN-DONE`,
].join('');
const NORMAL_TEXT = ['RED BOLDGREEN', 'ORANGE TRUECOLOR', '', '', '         AT-5-10', '', 'xxx', '宽字 wide', 'MAIN-DONE'];

describe('TerminalScreen', () => {
  test('colours, cursor addressing, erase and wide chars give the expected text and cells', async () => {
    const s = new TerminalScreen(40, 12, 100);
    try {
      await write(s, NORMAL_SCREEN);
      const text = s.visibleText();
      assert.equal(text.length, 12);
      assert.deepEqual(trimEnd(text), NORMAL_TEXT);

      const buf = s.term.buffer.active;
      const line = (y: number) => buf.getLine(buf.baseY + y)!;
      const red = line(0).getCell(0)!;
      assert.equal(red.getChars(), 'R');
      assert.ok(red.isFgPalette());
      assert.equal(red.getFgColor(), 1);
      assert.ok(line(0).getCell(3)!.isFgDefault(), 'SGR 0 after RED resets the colour');
      const green = line(0).getCell(4)!;
      assert.equal(green.getChars(), 'B');
      assert.ok(green.isBold());
      assert.equal(green.getFgColor(), 2);
      const orange = line(1).getCell(0)!;
      assert.ok(orange.isFgPalette());
      assert.equal(orange.getFgColor(), 208);
      const truecolor = line(1).getCell(7)!;
      assert.equal(truecolor.getChars(), 'T');
      assert.ok(truecolor.isFgRGB());
      assert.equal(truecolor.getFgColor(), (10 << 16) | (20 << 8) | 30);
      // Wide chars take two cells: the glyph, then a zero-width continuation cell.
      assert.equal(line(7).getCell(0)!.getChars(), '宽');
      assert.equal(line(7).getCell(0)!.getWidth(), 2);
      assert.equal(line(7).getCell(1)!.getWidth(), 0);
      assert.equal(line(7).getCell(2)!.getChars(), '字');
      assert.equal(line(7).getCell(5)!.getChars(), 'w');
      // Cursor after the last write: row 9 (index 8), after "MAIN-DONE".
      assert.equal(buf.cursorY, 8);
      assert.equal(buf.cursorX, 9);
    } finally {
      s.dispose();
    }
  });

  test('alternate screen: entering shows only its contents, leaving restores the normal screen', async () => {
    const s = new TerminalScreen(40, 12, 100);
    try {
      await write(s, NORMAL_SCREEN);
      const before = s.visibleText();
      await write(s, `${ESC}[?1049h${ESC}[H${ESC}[2JALT SCREEN${ESC}[3;3Hinside alt`);
      assert.equal(s.term.buffer.active.type, 'alternate');
      assert.deepEqual(trimEnd(s.visibleText()), ['ALT SCREEN', '', '  inside alt']);
      await write(s, `${ESC}[?1049l`);
      assert.equal(s.term.buffer.active.type, 'normal');
      assert.deepEqual(s.visibleText(), before);
      // 1049 also restored the cursor saved on entry.
      assert.equal(s.term.buffer.active.cursorY, 8);
      assert.equal(s.term.buffer.active.cursorX, 9);
    } finally {
      s.dispose();
    }
  });

  test('erase in display and line', async () => {
    const s = new TerminalScreen(20, 5, 100);
    try {
      await write(s, 'aaaaaaaaaa\r\nbbbbbbbbbb\r\ncccccccccc\r\ndddddddddd');
      await write(s, `${ESC}[2;5H${ESC}[1K`); // erase start of line 2 through the cursor
      await write(s, `${ESC}[3;5H${ESC}[J`); // erase from cursor to end of screen
      assert.deepEqual(trimEnd(s.visibleText()), ['aaaaaaaaaa', '     bbbbb', 'cccc']);
      await write(s, `${ESC}[2J`);
      assert.deepEqual(trimEnd(s.visibleText()), []);
    } finally {
      s.dispose();
    }
  });

  test('output longer than the screen scrolls into scrollback; visibleText shows the last rows', async () => {
    const s = new TerminalScreen(20, 5, 100);
    try {
      await write(s, Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\r\n'));
      assert.deepEqual(s.visibleText(), ['line 8', 'line 9', 'line 10', 'line 11', 'line 12']);
      assert.equal(s.term.buffer.active.baseY, 7);
    } finally {
      s.dispose();
    }
  });

  test('a UTF-8 character split across two byte chunks is decoded whole', async () => {
    const s = new TerminalScreen(20, 3, 100);
    try {
      const bytes = new TextEncoder().encode('héllo ✓');
      const cut = 2; // inside "é"
      await write(s, bytes.slice(0, cut));
      await write(s, bytes.slice(cut, bytes.length - 1)); // and inside "✓"
      await write(s, bytes.slice(bytes.length - 1));
      assert.equal(s.visibleText()[0], 'héllo ✓');
    } finally {
      s.dispose();
    }
  });

  test('serialize() round-trips into a fresh screen of the same size', async () => {
    const a = new TerminalScreen(40, 12, 100);
    const b = new TerminalScreen(40, 12, 100);
    try {
      // Some scrollback first, then the known screen (which clears only the visible part).
      await write(a, Array.from({ length: 20 }, (_, i) => `${ESC}[3${i % 8}mold ${i}${ESC}[0m`).join('\r\n'));
      await write(a, NORMAL_SCREEN);
      await write(b, a.serialize());
      assert.deepEqual(b.visibleText(), a.visibleText());
      const ab = a.term.buffer.active;
      const bb = b.term.buffer.active;
      assert.equal(bb.length, ab.length, 'scrollback length');
      for (let y = 0; y < ab.length; y++) {
        assert.equal(bb.getLine(y)?.translateToString(true), ab.getLine(y)?.translateToString(true), `buffer line ${y}`);
      }
      assert.equal(bb.cursorX, ab.cursorX);
      assert.equal(bb.cursorY, ab.cursorY);
      // Attributes survive too.
      const cell = (buf: typeof ab, y: number, x: number) => buf.getLine(buf.baseY + y)!.getCell(x)!;
      for (const [y, x] of [
        [0, 0],
        [0, 4],
        [1, 0],
        [1, 7],
        [7, 0],
      ] as const) {
        assert.equal(cell(bb, y, x).getChars(), cell(ab, y, x).getChars());
        assert.equal(cell(bb, y, x).getFgColor(), cell(ab, y, x).getFgColor(), `fg at ${y},${x}`);
        assert.equal(cell(bb, y, x).getFgColorMode(), cell(ab, y, x).getFgColorMode(), `fg mode at ${y},${x}`);
        assert.equal(cell(bb, y, x).isBold(), cell(ab, y, x).isBold(), `bold at ${y},${x}`);
        assert.equal(cell(bb, y, x).getWidth(), cell(ab, y, x).getWidth(), `width at ${y},${x}`);
      }
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('serialize() of a screen in the alternate screen recreates the alternate screen', async () => {
    const a = new TerminalScreen(40, 12, 100);
    const b = new TerminalScreen(40, 12, 100);
    try {
      await write(a, NORMAL_SCREEN);
      await write(a, `${ESC}[?1049h${ESC}[H${ESC}[2JALT SCREEN${ESC}[3;3Hinside alt`);
      await write(b, a.serialize());
      assert.equal(b.term.buffer.active.type, 'alternate');
      assert.deepEqual(b.visibleText(), a.visibleText());
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('serialize(0) leaves the scrollback out but keeps the visible screen', async () => {
    const a = new TerminalScreen(20, 4, 100);
    const b = new TerminalScreen(20, 4, 100);
    try {
      await write(a, Array.from({ length: 10 }, (_, i) => `row ${i}`).join('\r\n'));
      await write(b, a.serialize(0));
      assert.deepEqual(b.visibleText(), a.visibleText());
      assert.equal(b.term.buffer.active.baseY, 0);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('resize changes cols/rows and reflows long lines; sizes below 1 are clamped', async () => {
    const s = new TerminalScreen(40, 10, 100);
    try {
      await write(s, `${'0123456789'.repeat(3)}\r\nshort`);
      assert.deepEqual(trimEnd(s.visibleText()), ['012345678901234567890123456789', 'short']);
      s.resize(20, 10);
      assert.equal(s.cols, 20);
      assert.equal(s.rows, 10);
      assert.deepEqual(trimEnd(s.visibleText()), ['01234567890123456789', '0123456789', 'short']);
      s.resize(20, 4);
      assert.equal(s.visibleText().length, 4);
      s.resize(80, 24);
      assert.deepEqual(trimEnd(s.visibleText()), ['012345678901234567890123456789', 'short']);
      // Sizes below 1 must not throw. xterm's own minimum is 2 columns, so cols ends up 1 or 2.
      s.resize(0, -3);
      assert.ok(s.cols >= 1 && s.cols <= 2, `cols ${s.cols}`);
      assert.equal(s.rows, 1);
    } finally {
      s.dispose();
    }
  });

  test('the emulator answers queries (cursor position report) through onReply', async () => {
    const s = new TerminalScreen(40, 10, 100);
    try {
      const replies: string[] = [];
      const sub = s.onReply((d) => replies.push(d));
      await write(s, `${ESC}[4;7H${ESC}[6n`);
      assert.deepEqual(replies, [`${ESC}[4;7R`]);
      sub.dispose();
    } finally {
      s.dispose();
    }
  });

  test('cursorHidden follows DECTCEM', async () => {
    const s = new TerminalScreen(20, 5, 100);
    try {
      assert.equal(s.cursorHidden, false);
      await write(s, `${ESC}[?25l`);
      assert.equal(s.cursorHidden, true);
      await write(s, `${ESC}[?25h`);
      assert.equal(s.cursorHidden, false);
    } finally {
      s.dispose();
    }
  });
  test('a write with nothing queued is parsed before write() returns; queued writes stay in order', () => {
    const s = new TerminalScreen(20, 3, 10);
    try {
      // If this fails after an @xterm/headless upgrade, the internals TerminalScreen.write reuses moved.
      assert.equal(s.parsesSynchronously, true);
      let done = false;
      s.write('now', () => (done = true));
      assert.equal(done, true);
      assert.equal(s.visibleText()[0], 'now');
      assert.equal(s.backlog, 0);
    } finally {
      s.dispose();
    }
  });

  test('many writes, large and small, parse in order with their callbacks', async () => {
    const s = new TerminalScreen(20, 3, 10);
    try {
      let order = '';
      s.write(Buffer.from('x'.repeat(2 * 1024 * 1024) + '\r\nEND'), () => (order += 'a'));
      s.write('\r\nMID', () => (order += 'b'));
      s.write(Buffer.from('\r\nLAST'), () => (order += 'c'));
      await write(s, '');
      assert.equal(order, 'abc');
      assert.equal(s.backlog, 0);
      assert.deepEqual(s.visibleText(), ['END', 'MID', 'LAST']);
    } finally {
      s.dispose();
    }
  });
  test('a screen asked for no scrollback survives any mix of resizes and writes (xterm 6 throws with 0)', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let run = 0; run < 300; run++) {
      const s = new TerminalScreen(40, 10, 0);
      try {
        for (let step = 0; step < 40; step++) {
          const k = rnd(5);
          if (k === 0) s.resize(2 + rnd(80), 1 + rnd(30));
          else if (k === 1) s.write('x'.repeat(rnd(200)) + '\r\n');
          else if (k === 2) s.write(`\x1b[${1 + rnd(30)};${1 + rnd(80)}Hhello`);
          else if (k === 3) s.write(rnd(2) ? '\x1b[?1049h' : '\x1b[?1049l');
          else s.write('\x1b[2J\x1b[H' + 'y\r\n'.repeat(rnd(40)));
        }
      } finally {
        s.dispose();
      }
    }
  });
});

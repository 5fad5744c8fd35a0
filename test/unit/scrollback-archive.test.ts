/**
 * The compact scrollback (issue 20.2): an agent's emulator keeps a short scrollback in xterm and
 * the rest in a ScrollbackArchive. Whatever a program prints, the history read back (serialize(),
 * what scroll mode, search, the attach and history requests read) must be the same, cell for cell,
 * as that of an emulator that kept all of it in xterm.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IBufferLine, IBufferCell } from '@xterm/headless';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import { ScrollbackArchive } from '../../src/core/agents/scrollback-archive.js';

const write = (s: TerminalScreen, data: string) => new Promise<void>((r) => s.write(data, r));

/** A small deterministic PRNG, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const SGR = ['0', '1', '2', '3', '4', '5', '7', '8', '9', '53', '22', '23', '24', '27', '29', '39', '49', '31', '36', '92', '44', '103', '38;5;208', '48;5;17', '38;2;10;200;30', '48;2;90;0;60', '1;4;35'];
const TEXT = ['hello', 'world', ' ', '  ', '漢字', '🚀', 'e\u0301', 'x', '—', 'ok:', '[42%]', '    '];

/** Output like a busy agent's: styled words, wide and combining characters, gaps, erases, long lines. */
function output(seed: number, lines: number, cols: number, rows: number, opts: { region?: boolean } = {}): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const chunks: string[] = [];
  for (let n = 0; n < lines; n++) {
    let line = '';
    const parts = 1 + Math.floor(r() * 8);
    for (let p = 0; p < parts; p++) {
      const k = r();
      if (k < 0.3) line += `\x1b[${pick(SGR)}m`;
      else if (k < 0.37) line += `\x1b[${1 + Math.floor(r() * 6)}C`;
      else if (k < 0.41) line += '\x1b[K';
      else if (k < 0.45) line += pick(TEXT).repeat(Math.ceil((cols * 2) / 5)); // wraps
      else line += pick(TEXT);
    }
    if (opts.region && r() < 0.05) line += `\x1b[1;${rows - 2}r\x1b[${rows - 2};1H`; // scroll region from the top: splice
    if (opts.region && r() < 0.04) line += '\x1b[r';
    chunks.push(line + (r() < 0.1 ? '\x1b[0m' : '') + '\r\n');
  }
  // Random chunk sizes: rows leave xterm mid-write as well as between writes.
  const joined = chunks.join('');
  const out: string[] = [];
  for (let i = 0; i < joined.length; ) {
    const n = 1 + Math.floor(r() * 3000);
    out.push(joined.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Every row of the normal buffer as comparable text: chars, widths and all attributes of each cell. */
function cells(s: TerminalScreen): Array<{ wrapped: boolean; cells: string }> {
  const buf = s.term.buffer.normal;
  const out: Array<{ wrapped: boolean; cells: string }> = [];
  let cell: IBufferCell | undefined;
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y) as IBufferLine;
    let text = '';
    for (let x = 0; x < line.length; x++) {
      cell = line.getCell(x, cell)!;
      const attrs = [cell.getFgColorMode(), cell.getFgColor(), cell.getBgColorMode(), cell.getBgColor(), cell.isBold(), cell.isDim(), cell.isItalic(), cell.isUnderline(), cell.isBlink(), cell.isInverse(), cell.isInvisible(), cell.isStrikethrough(), cell.isOverline()];
      // An empty cell's foreground and flags are invisible and not kept by any serializer.
      text += cell.getChars() === '' ? `|${cell.getWidth()}:${attrs[2]},${attrs[3]}` : `|${cell.getChars()}${cell.getWidth()}:${attrs.map(Number).join(',')}`;
    }
    out.push({ wrapped: line.isWrapped, cells: text });
  }
  return out;
}

async function loaded(s: TerminalScreen, cols = s.cols, rows = s.rows): Promise<TerminalScreen> {
  const copy = new TerminalScreen(cols, rows, 100_000);
  await write(copy, s.serialize());
  return copy;
}

/**
 * `b` (a copy of the archiving emulator) must have the history of `truth` (an emulator that kept
 * all of it in xterm) row for row: the archive's rows (above `edge`) exactly as xterm holds them,
 * and xterm's own rows as its serializer carries them (`viaSerializer`: a copy of `truth`; the
 * serializer has its own small losses, which are not the archive's to fix). `edge`: the first row
 * xterm's serializer wrote.
 */
function assertSameHistory(truth: TerminalScreen, viaSerializer: TerminalScreen, b: TerminalScreen, edge: number, label: string): void {
  const exact = cells(truth);
  const ra = cells(viaSerializer);
  const rb = cells(b);
  assert.equal(rb.length, ra.length, `${label}: same number of rows`);
  const offset = exact.length - ra.length; // a partial serialize(n) holds only the newest rows
  for (let y = 0; y < ra.length; y++) {
    const want = y < edge ? exact[y + offset]! : ra[y]!;
    if (rb[y]!.cells !== want.cells) assert.fail(`${label}: row ${y} of ${ra.length} (edge ${edge}) differs: ${firstDifference(rb[y]!.cells, want.cells)}`);
    assert.equal(rb[y]!.wrapped, want.wrapped, `${label}: wrap flag of row ${y} (edge ${edge})`);
  }
  assert.deepEqual([b.term.buffer.normal.cursorX, b.term.buffer.normal.cursorY], [viaSerializer.term.buffer.normal.cursorX, viaSerializer.term.buffer.normal.cursorY], `${label}: cursor`);
}

function firstDifference(got: string, want: string): string {
  const g = got.split('|');
  const w = want.split('|');
  const x = g.findIndex((c, i) => c !== w[i]);
  return `cell ${x - 1}: ${g[x]} instead of ${w[x]} (row: ${JSON.stringify(w.map((c) => c.split(':')[0]!.slice(0, -1)).join(''))})`;
}

function ownScrollback(s: TerminalScreen): number {
  return s.term.buffer.normal.length - s.rows;
}

/** In a copy of `s` holding `n` rows of history, the first row xterm's serializer wrote (see assertSameHistory). */
function edgeOf(s: TerminalScreen, n = s.historyRows): number {
  const buf = s.term.buffer.normal;
  let continuing = 0;
  while (continuing < ownScrollback(s) && buf.getLine(continuing)!.isWrapped) continuing++;
  return n - ownScrollback(s) + continuing;
}

for (const [seed, cols, rows, lines, region] of [
  [1, 80, 24, 3000, false],
  [2, 200, 60, 2500, false],
  [3, 37, 11, 1800, true],
  [4, 80, 24, 700, true], // fills xterm's part and some archive, under capacity
] as const) {
  test(`seed ${seed}, ${cols}x${rows}, ${lines} lines${region ? ', scroll regions' : ''}: the archived history reads back exactly as xterm's own`, async () => {
    const ref = new TerminalScreen(cols, rows, 1000);
    const ours = new TerminalScreen(cols, rows, 1000, { archive: true });
    for (const chunk of output(seed, lines, cols, rows, { region })) {
      ref.write(chunk);
      ours.write(chunk);
    }
    await write(ref, '');
    await write(ours, '');
    assert.ok(ours.archived, 'part of the history is in the archive');
    assert.ok(ownScrollback(ours) <= 100 + rows, 'xterm itself keeps only a short tail');
    assert.equal(ours.historyRows, ownScrollback(ref), 'as many rows of history as xterm would keep');
    assert.deepEqual(ours.visibleText(), ref.visibleText());
    assertSameHistory(ref, await loaded(ref), await loaded(ours), edgeOf(ours), 'copy');
    // serialize(n): only the newest n rows of history.
    for (const n of [0, 50, 400]) {
      const a = new TerminalScreen(cols, rows, 100_000);
      const b = new TerminalScreen(cols, rows, 100_000);
      await write(a, ref.serialize(n));
      await write(b, ours.serialize(n));
      assertSameHistory(ref, a, b, n > ownScrollback(ours) ? edgeOf(ours, n) : 0, `serialize(${n})`);
      assert.equal(ownScrollback(b), n, `serialize(${n}) holds ${n} rows of history`);
    }
    ref.dispose();
    ours.dispose();
  });
}

test('rows made compact read back the same as rows still raw', async () => {
  const ours = new TerminalScreen(80, 24, 2000, { archive: true });
  for (const chunk of output(7, 2500, 80, 24)) ours.write(chunk);
  await write(ours, '');
  const archive = (ours as unknown as { archive: ScrollbackArchive }).archive;
  assert.ok(archive.rawRows > 0, 'rows arrive raw');
  const before = ours.serialize();
  while (archive.compactSome(100) > 0);
  assert.equal(archive.rawRows, 0);
  assert.equal(ours.serialize(), before);
  ours.dispose();
});

test('erasing the scrollback (ED 3) and a reset (RIS) clear the archive too', async () => {
  for (const [name, seq] of [
    ['ED 3', '\x1b[3J'],
    ['RIS', '\x1bc'],
  ] as const) {
    const ref = new TerminalScreen(40, 10, 1000);
    const ours = new TerminalScreen(40, 10, 1000, { archive: true });
    for (const s of [ref, ours]) {
      await write(s, Array.from({ length: 600 }, (_, i) => `old ${i}\r\n`).join(''));
      await write(s, seq);
    }
    assert.equal(ours.historyRows, ownScrollback(ref), `${name}: no history left`);
    assert.ok(!ours.serialize().includes('old 1\r'), `${name}: nothing old in the copy`);
    // And it carries on keeping what comes after.
    for (const s of [ref, ours]) await write(s, Array.from({ length: 400 }, (_, i) => `new ${i}\r\n`).join(''));
    assert.equal(ours.historyRows, ownScrollback(ref));
    assertSameHistory(ref, await loaded(ref), await loaded(ours), edgeOf(ours), name);
    ref.dispose();
    ours.dispose();
  }
});

test('the alternate screen leaves the archive alone; leaving it shows the same history', async () => {
  const ref = new TerminalScreen(50, 12, 1000);
  const ours = new TerminalScreen(50, 12, 1000, { archive: true });
  for (const s of [ref, ours]) {
    await write(s, Array.from({ length: 500 }, (_, i) => `line ${i}\r\n`).join(''));
    await write(s, '\x1b[?1049h' + Array.from({ length: 300 }, (_, i) => `alt ${i}\r\n`).join(''));
  }
  assert.equal(ours.historyRows, ownScrollback(ref));
  assertSameHistory(ref, await loaded(ref), await loaded(ours), edgeOf(ours), 'in the alternate screen');
  for (const s of [ref, ours]) await write(s, '\x1b[?1049l');
  assertSameHistory(ref, await loaded(ref), await loaded(ours), edgeOf(ours), 'after it');
});

/** Logical lines (wrapped rows joined), as text: what a reflow must keep. */
function logical(s: TerminalScreen): string[] {
  const buf = s.term.buffer.normal;
  const out: string[] = [];
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y)!;
    const text = line.translateToString(true);
    if (line.isWrapped && out.length) out[out.length - 1] += text;
    else out.push(text);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

test('resizing loses no history: narrower, wider and shorter, every logical line is still there', async () => {
  const ours = new TerminalScreen(80, 24, 5000, { archive: true });
  const text = Array.from({ length: 1500 }, (_, i) => `${i}: ${'word '.repeat(i % 30)}end\r\n`).join('');
  await write(ours, text);
  const want = text.split('\r\n').slice(0, -1);
  for (const [c, r] of [
    [30, 24],
    [120, 10],
    [55, 40],
    [80, 24],
  ] as const) {
    ours.resize(c, r);
    await write(ours, '');
    const got = logical(await loaded(ours));
    assert.deepEqual(got.slice(0, want.length), want, `after a resize to ${c}x${r}`);
  }
});

test('the archive is a ring: past its capacity the oldest rows go, the newest stay', async () => {
  const ours = new TerminalScreen(40, 5, 300, { archive: true });
  await write(ours, Array.from({ length: 1000 }, (_, i) => `row ${i}\r\n`).join(''));
  assert.equal(ours.historyRows, 300);
  const got = logical(await loaded(ours));
  assert.equal(got[0], 'row 696');
  assert.equal(got[got.length - 1], 'row 999');
});

test('a short scrollback is kept by xterm alone', () => {
  const s = new TerminalScreen(80, 24, 150, { archive: true });
  assert.equal(s.term.options.scrollback, 150);
  assert.equal(s.archived, false);
});

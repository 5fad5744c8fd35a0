import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import { searchBuffer } from '../../src/ui/scrollback-search.js';

const screens: TerminalScreen[] = [];
after(() => {
  for (const s of screens) s.dispose();
});

async function term(cols: number, rows: number, text: string, scrollback = 1000): Promise<TerminalScreen> {
  const s = new TerminalScreen(cols, rows, scrollback);
  screens.push(s);
  await new Promise<void>((r) => s.write(text, r));
  return s;
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\r\n');

describe('searchBuffer', () => {
  test('finds matches in scrollback and on screen, oldest first, with absolute lines', async () => {
    const s = await term(20, 5, lines(30, (i) => (i % 10 === 3 ? `line ${i} ERROR` : `line ${i}`)));
    assert.ok(s.term.buffer.active.baseY > 0, 'output scrolled into the scrollback');
    const m = searchBuffer(s.term, 'ERROR');
    assert.deepEqual(m, [
      { line: 3, col: 7, length: 5 },
      { line: 13, col: 8, length: 5 },
      { line: 23, col: 8, length: 5 },
    ]);
    // The match line is where readTerminal(top) finds the text.
    for (const x of m) assert.match(s.term.buffer.active.getLine(x.line)!.translateToString(true), /ERROR$/);
  });

  test('a match on the visible screen', async () => {
    const s = await term(20, 5, lines(30, (i) => `row${i}`) + ' needle');
    const m = searchBuffer(s.term, 'needle');
    assert.equal(m.length, 1);
    assert.equal(m[0]!.line, s.term.buffer.active.baseY + 4);
    assert.equal(m[0]!.col, 6);
  });

  test('several matches on one line, non-overlapping', async () => {
    const s = await term(20, 3, 'aaaa ab aa');
    assert.deepEqual(
      searchBuffer(s.term, 'aa').map((x) => x.col),
      [0, 2, 8],
    );
  });

  test('smart case: a lowercase query ignores case, a query with capitals does not', async () => {
    const s = await term(30, 3, 'Error error ERROR');
    assert.deepEqual(
      searchBuffer(s.term, 'error').map((x) => x.col),
      [0, 6, 12],
    );
    assert.deepEqual(
      searchBuffer(s.term, 'Error').map((x) => x.col),
      [0],
    );
    assert.deepEqual(
      searchBuffer(s.term, 'ERROR').map((x) => x.col),
      [12],
    );
  });

  test('empty query and no match → []', async () => {
    const s = await term(20, 3, 'hello');
    assert.deepEqual(searchBuffer(s.term, ''), []);
    assert.deepEqual(searchBuffer(s.term, 'absent'), []);
  });

  test('limit caps the number of matches', async () => {
    const s = await term(20, 5, lines(50, () => 'x'));
    assert.equal(searchBuffer(s.term, 'x', 7).length, 7);
  });

  test('wide characters before a match give the right cell column', async () => {
    const s = await term(30, 3, 'あいう abc\r\n日本語テキスト foo');
    assert.deepEqual(searchBuffer(s.term, 'abc'), [{ line: 0, col: 7, length: 3 }]);
    assert.deepEqual(searchBuffer(s.term, 'foo'), [{ line: 1, col: 15, length: 3 }]);
  });

  test('a wide-character query covers two cells per character', async () => {
    const s = await term(30, 3, 'ab日本c');
    assert.deepEqual(searchBuffer(s.term, '日本'), [{ line: 0, col: 2, length: 4 }]);
  });

  test('a match found after a line wrap is on the wrapped line', async () => {
    const s = await term(10, 5, '0123456789abcdef');
    assert.deepEqual(searchBuffer(s.term, 'cde'), [{ line: 1, col: 2, length: 3 }]);
  });

  test(
    'a match that ends at the last column after wide characters has its full length',
    async () => {
      // 10 columns: あ い take 4 cells, then "abcdef" fills the line to the edge.
      const s = await term(10, 3, 'あいabcdef');
      assert.deepEqual(searchBuffer(s.term, 'def'), [{ line: 0, col: 7, length: 3 }]);
    },
  );
});

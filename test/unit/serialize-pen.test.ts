/**
 * A serialized screen loads into another emulator (a client's mirror, the real terminal on attach)
 * with the same cells and the same pen. Issue 14.9: with the alternate screen active and the
 * program's pen bold+reverse (vim after drawing its status line), the copy's first rows came out
 * bold+reverse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';

const write = (s: TerminalScreen, data: string) => new Promise<void>((r) => s.write(data, r));

test('alt screen with a bold+reverse pen: the copy has default cells where the original has them, and the same pen', async () => {
  const a = new TerminalScreen(40, 6, 100);
  // Like vim: alternate screen, coloured text on top, a bold+reverse status line, pen left there.
  await write(a, '\x1b[?1049h\x1b[H\x1b[34m#!/bin/sh\x1b[39m\r\nplain text\x1b[6;1H\x1b[1;7mapp.sh   1,1   All\x1b[1;1H');
  const b = new TerminalScreen(40, 6, 100);
  await write(b, a.serialize());
  assert.equal(b.term.buffer.active.type, 'alternate');
  for (const [y, x] of [[0, 0], [1, 0], [1, 5]] as const) {
    const cell = b.term.buffer.active.getLine(y)!.getCell(x)!;
    assert.equal(cell.isBold(), 0, `row ${y} col ${x} is not bold`);
    assert.equal(cell.isInverse(), 0, `row ${y} col ${x} is not reverse`);
  }
  assert.equal(b.term.buffer.active.getLine(5)!.getCell(0)!.isInverse() !== 0, true, 'the status line still is');
  // The pen carries on as the program left it: what it prints next is bold+reverse in both.
  await write(a, 'Z');
  await write(b, 'Z');
  assert.equal(b.term.buffer.active.getLine(0)!.getCell(0)!.isBold(), a.term.buffer.active.getLine(0)!.getCell(0)!.isBold());
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import pty from '@lydell/node-pty';
import { DirectTty, openClientTty } from '../../src/server/direct-tty.js';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import { waitUntil } from '../helpers/wait-until.js';

/** A real terminal to name: a pty's slave side, as a cockpit's stdout would be. */
function withPty(fn: (path: string, rdev: number, read: () => string, reader: pty.IPty) => Promise<void> | void) {
  return async () => {
    const p = pty.spawn('/bin/sh', ['-c', 'sleep 30'], { cols: 80, rows: 24 });
    let seen = '';
    p.onData((d) => (seen += d));
    const path = (p as unknown as { _pty: string })._pty;
    try {
      await fn(path, statSync(path).rdev, () => seen, p);
    } finally {
      p.kill('SIGKILL');
    }
  };
}

test('the server opens only the terminal the client named: a tty path, that device, the user\'s own', withPty(async (path, rdev, read) => {
  assert.throws(() => openClientTty('/dev/null', statSync('/dev/null').rdev), /\/dev\/null is not a terminal's path/);
  assert.throws(() => openClientTty('/tmp/../dev/pts/0', rdev), /is not a terminal's path/);
  assert.throws(() => openClientTty(path, rdev + 1), /is not the client's terminal/);
  const s = openClientTty(path, rdev);
  s.write('written-by-the-server');
  await new Promise((r) => setTimeout(r, 200));
  s.destroy();
  assert.match(read(), /written-by-the-server/, 'what the server writes reaches that terminal');
}));

test('a terminal that falls behind is not queued without bound: once it drains, the screen as it is now', withPty(async (path, rdev, read, pausedReader) => {
  const p = path;
  const screen = new TerminalScreen(80, 24, 0);
  await new Promise<void>((r) => screen.write('the screen now\r\n', () => r()));
  const d = new DirectTty('feat/sh', openClientTty(p, rdev), () => screen, () => {});
  d.go();
  // The terminal is not read for a while (a slow link): 4 MB offered, far past the 1 MB bound.
  pausedReader.pause();
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let i = 0; i < 64; i++) d.output(chunk);
  const queued = (d as unknown as { stream: { writableLength: number } }).stream.writableLength;
  assert.ok(queued < 2 * 1024 * 1024, `bounded: ${queued} bytes queued`);
  pausedReader.resume();
  await waitUntil(() => read().includes('the screen now'), { timeoutMs: 20_000, what: 'the repaint after the drain' });
  assert.ok(read().lastIndexOf('\x1b[2J') > read().lastIndexOf('xxxx'), 'the repaint comes after the bytes that got through');
  await d.close();
  screen.dispose();
}));

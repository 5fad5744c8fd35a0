// How output travels from the server to a client: raw bytes normally, screen frames while an agent
// floods (src/server/output-pacer.ts), raw again for an attached (pinned) agent; mirrors keep no
// scrollback and history() fetches it from the server at an exact point in the stream.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';
import { connectOrStartServer } from '../../src/client/server-process.js';
import { serverLocation } from '../../src/protocol/server-location.js';
import type { ServerMessage } from '../../src/protocol/messages.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ID = 'feat/flood';
/** Each line `yes` prints: "0123456789\n", which the pty turns into 12 bytes. */
const LINE_BYTES = 12;

const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A lane whose agent prints N lines (then DONE-N) for every number typed. */
async function open(): Promise<{ backend: RemoteBackend; counts: { raw: number; frames: number } }> {
  const repo = makeRepo({ worktrees: ['feat'] });
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      profiles: { flood: { command: '/bin/sh', args: ['-c', 'echo READY; while read n; do yes 0123456789 | head -n "$n"; echo "DONE-$n"; done'] } },
      worktrees: { feat: { agents: [{ profile: 'flood', name: 'flood' }] } },
      ui: { scrollback: 2000 },
    }),
  );
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  cleanups.push(() => repo.cleanup());
  cleanups.push(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot]));
  const { client } = await connectOrStartServer(loc, 'tui', { config });
  const counts = { raw: 0, frames: 0 };
  client.on('output', (agent: string, data: Buffer) => agent === ID && (counts.raw += data.length));
  client.on('message', (m: ServerMessage) => m.t === 'screen' && m.agent === ID && counts.frames++);
  const backend = await RemoteBackend.open(client, { scrollback: 2000 });
  cleanups.push(() => backend.close());
  await waitUntil(() => text(backend).includes('READY'), { what: 'READY' });
  return { backend, counts };
}

function text(b: RemoteBackend): string {
  return b.agent(ID)?.screen.visibleText().join('\n') ?? '';
}

describe('server output stream', () => {
  test('a flood reaches the mirror as screen frames, ends level with the server, and raw bytes resume', async () => {
    const { backend, counts } = await open();
    const view = backend.agent(ID)!;
    counts.raw = 0;
    counts.frames = 0;
    view.write('1000000\r');
    await waitUntil(() => text(backend).includes('DONE-1000000'), { what: 'the end of the flood in the mirror', timeoutMs: 60_000 });
    const produced = 1_000_000 * LINE_BYTES;
    assert.ok(counts.frames > 0, 'frames were sent');
    assert.ok(counts.raw < produced / 2, `the client got ${counts.raw} raw bytes of ${produced}: most of the flood was not re-sent`);

    // The mirror shows exactly what the server's emulator shows, and has no scrollback of its own.
    const h = await view.history();
    try {
      assert.deepEqual(view.screen.visibleText(), h.screen.visibleText());
      assert.ok(view.screen.term.buffer.active.length <= view.screen.rows + 1, 'mirror keeps no scrollback (one line: xterm needs it)');
      assert.ok(h.screen.term.buffer.active.length >= 2000, `history has the scrollback (${h.screen.term.buffer.active.length} lines)`);
      assert.ok(h.screen.visibleText().some((l) => l.includes('DONE-1000000')));
    } finally {
      h.release();
    }

    // Calm again: small output comes as raw bytes. The pacer leaves frames mode at its next frame
    // time, so the first small output may still ride a frame; within a few it is raw again.
    let rawAgain = false;
    for (let n = 2; n <= 6 && !rawAgain; n++) { // from 2: "DONE-1" is a prefix of the flood's "DONE-1000000"
      const before = counts.raw;
      view.write(`${n}\r`);
      await waitUntil(() => text(backend).includes(`DONE-${n}`), { what: `DONE-${n}` });
      rawAgain = counts.raw > before;
    }
    assert.ok(rawAgain, 'raw bytes again after the flood');
  });

  test('an attached (pinned) agent gets every byte even while it floods', async () => {
    const { backend, counts } = await open();
    const view = backend.agent(ID)!;
    view.setRepliesEnabled(false); // what an attach does: pin the stream to raw bytes
    await new Promise((r) => setTimeout(r, 200));
    counts.raw = 0;
    counts.frames = 0;
    view.write('300000\r');
    await waitUntil(() => text(backend).includes('DONE-300000'), { what: 'the end of the flood', timeoutMs: 60_000 });
    assert.ok(counts.raw >= 300_000 * LINE_BYTES, `all bytes arrived raw (${counts.raw})`);
    assert.equal(counts.frames, 0, 'no frames for a pinned agent');
    view.setRepliesEnabled(true);
  });

  test('history() includes output that arrived after the server took the copy, and nothing twice', async () => {
    const { backend } = await open();
    const view = backend.agent(ID)!;
    view.write('50\r');
    await waitUntil(() => text(backend).includes('DONE-50'), { what: 'DONE-50' });
    // Ask for the history while more output is on its way.
    view.write('40\r');
    const h = await view.history();
    try {
      await waitUntil(() => text(backend).includes('DONE-40'), { what: 'DONE-40' });
      const all: string[] = [];
      const buf = h.screen.term.buffer.active;
      for (let i = 0; i < buf.length; i++) all.push(buf.getLine(i)?.translateToString(true) ?? '');
      const done50 = all.filter((l) => l === 'DONE-50').length;
      assert.equal(done50, 1, 'the first batch appears once');
      const lines = all.filter((l) => l === '0123456789').length;
      // 50 lines, plus however many of the second batch had arrived when the copy resolved (all or part, never more)
      assert.ok(lines >= 50 && lines <= 90, `${lines} lines`);
    } finally {
      h.release();
    }
  });

  test('after resizes (smaller, then larger) the mirror shows exactly what the server shows', async () => {
    const { backend } = await open();
    const view = backend.agent(ID)!;
    view.write('100\r');
    await waitUntil(() => text(backend).includes('DONE-100'), { what: 'DONE-100' });
    for (const [cols, rows] of [[60, 8], [100, 30], [40, 5]] as const) {
      view.resize(cols, rows);
      await waitUntil(() => view.screen.cols === cols && view.screen.rows === rows, { what: `mirror at ${cols}x${rows}` });
      const h = await view.history();
      try {
        assert.deepEqual(view.screen.visibleText(), h.screen.visibleText(), `${cols}x${rows}`);
        assert.ok(view.screen.visibleText().some((l) => l.includes('DONE-100')), `${cols}x${rows} shows the last line`);
      } finally {
        h.release();
      }
    }
  });
});

// What serialize() leaves out (hidden cursor, DECSC position) must survive a mirror being loaded from the server.
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
import { AttachSession } from '../../src/ui/attach-session.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ID = 'feat/a';
const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function open(script: string): Promise<RemoteBackend> {
  const repo = makeRepo({ worktrees: ['feat'] });
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(config, JSON.stringify({ profiles: { a: { command: '/bin/sh', args: ['-c', script] } }, worktrees: { feat: { agents: [{ profile: 'a', name: 'a' }] } } }));
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  cleanups.push(() => repo.cleanup());
  cleanups.push(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot]));
  const { client } = await connectOrStartServer(loc, 'tui', { config });
  const backend = await RemoteBackend.open(client, { scrollback: 500 });
  cleanups.push(() => backend.close());
  await waitUntil(() => text(backend).includes('READY'), { what: 'READY' });
  return backend;
}
const text = (b: RemoteBackend) => b.agent(ID)?.screen.visibleText().join('\n') ?? '';

describe('mirror state through the server', () => {
  test('attach through the server keeps a program\'s hidden cursor hidden', async () => {
    const b = await open("stty -echo; printf '\\033[?25lREADY\\n'; sleep 60");
    const view = b.agent(ID)!;
    const h = await view.history();
    const copyHidden = h.screen.cursorHidden;
    h.release();
    let painted = '';
    const s = new AttachSession(view, { write: (d) => (painted += typeof d === 'string' ? d : Buffer.from(d).toString()), cols: () => 80, rows: () => 24 }, 'q', () => {});
    await s.start();
    const atStart = painted;
    s.dispose();
    painted = atStart;
    assert.equal(copyHidden, true, 'history copy says the cursor is hidden');
    assert.ok(!painted.includes('\x1b[?25h') || painted.lastIndexOf('\x1b[?25l') > painted.lastIndexOf('\x1b[?25h'), 'attach paint leaves the cursor hidden');
  });

  test('an attached terminal is repainted when its mirror is reloaded (a resize while attached)', async () => {
    const b = await open("stty -echo; printf 'READY\\n'; sleep 60");
    const view = b.agent(ID)!;
    let painted = '';
    const s = new AttachSession(view, { write: (d) => (painted += typeof d === 'string' ? d : Buffer.from(d).toString()), cols: () => 80, rows: () => 24 }, 'q', () => {});
    await s.start();
    painted = '';
    view.resize(60, 15); // the terminal was resized: the server reflows and sends the screen
    await waitUntil(() => painted.includes('\x1b[2J') && painted.includes('READY'), { what: 'a repaint of the attached terminal' });
    s.dispose();
  });

  test('a resize keeps the mirror equal to the server (saved cursor, DEC line drawing)', async () => {
    // hello, save cursor, switch G0 to line drawing; after input: restore cursor, print X and "qqq"
    const b = await open("stty -echo; printf 'hello\\0337\\033(0\\r\\nREADY\\r\\n'; read x; printf '\\0338Xqqq'; sleep 60");
    const view = b.agent(ID)!;
    view.resize(70, 20);
    await waitUntil(() => view.screen.cols === 70, { what: 'the resized screen' });
    view.write('go\r');
    await waitUntil(() => text(b).includes('X'), { what: 'X' });
    await new Promise((r) => setTimeout(r, 200));
    const h = await view.history();
    const server = h.screen.visibleText();
    h.release();
    assert.deepEqual(view.screen.visibleText(), server);
  });
});

// After an upgrade the running server may speak an older protocol: `server stop` must still stop it
// (by signal, after checking the recorded pid really is a flower-tui server), and say so.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { ensurePrivateDir } from '../../src/core/store/private-dir.js';
import { serverLocation } from '../../src/protocol/server-location.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const cleanups: (() => void)[] = [];
after(() => cleanups.reverse().forEach((c) => c()));

/** A stand-in for an old server: refuses every hello as another protocol; exits on SIGTERM. */
const OLD_SERVER = `
const net = require('node:net');
const sock = process.argv[1];
net.createServer((s) => s.on('data', () => {
  const msg = Buffer.from(JSON.stringify({ t: 'refused', code: 'protocol-mismatch', message: 'the running server speaks protocol 1' }));
  const head = Buffer.alloc(5); head.writeUInt32BE(msg.length + 1, 0); head.writeUInt8(1, 4);
  s.end(Buffer.concat([head, msg]));
})).listen(sock, () => process.stdout.write('listening\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('server stop stops a server of another protocol version by signal', async () => {
  const repo = makeRepo({ worktrees: [] });
  cleanups.push(() => repo.cleanup());
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  ensurePrivateDir(loc.stateDir);
  mkdirSync(path.dirname(loc.socket), { recursive: true, mode: 0o700 });
  // argv: node -e SCRIPT <socket> server run  — what `ps` shows for a real server, too
  const old = spawn(process.execPath, ['-e', OLD_SERVER, loc.socket, 'server', 'run'], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => old.kill('SIGKILL'));
  await new Promise<void>((r) => old.stdout!.once('data', () => r()));
  writeFileSync(path.join(loc.stateDir, 'server.json'), JSON.stringify({ pid: old.pid, socket: loc.socket, startedAt: Date.now() }));

  const status = spawnSync(process.execPath, [BIN, 'server', 'status', '--repo', repo.mainRoot], { encoding: 'utf8' });
  assert.equal(status.status, 4, 'status: protocol mismatch exit code');
  assert.match(status.stderr, /protocol 1/);

  const stop = spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { encoding: 'utf8' });
  assert.equal(stop.status, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`server stopped \\(pid ${old.pid}, another flower-tui version\\)`));
  await waitUntil(() => !alive(old.pid!) || old.exitCode !== null, { what: 'the old server gone' });
});

test('a recorded pid that is not a flower-tui server is never signalled', async () => {
  const repo = makeRepo({ worktrees: [] });
  cleanups.push(() => repo.cleanup());
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  ensurePrivateDir(loc.stateDir);
  mkdirSync(path.dirname(loc.socket), { recursive: true, mode: 0o700 });
  const old = spawn(process.execPath, ['-e', OLD_SERVER, loc.socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => old.kill('SIGKILL'));
  await new Promise<void>((r) => old.stdout!.once('data', () => r()));
  // the record points at a process that is not a server (this pid was reused, say)
  writeFileSync(path.join(loc.stateDir, 'server.json'), JSON.stringify({ pid: old.pid, socket: loc.socket, startedAt: Date.now() }));
  const stop = spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { encoding: 'utf8' });
  assert.notEqual(stop.status, 0);
  assert.match(stop.stderr, /stop it by hand/);
  assert.equal(stop.stderr.trim().split('\n').length, 1, 'one line');
  assert.ok(alive(old.pid!), 'not signalled');
});

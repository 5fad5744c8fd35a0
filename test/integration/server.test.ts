/**
 * The per-repository server, for real: the built CLI's `server run` in its own process, clients over
 * the Unix socket, real git repositories and ptys. Every test stops its server, so nothing leaks.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { agentIsLive, type AgentInfo, type Snapshot } from '../../src/core/types.js';
import { FlowerClient } from '../../src/client/client.js';
import { encodeControl, FrameDecoder } from '../../src/protocol/frames.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';
import { connectOrStartServer, connectToServer } from '../../src/client/server-process.js';
import { serverLocation, type ServerLocation } from '../../src/protocol/server-location.js';
import { PROTOCOL_VERSION, type ServerInfo } from '../../src/protocol/messages.js';
import { jemallocPath } from '../../src/protocol/server-allocator.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const PASTE = path.join(ROOT, 'test', 'fixtures', 'paste-agent.mjs');

const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A repository with one lane `feat`, a config whose lane starts an echo agent, and its server location. */
async function setup(agents: unknown[] = [{ profile: 'echo', name: 'echo' }]): Promise<{ repo: TestRepo; loc: ServerLocation; config: string }> {
  const repo = makeRepo({ worktrees: ['feat'] });
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      profiles: {
        echo: { command: process.execPath, args: [ECHO, '--raw'] },
        slow: { command: process.execPath, args: [PASTE, '--delay', '1500'] },
        paste: { command: process.execPath, args: [PASTE] },
      },
      worktrees: { feat: { agents } },
    }),
  );
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  cleanups.push(() => repo.cleanup());
  cleanups.push(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot]));
  return { repo, loc, config };
}

async function status(c: FlowerClient): Promise<{ snapshot: Snapshot; server: ServerInfo }> {
  return (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
}

async function stop(loc: ServerLocation): Promise<void> {
  const c = await connectToServer(loc, 'cli');
  const gone = new Promise((r) => c.once('close', r));
  await c.request({ type: 'stopServer' });
  await gone;
}

function screenText(b: RemoteBackend, id: string): string {
  return b.agent(id)?.screen.visibleText().join('\n') ?? '';
}

describe('server', () => {
  test('starts on demand, private socket, agents from the config; clients come and go, agents stay', async () => {
    const { loc, config } = await setup();
    const { client, started } = await connectOrStartServer(loc, 'cli', { config });
    assert.equal(started, true);
    assert.equal(statSync(loc.socket).mode & 0o777, 0o600, 'socket is 0600');
    assert.equal(statSync(path.dirname(loc.socket)).mode & 0o777, 0o700, 'socket dir is 0700');
    assert.equal(statSync(loc.stateDir).mode & 0o777, 0o700, 'state dir is 0700');
    assert.ok(Buffer.byteLength(loc.socket) < 108);
    const st = await status(client);
    assert.equal(st.server.pid !== process.pid, true);
    const agent = await waitUntil(async () => (await status(client)).snapshot.agents.find((a) => a.id === 'feat/echo' && a.state.kind === 'running'));
    client.close();
    // A second connection sees the same agent, same pid: the first client leaving changed nothing.
    const again = await connectOrStartServer(loc, 'cli', { config });
    assert.equal(again.started, false);
    const st2 = await status(again.client);
    assert.equal(st2.snapshot.agents.find((a) => a.id === 'feat/echo')?.pid, agent.pid);
    assert.ok(alive(agent.pid!));
    again.client.close();
    await stop(loc);
    await waitUntil(() => !alive(agent.pid!) && !alive(st.server.pid), { what: 'server and agent gone after stop' });
    assert.equal(existsSync(loc.socket), false, 'socket removed on stop');
  });

  test('attach a mirror, type, detach, re-attach: the same screen; kill -9 of a client changes nothing', async () => {
    const { loc, config } = await setup();
    const open = async () => RemoteBackend.open((await connectOrStartServer(loc, 'tui', { config })).client, { scrollback: 1000 });
    const b1 = await open();
    await waitUntil(() => screenText(b1, 'feat/echo').includes('READY'), { what: 'READY in the mirror' });
    const view = b1.agent('feat/echo')!;
    view.write('hello mirror\r');
    await waitUntil(() => screenText(b1, 'feat/echo').includes('ECHO: hello mirror'), { what: 'echo in the mirror' });
    const before = screenText(b1, 'feat/echo');
    const pid = view.info.pid!;
    await b1.close();
    assert.ok(alive(pid), 'agent alive after the client left');
    const b2 = await open();
    assert.equal(screenText(b2, 'feat/echo'), before, 're-attached screen equals the one left');
    // A client killed with SIGKILL: a separate process connects, then dies without a word.
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import net from 'node:net'; net.connect(${JSON.stringify(loc.socket)}); setInterval(() => {}, 1000);`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    b2.agent('feat/echo')!.write('still here\r');
    await waitUntil(() => screenText(b2, 'feat/echo').includes('ECHO: still here'), { what: 'server still serving after a client was killed' });
    await b2.close();
    await stop(loc);
  });

  test('two clients at once see the same state; spawn from one shows in the other', async () => {
    const { loc, config } = await setup([]);
    const c1 = await RemoteBackend.open((await connectOrStartServer(loc, 'tui', { config })).client, { scrollback: 1000 });
    const c2 = await RemoteBackend.open((await connectOrStartServer(loc, 'tui', { config })).client, { scrollback: 1000 });
    const info = (await c1.dispatch({ type: 'spawn', worktree: 'feat', profile: 'echo' })) as AgentInfo;
    await waitUntil(() => c2.snapshot().agents.some((a) => a.id === info.id), { what: 'the other client sees the new agent' });
    await waitUntil(() => screenText(c2, info.id).includes('READY'), { what: 'the other client sees its output' });
    c2.agent(info.id)!.write('from client two\r');
    await waitUntil(() => screenText(c1, info.id).includes('ECHO: from client two'), { what: 'client one sees what client two typed' });
    await c1.close();
    await c2.close();
    await stop(loc);
  });

  test('send waits until the agent is ready, and multi-line text arrives as one bracketed paste', async () => {
    const { loc, config } = await setup([]);
    const { client } = await connectOrStartServer(loc, 'cli', { config });
    const slow = (await client.request({ type: 'spawn', worktree: 'feat', profile: 'slow' })) as AgentInfo;
    // Sent at once, while the agent is still loading: it must be held, not lost.
    await client.request({ type: 'send', agent: slow.id, text: 'early words', enter: true });
    const b = await RemoteBackend.open((await connectOrStartServer(loc, 'tui', { config })).client, { scrollback: 1000 });
    // The text, then Enter (in the same read or the next one: the pty may coalesce them).
    await waitUntil(() => /GOT "early words(\\r"|"\nGOT "\\r")/.test(screenText(b, slow.id)), { what: () => 'queued text and Enter delivered: ' + screenText(b, slow.id) });
    const paste = (await client.request({ type: 'spawn', worktree: 'feat', profile: 'paste' })) as AgentInfo;
    await client.request({ type: 'send', agent: paste.id, text: 'line one\nline two', enter: false });
    await waitUntil(() => screenText(b, paste.id).includes('GOT'), { what: 'paste delivered' });
    assert.match(screenText(b, paste.id), /GOT "\\u001b\[200~line one\\rline two\\u001b\[201~"/);
    // An agent that is not running cannot be sent to: a clear error, not a hang.
    await client.request({ type: 'kill', agent: paste.id });
    await assert.rejects(client.request({ type: 'send', agent: paste.id, text: 'x', enter: true }), /is not running/);
    client.close();
    await b.close();
    await stop(loc);
  });

  test('a client of another protocol version gets a one-line error saying what to do', async () => {
    const { loc, config } = await setup([]);
    (await connectOrStartServer(loc, 'cli', { config })).client.close();
    const reply = await new Promise<{ t: string; message?: string }>((resolve, reject) => {
      const s = net.connect(loc.socket, () => s.write(encodeControl({ t: 'hello', protocol: 999, version: '9.9.9', role: 'cli', pid: process.pid })));
      const d = new FrameDecoder();
      s.on('data', (chunk: Buffer) => {
        const f = d.push(chunk)[0];
        if (f && f.kind === 1) resolve(f.msg as { t: string; message?: string });
      });
      s.on('error', reject);
    });
    assert.equal(reply.t, 'refused');
    assert.match(reply.message ?? '', new RegExp(`protocol ${PROTOCOL_VERSION} .* this client 999 .*flower-tui server stop`));
    assert.equal((reply.message ?? '').includes('\n'), false);
    await stop(loc);
  });

  test('kill -9 of the server: its agents die with it, the stale socket is replaced by the next start', async () => {
    const { loc, config } = await setup();
    const { client } = await connectOrStartServer(loc, 'cli', { config });
    const agent = await waitUntil(async () => (await status(client)).snapshot.agents.find((a) => a.state.kind === 'running'));
    const serverPid = (await status(client)).server.pid;
    const gone = new Promise((r) => client.once('close', r));
    process.kill(serverPid, 'SIGKILL');
    await gone;
    assert.ok(existsSync(loc.socket), 'a dead server leaves its socket file');
    await waitUntil(() => !alive(agent.pid!), { what: 'agent of the killed server gone (pty hangup)' });
    await assert.rejects(connectToServer(loc, 'cli'), /no server running/);
    const again = await connectOrStartServer(loc, 'cli', { config });
    assert.equal(again.started, true);
    const st = await status(again.client);
    assert.notEqual(st.server.pid, serverPid);
    await waitUntil(async () => (await status(again.client)).snapshot.agents.some((a) => agentIsLive(a.state)), { what: 'configured agents started again' });
    again.client.close();
    await stop(loc);
  });

  test('two servers for one repository can never run', async () => {
    const { repo, loc, config } = await setup([]);
    const start = () => spawn(process.execPath, [BIN, 'server', 'run', '--repo', repo.mainRoot, '--config', config], { stdio: 'ignore', detached: true });
    const a = start();
    const b = start();
    const exits: number[] = [];
    b.once('exit', (code) => exits.push(code ?? -1));
    a.once('exit', (code) => exits.push(code ?? -1));
    await waitUntil(() => exits.length === 1, { timeoutMs: 15_000, what: 'one of the two servers to step aside' });
    assert.deepEqual(exits, [0]);
    const c = await connectToServer(loc, 'cli');
    const pid = (await status(c)).server.pid;
    assert.ok(pid === a.pid || pid === b.pid);
    c.close();
    await stop(loc);
    assert.match(readFileSync(loc.log, 'utf8'), /another server is already running/);
  });

  test('two clients starting the server at once both connect, to one server; the other start steps aside', async () => {
    const { loc, config } = await setup([]);
    const [a, b] = await Promise.all([connectOrStartServer(loc, 'cli', { config }), connectOrStartServer(loc, 'tui', { config })]);
    const [sa, sb] = await Promise.all([status(a.client), status(b.client)]);
    assert.equal(sa.server.pid, sb.server.pid, 'one server for both');
    // The loser waits for the lock (it might be stale) before stepping aside; stopping the winner
    // earlier would hand it the lock.
    await waitUntil(() => /another server is already running/.test(readFileSync(loc.log, 'utf8')), { timeoutMs: 15_000, what: 'the second server to step aside' });
    a.client.close();
    b.client.close();
    await stop(loc);
  });

  test('a started server that fails says why, at once (no waiting for the start timeout)', async () => {
    const { loc } = await setup([]);
    const t0 = Date.now();
    await assert.rejects(connectOrStartServer(loc, 'cli', { config: path.join(loc.repo.mainRoot, 'no-such-config.json') }), (e: Error) => {
      // The client checks the config before it starts a server: the one line names the file and why.
      assert.match(e.message, /^cannot read config .*no-such-config\.json: no such file$/);
      return true;
    });
    assert.ok(Date.now() - t0 < 10_000, `failed after ${Date.now() - t0} ms`);
  });

  test('a server whose repository was deleted still stops on SIGTERM, with its agents', async () => {
    const { repo, loc, config } = await setup();
    const { client } = await connectOrStartServer(loc, 'cli', { config });
    const agent = await waitUntil(async () => (await status(client)).snapshot.agents.find((a) => a.id === 'feat/echo' && a.state.kind === 'running'));
    const pid = (await status(client)).server.pid;
    client.close();
    repo.cleanup(); // the state dir, the log and the trace go with it
    process.kill(pid, 'SIGTERM');
    await waitUntil(() => !alive(pid) && !alive(agent.pid!), { what: 'server and agent gone after SIGTERM', timeoutMs: 15_000 });
  });

  test('status without a server says so and exits 3; it does not start one', async () => {
    const { repo, loc } = await setup([]);
    const r = spawnSync(process.execPath, [BIN, 'status', '--repo', repo.mainRoot], { encoding: 'utf8' });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /no server running/);
    assert.equal(existsSync(loc.socket), false);
  });

  test('the server runs on jemalloc when it is installed; its agents get the user\'s own environment back', { skip: !jemallocPath(process.env) && 'libjemalloc2 is not installed' }, async () => {
    const { loc, config } = await setup();
    const saved = process.env.MALLOC_CONF;
    process.env.MALLOC_CONF = 'narenas:2'; // the user's own: the server keeps it, the agents get it back
    let client: FlowerClient;
    try {
      ({ client } = await connectOrStartServer(loc, 'cli', { config }));
    } finally {
      if (saved === undefined) delete process.env.MALLOC_CONF;
      else process.env.MALLOC_CONF = saved;
    }
    const agent = await waitUntil(async () => (await status(client)).snapshot.agents.find((a) => a.id === 'feat/echo' && a.state.kind === 'running'));
    const server = (await status(client)).server.pid;
    client.close();
    assert.match(readFileSync(`/proc/${server}/maps`, 'utf8'), /libjemalloc\.so/, 'jemalloc is mapped in the server');
    const environ = (pid: number) => new Map(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const serverEnv = environ(server);
    assert.match(serverEnv.get('LD_PRELOAD') ?? '', /libjemalloc/);
    assert.equal(serverEnv.get('MALLOC_CONF'), 'narenas:2', "the user's MALLOC_CONF is jemalloc's too");
    const agentEnv = environ(agent.pid!);
    assert.equal(agentEnv.get('LD_PRELOAD'), process.env.LD_PRELOAD, 'no preload of ours in the agent');
    assert.equal(agentEnv.get('MALLOC_CONF'), 'narenas:2', "the user's MALLOC_CONF, back");
    assert.equal(agentEnv.has('FLOWER_SAVED_ALLOCATOR_ENV'), false);
    assert.doesNotMatch(readFileSync(`/proc/${agent.pid}/maps`, 'utf8'), /libjemalloc/, 'the agent runs on its own allocator');
    await stop(loc);
  });
});

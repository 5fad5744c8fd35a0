/**
 * Restore across server restarts, for real: the built CLI's `server run` in its own process, real git
 * worktrees and ptys. Agents are test/fixtures/echo-agent.mjs, whose first lines show its argv, so a
 * resumed conversation (`--resume <id>`) is visible on its screen. Every test stops its servers, and
 * the after hook stops (or kills) whatever is left.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive, killLeftovers } from '../helpers/processes.js';
import { locateRepo } from '../../src/core/git/repo.js';
import type { AgentInfo, Snapshot } from '../../src/core/types.js';
import type { FlowerClient } from '../../src/client/client.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';
import { connectOrStartServer } from '../../src/client/server-process.js';
import { type ServerLocation } from '../../src/protocol/server-location.js';
import { serverLocation } from '../../src/protocol/server-location.js';
import type { ServerInfo } from '../../src/protocol/messages.js';
import type { FlowerState } from '../../src/core/store/state-store.js';
import { readTrace, type TraceEntry } from '../../src/core/store/trace.js';
import { cleanupsAfterAll } from '../helpers/cleanups.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');

const SECRET_TOKEN = 'sk-live-abcdefghijklmnop1234';
const SECRET_ENV = 'hunter2-db-pass-Zq9';
const SECRET_ARG = 'ghp_abcdefghijklmnopqrstuvwxyz0123';
/** Every test gets this long; a loaded 2-core machine starts a server in seconds, not milliseconds. */
const T = { timeout: 180_000 };
const WAIT = { timeoutMs: 30_000 };

const serverPids = new Set<number>();
const agentPids = new Set<number>();
const cleanups = cleanupsAfterAll(() => {
  killLeftovers(serverPids);
  killLeftovers(agentPids);
});

type Restore = 'auto' | 'ask' | 'off';

interface Env {
  repo: TestRepo;
  loc: ServerLocation;
  configFile: string;
  setRestore(r: Restore | undefined): void;
}

/**
 * Lanes `feat` (a session agent `sess` and a plain `plain`) and `other` (a plain `echo`). The session
 * profile carries secrets in its env, which must never reach state or trace.
 */
async function setup(restore?: Restore): Promise<Env> {
  const repo = makeRepo({ worktrees: ['feat', 'other'] });
  const configFile = path.join(repo.dir, 'flower.config.json');
  const write = (r: Restore | undefined) =>
    writeFileSync(
      configFile,
      JSON.stringify({
        profiles: {
          echo: { command: process.execPath, args: [ECHO, '--raw'] },
          sess: {
            command: process.execPath,
            args: [ECHO, '--raw'],
            env: { API_TOKEN: SECRET_TOKEN, DB_PASSWORD: SECRET_ENV },
            session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] },
          },
        },
        worktrees: {
          feat: { agents: [{ profile: 'sess', name: 'sess' }, { profile: 'echo', name: 'plain' }] },
          other: { agents: [{ profile: 'echo', name: 'echo' }] },
        },
        ...(r ? { restore: r } : {}),
      }),
    );
  write(restore);
  const loc = serverLocation(await locateRepo(repo.mainRoot));
  cleanups.push(() => repo.cleanup());
  cleanups.push(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { timeout: 30_000 }));
  return { repo, loc, configFile, setRestore: write };
}

async function status(c: FlowerClient): Promise<{ snapshot: Snapshot; server: ServerInfo }> {
  return (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
}

/** Start (or connect to) the server; remember its pid for the after hook. */
async function start(env: Env): Promise<{ client: FlowerClient; started: boolean; pid: number }> {
  const { client, started } = await connectOrStartServer(env.loc, 'cli', { config: env.configFile });
  const pid = (await status(client)).server.pid;
  serverPids.add(pid);
  cleanups.push(() => client.close());
  return { client, started, pid };
}

/** Wait until the server lists exactly `ids`, every one running; returns their infos by id. */
async function runningAgents(c: FlowerClient, ids: string[], timeoutMs = WAIT.timeoutMs): Promise<Map<string, AgentInfo>> {
  const want = [...ids].sort();
  const snap = await waitUntil(
    async () => {
      const s = (await status(c)).snapshot;
      const have = s.agents.map((a) => a.id).sort();
      return JSON.stringify(have) === JSON.stringify(want) && s.agents.every((a) => a.state.kind === 'running') ? s : null;
    },
    { timeoutMs, what: () => `agents ${want.join(', ')} running` },
  );
  for (const a of snap.agents) if (a.pid) agentPids.add(a.pid);
  return new Map(snap.agents.map((a) => [a.id, a]));
}

function readState(env: Env): FlowerState {
  return JSON.parse(readFileSync(path.join(env.loc.stateDir, 'state.json'), 'utf8')) as FlowerState;
}

/** Wait until state.json says exactly these agents are running (writes are coalesced to the next tick). */
async function stateRunning(env: Env, ids: string[]): Promise<FlowerState> {
  const want = [...ids].sort();
  return waitUntil(
    () => {
      const s = readState(env);
      return JSON.stringify(s.agents.filter((a) => a.running).map((a) => a.id).sort()) === JSON.stringify(want) ? s : null;
    },
    { ...WAIT, what: () => `state.json: running = ${want.join(', ')}` },
  );
}

/**
 * End the server as a shutdown or a reboot does (SIGTERM): its agents are stopped and remembered for
 * restore. (`server stop`, the operator's deliberate stop, is not: test/integration/deliberate-stop.test.ts.)
 */
async function endServer(client: FlowerClient, pid: number): Promise<void> {
  const gone = new Promise((r) => client.once('close', r));
  process.kill(pid, 'SIGTERM');
  await gone;
  await waitUntil(() => !isProcessAlive(pid), { ...WAIT, what: `server ${pid} to exit` });
}

function trace(env: Env, filter: Parameters<typeof readTrace>[1] = {}): TraceEntry[] {
  return readTrace(env.loc.stateDir, filter);
}

function noticeTexts(s: Snapshot): string {
  return s.notices.map((n) => `[${n.level}] ${n.text}`).join('\n');
}

function screenText(b: RemoteBackend, id: string): string {
  return b.agent(id)?.screen.visibleText().join('\n') ?? '';
}

const ALL = ['feat/sess', 'feat/plain', 'other/echo'];

/** First run: the configured agents start; returns the session agent's id once state has it all. */
async function firstRun(env: Env): Promise<{ client: FlowerClient; pid: number; agents: Map<string, AgentInfo>; sessionId: string }> {
  const { client, started, pid } = await start(env);
  assert.equal(started, true, 'a new server');
  const agents = await runningAgents(client, ALL);
  const sess = agents.get('feat/sess')!;
  assert.ok(sess.sessionId, 'the session profile got a session id');
  assert.deepEqual(sess.args.slice(-2), ['--session-id', sess.sessionId], 'started with --session-id <id>');
  assert.equal(agents.get('feat/plain')!.sessionId, null, 'a profile without session has no id');
  const st = await stateRunning(env, ALL);
  assert.equal(st.agents.find((a) => a.id === 'feat/sess')?.sessionId, sess.sessionId, 'state remembers the session id');
  return { client, pid, agents, sessionId: sess.sessionId! };
}

describe('restore', () => {
  test('after the server is ended (SIGTERM, as at shutdown): the same agents come back, the session one resumed, the plain ones fresh; a notice and trace lines say so', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    // An ended server keeps `running: true`: that is what the next start restores.
    assert.deepEqual(readState(env).agents.filter((a) => a.running).map((a) => a.id).sort(), [...ALL].sort(), 'state after SIGTERM still says running');
    assert.ok(trace(env, { action: 'stop' }).length >= 1, 'the stop is in the trace');

    const second = await start(env);
    assert.equal(second.started, true);
    assert.notEqual(second.pid, first.pid);
    const agents = await runningAgents(second.client, ALL);
    const sess = agents.get('feat/sess')!;
    assert.deepEqual(sess.args.slice(-2), ['--resume', first.sessionId], 'resumed with the recorded session id');
    assert.equal(sess.args.includes('--session-id'), false, 'not a new session');
    assert.equal(sess.sessionId, first.sessionId);
    for (const id of ['feat/plain', 'other/echo']) {
      const a = agents.get(id)!;
      assert.deepEqual(a.args.slice(-1), ['--raw'], `${id} started fresh: no session args`);
      assert.notEqual(a.pid, first.agents.get(id)!.pid, `${id} is a new process`);
    }
    // The agent itself sees the flag: its ARGS line on the screen.
    const b = await RemoteBackend.open((await connectOrStartServer(env.loc, 'tui', { config: env.configFile })).client, { scrollback: 1000 });
    cleanups.push(() => b.close());
    await waitUntil(() => screenText(b, 'feat/sess').includes(`ARGS ["--raw","--resume","${first.sessionId}"]`), { ...WAIT, what: () => `the resume flag on the screen: ${screenText(b, 'feat/sess')}` });
    await waitUntil(() => screenText(b, 'feat/plain').includes('ARGS ["--raw"]'), { ...WAIT, what: () => `plain args on the screen: ${screenText(b, 'feat/plain')}` });
    // The operator is told what happened.
    const snap = (await status(second.client)).snapshot;
    const notes = noticeTexts(snap);
    assert.match(notes, /\[info\] restored: /, notes);
    assert.ok(notes.includes(`feat/sess resumed (session ${first.sessionId})`), notes);
    assert.ok(notes.includes('feat/plain started fresh'), notes);
    assert.ok(notes.includes('other/echo started fresh'), notes);
    assert.deepEqual(snap.pendingRestore, [], 'nothing left pending');
    // And the trace has one restore line per agent.
    const restores = trace(env, { action: 'restore' });
    assert.deepEqual(restores.map((e) => e.target).sort(), [...ALL].sort());
    for (const e of restores) {
      assert.equal(e.outcome, 'ok');
      assert.equal(e.actor, 'server');
    }
    assert.equal(restores.find((e) => e.target === 'feat/sess')!.details?.how, 'resume');
    assert.equal(restores.find((e) => e.target === 'feat/sess')!.details?.sessionId, first.sessionId);
    assert.equal(restores.find((e) => e.target === 'feat/plain')!.details?.how, 'fresh');
    assert.equal(trace(env, { action: 'spawn' }).length, 3, 'restored agents are not spawned again from the config');
    const starts = trace(env, { action: 'start' });
    assert.equal(starts.length, 2, 'one start line per server start');
    assert.ok(starts.every((e) => e.actor === 'server' && e.outcome === 'ok'), 'started by the server');
    assert.deepEqual(starts.map((e) => e.details?.pid), [first.pid, second.pid]);
    const stops = trace(env, { action: 'stop' });
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.actor, 'server', 'the stop is recorded with who asked');
    assert.equal(stops[0]!.details?.signal, 'SIGTERM');
    assert.equal(stops[0]!.details?.deliberate, false);
    assert.deepEqual((stops[0]!.details?.agents as string[]).sort(), [...ALL].sort(), 'and which agents were running');
    await b.close();
    await endServer(second.client, second.pid);
  });

  test('after kill -9 of the server: the agents come back the same way', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    const gone = new Promise((r) => first.client.once('close', r));
    process.kill(first.pid, 'SIGKILL');
    await gone;
    await waitUntil(() => !isProcessAlive(first.pid), { ...WAIT, what: 'killed server gone' });
    await waitUntil(() => [...first.agents.values()].every((a) => !isProcessAlive(a.pid!)), { ...WAIT, what: 'its agents gone (pty hangup)' });

    const second = await start(env); // waits out the dead server's stale lock
    const agents = await runningAgents(second.client, ALL);
    assert.deepEqual(agents.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId]);
    assert.deepEqual(agents.get('feat/plain')!.args.slice(-1), ['--raw']);
    const notes = noticeTexts((await status(second.client)).snapshot);
    assert.ok(notes.includes(`feat/sess resumed (session ${first.sessionId})`), notes);
    assert.deepEqual(trace(env, { action: 'restore' }).map((e) => e.target).sort(), [...ALL].sort());
    await endServer(second.client, second.pid);
  });

  test('a worktree removed meanwhile: its agent is reported (notice + trace "skipped"), the others restored', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    env.repo.git(['worktree', 'remove', '--force', env.repo.worktreePaths.other!]);
    assert.equal(existsSync(env.repo.worktreePaths.other!), false);

    const second = await start(env);
    const agents = await runningAgents(second.client, ['feat/sess', 'feat/plain']);
    assert.deepEqual(agents.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId]);
    const snap = (await status(second.client)).snapshot;
    const notice = snap.notices.find((n) => n.text.includes('other/echo'));
    assert.ok(notice, `a notice names the missing agent: ${noticeTexts(snap)}`);
    assert.equal(notice!.level, 'error', 'shown as a problem');
    assert.match(notice!.text, /other\/echo not restored: worktree other no longer exists/);
    assert.match(notice!.text, /feat\/sess resumed/, 'the same notice reports what was restored');
    const skipped = trace(env, { action: 'restore', agent: 'other/echo' });
    assert.equal(skipped.length, 1, 'one trace line for it');
    assert.equal(skipped[0]!.outcome, 'skipped');
    assert.equal(skipped[0]!.details?.worktree, 'other');
    assert.ok(skipped[0]!.error, 'with the reason');
    assert.deepEqual(trace(env, { action: 'restore' }).filter((e) => e.outcome === 'ok').map((e) => e.target).sort(), ['feat/plain', 'feat/sess']);
    await endServer(second.client, second.pid);
  });

  test('an agent killed by the operator, or one that exited by itself, is not restored', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    await first.client.request({ type: 'kill', agent: 'feat/plain' });
    // An agent removed by the operator is gone from state altogether.
    const extra = (await first.client.request({ type: 'spawn', worktree: 'feat', profile: 'echo', name: 'extra' })) as AgentInfo;
    agentPids.add(extra.pid!);
    await waitUntil(() => readState(env).agents.some((a) => a.id === 'feat/extra'), { ...WAIT, what: 'feat/extra in state' });
    await first.client.request({ type: 'remove', agent: 'feat/extra' });
    await waitUntil(() => !readState(env).agents.some((a) => a.id === 'feat/extra'), { ...WAIT, what: 'feat/extra gone from state' });
    // other/echo quits by itself ("quit" makes the echo agent exit 0).
    await first.client.request({ type: 'send', agent: 'other/echo', text: 'quit', enter: true });
    await waitUntil(async () => (await status(first.client)).snapshot.agents.find((a) => a.id === 'other/echo')?.state.kind === 'exited', { ...WAIT, what: 'other/echo exited' });
    await stateRunning(env, ['feat/sess']);
    const exits = trace(env, { action: 'exit', agent: 'other/echo' });
    assert.equal(exits.length, 1, 'the exit is in the trace');
    assert.equal(exits[0]!.actor, 'server');
    assert.equal(trace(env, { action: 'kill', agent: 'feat/plain' })[0]?.actor, 'cli', 'the kill is in the trace, by who did it');
    await endServer(first.client, first.pid);
    assert.deepEqual(readState(env).agents.filter((a) => a.running).map((a) => a.id), ['feat/sess'], 'stop did not mark the others running again');

    const second = await start(env);
    const agents = await runningAgents(second.client, ['feat/sess']);
    assert.deepEqual(agents.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId]);
    // Give a wrongly restored or re-spawned agent the chance to show up before concluding it did not.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual((await status(second.client)).snapshot.agents.map((a) => a.id), ['feat/sess'], 'only the one that was running');
    const notes = noticeTexts((await status(second.client)).snapshot);
    assert.equal(notes.includes('feat/plain'), false, notes);
    assert.equal(notes.includes('other/echo'), false, notes);
    assert.equal(notes.includes('feat/extra'), false, notes);
    assert.deepEqual(trace(env, { action: 'restore' }).map((e) => e.target), ['feat/sess']);
    await endServer(second.client, second.pid);
  });

  test('restore "ask": nothing starts; pendingRestore lists them; restore starts them, discard forgets them', T, async () => {
    const env = await setup('ask');
    const first = await firstRun(env); // a first run starts the configured agents whatever `restore` says
    await endServer(first.client, first.pid);

    const second = await start(env);
    const snap = (await status(second.client)).snapshot;
    assert.deepEqual(snap.agents, [], 'nothing started');
    assert.deepEqual(
      snap.pendingRestore.map((p) => [p.id, p.how]).sort(),
      [
        ['feat/plain', 'fresh'],
        ['feat/sess', 'resume'],
        ['other/echo', 'fresh'],
      ],
    );
    assert.deepEqual(snap.pendingRestore.find((p) => p.id === 'feat/sess'), { id: 'feat/sess', worktree: 'feat', profile: 'sess', how: 'resume' });
    assert.match(noticeTexts(snap), /3 agents were running before the server stopped: restore\?/);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual((await status(second.client)).snapshot.agents, [], 'still nothing started');

    // One by name, then the rest.
    await second.client.request({ type: 'restore', agents: ['feat/sess'] });
    const one = await runningAgents(second.client, ['feat/sess']);
    assert.deepEqual(one.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId]);
    assert.deepEqual((await status(second.client)).snapshot.pendingRestore.map((p) => p.id).sort(), ['feat/plain', 'other/echo']);
    await second.client.request({ type: 'restore' });
    await runningAgents(second.client, ALL);
    assert.deepEqual((await status(second.client)).snapshot.pendingRestore, []);
    const restores = trace(env, { action: 'restore' });
    assert.deepEqual(restores.map((e) => e.target).sort(), [...ALL].sort());
    assert.ok(restores.every((e) => e.actor === 'cli' && e.outcome === 'ok'), 'restored on behalf of the client that asked');
    await stateRunning(env, ALL);
    await endServer(second.client, second.pid);

    // Again, and this time discard.
    const third = await start(env);
    assert.equal((await status(third.client)).snapshot.pendingRestore.length, 3);
    await third.client.request({ type: 'restore', discard: true });
    const afterDiscard = (await status(third.client)).snapshot;
    assert.deepEqual(afterDiscard.pendingRestore, []);
    assert.deepEqual(afterDiscard.agents, []);
    const discarded = trace(env, { action: 'restore' }).filter((e) => e.outcome === 'discarded');
    assert.equal(discarded.length, 1);
    assert.deepEqual((discarded[0]!.details?.discarded as string[]).sort(), [...ALL].sort());
    assert.equal(discarded[0]!.actor, 'cli');
    await waitUntil(() => readState(env).agents.length === 0, { ...WAIT, what: 'state forgets the discarded agents' });
    await endServer(third.client, third.pid);

    // Forgotten: the next start offers nothing.
    const fourth = await start(env);
    assert.deepEqual((await status(fourth.client)).snapshot.pendingRestore, [], 'nothing offered again');
    await endServer(fourth.client, fourth.pid);
  });

  test('restore "ask": an agent spawned while the question is open does not take a pending agent\'s id (or its conversation)', { ...T }, async () => {
    const env = await setup('ask');
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    const second = await start(env);
    try {
      assert.equal((await status(second.client)).snapshot.pendingRestore.length, 3);
      const fresh = (await second.client.request({ type: 'spawn', worktree: 'feat', profile: 'sess' })) as AgentInfo;
      agentPids.add(fresh.pid!);
      assert.notEqual(fresh.id, 'feat/sess', 'a new agent does not take the id of one waiting to be restored');
      await second.client.request({ type: 'restore' });
      const agents = await runningAgents(second.client, [...ALL, fresh.id]);
      assert.deepEqual(agents.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId], 'the pending agent resumes its own conversation');
    } finally {
      await endServer(second.client, second.pid);
    }
  });

  test('restore "off": nothing is restored or offered, and the trace says they were dropped', T, async () => {
    const env = await setup('off');
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    const second = await start(env);
    await new Promise((r) => setTimeout(r, 1000));
    const snap = (await status(second.client)).snapshot;
    assert.deepEqual(snap.agents.filter((a) => ALL.includes(a.id) && a.args.includes('--resume')), [], 'nothing resumed');
    assert.deepEqual(snap.pendingRestore, [], 'nothing offered');
    assert.equal(trace(env, { action: 'restore' }).filter((e) => e.outcome === 'ok').length, 0, 'no restore happened');
    const dropped = trace(env, { action: 'restore' }).filter((e) => e.outcome === 'discarded');
    assert.equal(dropped.length, 1);
    assert.equal(dropped[0]!.actor, 'server');
    await endServer(second.client, second.pid);
  });

  test('a corrupt state.json: the server starts, the file is moved aside, a notice; agents rebuilt from the trace and restored', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    await first.client.request({ type: 'kill', agent: 'feat/plain' }); // the trace must carry this too
    await stateRunning(env, ['feat/sess', 'other/echo']);
    await endServer(first.client, first.pid);
    const stateFile = path.join(env.loc.stateDir, 'state.json');
    const garbage = '{"version": 1, "agents": [ {"id": "feat/sess", \u0000\u0001 this is not json';
    writeFileSync(stateFile, garbage);

    const second = await start(env);
    const agents = await runningAgents(second.client, ['feat/sess', 'other/echo']);
    assert.deepEqual(agents.get('feat/sess')!.args.slice(-2), ['--resume', first.sessionId], 'the session id came back from the trace');
    assert.deepEqual(agents.get('other/echo')!.args.slice(-1), ['--raw']);
    const snap = (await status(second.client)).snapshot;
    const notice = snap.notices.find((n) => n.text.includes('state file was unusable'));
    assert.ok(notice, `the operator is told: ${noticeTexts(snap)}`);
    assert.equal(notice!.level, 'error');
    const m = /moved aside to (state\.json\.corrupt-\S+?);/.exec(notice!.text);
    assert.ok(m, `the notice names where it went: ${notice!.text}`);
    const aside = path.join(env.loc.stateDir, m![1]!);
    assert.equal(readFileSync(aside, 'utf8'), garbage, 'the corrupt file is kept, unchanged');
    assert.deepEqual(readdirSync(env.loc.stateDir).filter((f) => f.startsWith('state.json.corrupt-')), [m![1]]);
    const recover = trace(env, { action: 'state.recover' });
    assert.equal(recover.length, 1);
    assert.equal(recover[0]!.details?.movedTo, aside);
    assert.ok(snap.notices.some((n) => /restored: .*feat\/sess resumed/.test(n.text)), noticeTexts(snap));
    assert.equal(snap.agents.some((a) => a.id === 'feat/plain'), false, 'the killed agent stays killed');
    // A good state file again.
    const st = await stateRunning(env, ['feat/sess', 'other/echo']);
    assert.equal(st.version, 1);
    await endServer(second.client, second.pid);
  });

  test('restore "off" is the same on every start: the configured agents start fresh, as on a first run', { ...T }, async () => {
    const env = await setup('off');
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    for (let round = 2; round <= 3; round++) {
      const next = await start(env);
      const agents = await runningAgents(next.client, ALL, 10_000).catch(async (e: Error) => {
        await endServer(next.client, next.pid);
        throw new Error(`start ${round}: ${e.message}`);
      });
      assert.equal(agents.get('feat/sess')!.args.includes('--resume'), false, `start ${round}: fresh, not resumed`);
      await endServer(next.client, next.pid);
    }
  });

  test('an agent spawned by worktree path survives a corrupt state (rebuilt from the trace under its worktree name)', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    const byPath = (await first.client.request({ type: 'spawn', worktree: env.repo.worktreePaths.other!, profile: 'echo', name: 'bypath' })) as AgentInfo;
    agentPids.add(byPath.pid!);
    assert.equal(byPath.id, 'other/bypath');
    await stateRunning(env, [...ALL, 'other/bypath']);
    await endServer(first.client, first.pid);
    writeFileSync(path.join(env.loc.stateDir, 'state.json'), 'garbage');
    const second = await start(env);
    try {
      const snap = (await status(second.client)).snapshot;
      assert.equal(snap.notices.some((n) => n.text.includes('other/bypath not restored')), false, `not reported missing: ${noticeTexts(snap)}`);
      await runningAgents(second.client, [...ALL, 'other/bypath']);
    } finally {
      await endServer(second.client, second.pid);
    }
  });

  test('state.json and trace.jsonl are 0600 and hold no secret from a profile env, a spawn arg or a send; key names stay', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    const extra = (await first.client.request({ type: 'spawn', worktree: 'feat', profile: 'echo', name: 'argy', args: [`--token=${SECRET_ARG}`] })) as AgentInfo;
    agentPids.add(extra.pid!);
    await first.client.request({ type: 'send', agent: 'feat/plain', text: `API_TOKEN=${SECRET_TOKEN}`, enter: true });
    const b = await RemoteBackend.open((await connectOrStartServer(env.loc, 'tui', { config: env.configFile })).client, { scrollback: 1000 });
    cleanups.push(() => b.close());
    await waitUntil(() => screenText(b, 'feat/plain').includes(`ECHO: API_TOKEN=${SECRET_TOKEN}`), { ...WAIT, what: 'the agent got the real text' });
    await b.close();
    await stateRunning(env, [...ALL, 'feat/argy']);
    await endServer(first.client, first.pid);
    // Restart once more, so restore writes go through the same path.
    const second = await start(env);
    const agents = await runningAgents(second.client, [...ALL, 'feat/argy']);
    await stateRunning(env, [...ALL, 'feat/argy']);
    assert.ok(agents.get('feat/argy'), 'restored');

    const stateFile = path.join(env.loc.stateDir, 'state.json');
    const traceFile = path.join(env.loc.stateDir, 'trace.jsonl');
    for (const f of [stateFile, traceFile]) {
      assert.equal(statSync(f).mode & 0o777, 0o600, `${path.basename(f)} is 0600`);
      const text = readFileSync(f, 'utf8');
      for (const secret of [SECRET_TOKEN, SECRET_ENV, SECRET_ARG]) assert.equal(text.includes(secret), false, `${path.basename(f)} does not contain ${secret.slice(0, 8)}…`);
    }
    const traceText = readFileSync(traceFile, 'utf8');
    assert.ok(traceText.includes('--token=«redacted»'), 'the arg name is kept, its value redacted');
    const sends = trace(env, { action: 'send', agent: 'feat/plain' });
    assert.equal(sends.length, 1);
    assert.equal(sends[0]!.details?.chars, `API_TOKEN=${SECRET_TOKEN}`.length, 'the size of what was sent is kept');
    assert.match(String(sends[0]!.details?.sha256), /^[0-9a-f]{64}$/, 'and its hash');
    assert.equal('preview' in (sends[0]!.details ?? {}), false, 'but not the text (trace.sentText defaults to "hash")');
    // The restored agent got the real secret, not the literal «redacted»: it came from agent-args.json.
    const argsFile = path.join(env.loc.stateDir, 'agent-args.json');
    assert.equal(statSync(argsFile).mode & 0o777, 0o600, 'agent-args.json is 0600');
    assert.deepEqual(JSON.parse(readFileSync(argsFile, 'utf8'))['feat/argy'], [`--token=${SECRET_ARG}`]);
    const b2 = await RemoteBackend.open((await connectOrStartServer(env.loc, 'tui', { config: env.configFile })).client, { scrollback: 1000 });
    cleanups.push(() => b2.close());
    await waitUntil(() => screenText(b2, 'feat/argy').includes(`ARGS ["--raw","--token=${SECRET_ARG}"]`), { ...WAIT, what: () => `the real arg on the restored agent's screen: ${screenText(b2, 'feat/argy')}` });
    await b2.close();
    // No output shows it: the snapshot clients get (status --json, pane headers) has it redacted.
    assert.deepEqual(agents.get('feat/argy')!.args.slice(-1), ['--token=«redacted»']);
    const st = spawnSync(process.execPath, [BIN, 'status', '--json', '--repo', env.repo.mainRoot, '--config', env.configFile], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(st.status, 0, st.stderr);
    assert.ok(st.stdout.includes('--token=«redacted»'), 'status --json shows the arg redacted');
    const lg = spawnSync(process.execPath, [BIN, 'log', '--json', '--repo', env.repo.mainRoot], { encoding: 'utf8', timeout: 60_000 });
    for (const out of [st.stdout, lg.stdout]) for (const secret of [SECRET_TOKEN, SECRET_ENV, SECRET_ARG]) assert.equal(out.includes(secret), false, `status/log output does not contain ${secret.slice(0, 8)}…`);
    const log = readFileSync(env.loc.log, 'utf8');
    for (const secret of [SECRET_TOKEN, SECRET_ENV, SECRET_ARG]) assert.equal(log.includes(secret), false, `server.log does not contain ${secret.slice(0, 8)}…`);
    await endServer(second.client, second.pid);
  });

  test('an edited state file is not obeyed: a record outside the worktrees or with args it never ran is refused, visibly', T, async () => {
    const env = await setup();
    const first = await firstRun(env);
    await endServer(first.client, first.pid);
    const st = readState(env);
    const template = st.agents.find((a) => a.id === 'feat/plain')!;
    const marker = path.join(env.repo.dir, 'pwned');
    st.agents.push(
      { ...template, id: 'feat/etc', name: 'etc', cwd: '/etc' },
      { ...template, id: 'feat/injected', name: 'injected', args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`] },
      { ...template, id: 'MAIN/main', name: 'main', worktree: 'MAIN', cwd: env.repo.mainRoot },
    );
    writeFileSync(path.join(env.loc.stateDir, 'state.json'), JSON.stringify(st), { mode: 0o600 });

    const second = await start(env);
    await runningAgents(second.client, ALL);
    const snap = (await status(second.client)).snapshot;
    const notes = noticeTexts(snap);
    assert.match(notes, /feat\/etc not restored: its directory \/etc is not worktree feat/, notes);
    assert.match(notes, /feat\/injected not restored: its args/, notes);
    assert.match(notes, /MAIN\/main not restored: MAIN never hosts agents/, notes);
    const refused = trace(env, { action: 'restore' }).filter((e) => e.outcome === 'refused').map((e) => e.target).sort();
    assert.deepEqual(refused, ['MAIN/main', 'feat/etc', 'feat/injected']);
    assert.equal(existsSync(marker), false, 'the injected args never ran');
    assert.deepEqual(readState(env).agents.map((a) => a.id).sort(), [...ALL].sort(), 'refused records are dropped from state');
    await endServer(second.client, second.pid);
  });
});

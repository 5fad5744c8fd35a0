/**
 * An operator's stop is remembered (issue 13.3, 14.4): after `flower-tui server stop` the next start
 * restores nothing (and says so), `status` says what is remembered for restore, and a stop wins over
 * servers of a parallel cold start that were still waiting for the lock. The built CLI, real servers,
 * real git, real ptys; the agents are test/fixtures/echo-agent.mjs.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive, killLeftovers } from '../helpers/processes.js';
import { readTrace } from '../../src/core/store/trace.js';
import type { Snapshot } from '../../src/core/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const T = { timeout: 180_000 };
const WAIT = { timeoutMs: 40_000 };

const pids = new Set<number>();
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {
      /* keep cleaning */
    }
  }
  killLeftovers(pids);
});

interface Env {
  repo: TestRepo;
  configFile: string;
  stateDir: string;
  run(args: string[]): { status: number | null; stdout: string; stderr: string };
  runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }>;
}

/** Lane `feat` with a configured agent `feat/echo`; the config lives beside MAIN (MAIN stays clean). */
function setup(): Env {
  const repo = makeRepo({ worktrees: ['feat'] });
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(configFile, JSON.stringify({ profiles: { echo: { command: process.execPath, args: [ECHO, '--raw'] } }, worktrees: { feat: { agents: [{ profile: 'echo', name: 'echo' }] } } }));
  const argv = (args: string[]) => [BIN, ...args, '--repo', repo.mainRoot, '--config', configFile];
  const env: Env = {
    repo,
    configFile,
    stateDir: path.join(repo.commonDir, 'flower'),
    run: (args) => {
      const r = spawnSync(process.execPath, argv(args), { encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    runAsync: (args) =>
      new Promise((resolve) => {
        const c = spawn(process.execPath, argv(args), { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d) => (stdout += d));
        c.stderr.on('data', (d) => (stderr += d));
        c.on('close', (status) => resolve({ status, stdout, stderr }));
      }),
  };
  cleanups.push(() => repo.cleanup());
  cleanups.push(() => {
    spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { timeout: 30_000 });
    killLeftovers(serverProcesses(repo));
  });
  return env;
}

/** Every `flower-tui server run` process of this repository, from /proc (the code under test not involved). */
function serverProcesses(repo: TestRepo): number[] {
  const found: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--repo');
      if (argv.includes('server') && argv.includes('run') && i !== -1 && argv[i + 1] === repo.mainRoot && isProcessAlive(Number(d))) found.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

function statusJson(env: Env): Snapshot & { server: { pid: number } } {
  const r = env.run(['status', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Snapshot & { server: { pid: number } };
}

async function agentsRunning(env: Env, ids: string[]): Promise<Snapshot & { server: { pid: number } }> {
  const want = JSON.stringify([...ids].sort());
  return waitUntil(
    () => {
      const s = statusJson(env);
      for (const a of s.agents) if (a.pid) pids.add(a.pid);
      pids.add(s.server.pid);
      return JSON.stringify(s.agents.filter((a) => a.state.kind === 'running').map((a) => a.id).sort()) === want ? s : null;
    },
    { ...WAIT, what: `agents ${want} running` },
  );
}

describe('a deliberate stop is remembered', () => {
  test('after `server stop` the next start restores nothing (not even the configured agents) and says so; status tells what is remembered', T, async () => {
    const env = setup();
    const spawned = env.run(['spawn', 'feat', 'echo', '--name', 'extra']);
    assert.equal(spawned.status, 0, spawned.stderr);
    const first = await agentsRunning(env, ['feat/echo', 'feat/extra']);
    assert.deepEqual(first.restore?.remembered.sort(), ['feat/echo', 'feat/extra'], 'while running, both are remembered for restore');
    assert.match(env.run(['status']).stdout, /remembered for restore \(after a crash or reboot\): feat\/(echo|extra), feat\/(echo|extra)/);

    const stop = env.run(['server', 'stop']);
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /not restored at the next start/);
    await waitUntil(() => serverProcesses(env.repo).length === 0, { ...WAIT, what: 'the server to exit' });
    const none = env.run(['status']);
    assert.equal(none.status, 3);
    assert.match(none.stderr, /^flower-tui: no server running for .*; the next start restores nothing \(stopped deliberately by flower-tui server stop\)\n$/);

    // The next command that starts the server: nothing comes back, and the operator is told.
    const ls = env.run(['worktree', 'ls']);
    assert.equal(ls.status, 0, ls.stderr);
    const second = statusJson(env);
    pids.add(second.server.pid);
    assert.deepEqual(second.agents.map((a) => a.id), [], 'no agent restored, no configured agent started');
    assert.deepEqual(second.restore?.notRestored?.agents.sort(), ['feat/echo', 'feat/extra']);
    assert.deepEqual(second.restore?.remembered, []);
    assert.ok(second.notices.some((n) => /not restored, stopped deliberately \(flower-tui server stop, .*\): feat\/(echo|extra), feat\/(echo|extra)/.test(n.text)), JSON.stringify(second.notices));
    assert.match(env.run(['status']).stdout, /not restored at this start \(stopped deliberately by flower-tui server stop\): /);
    const skipped = readTrace(env.stateDir, { action: 'restore' });
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.outcome, 'skipped');
    assert.equal(skipped[0]!.error, 'stopped deliberately');
    const stops = readTrace(env.stateDir, { action: 'stop' });
    assert.equal(stops[0]!.details?.deliberate, true);

    // The stop applies once: a crash after new work restores that work as usual.
    assert.equal(env.run(['spawn', 'feat', 'echo', '--name', 'later']).status, 0);
    const third = await agentsRunning(env, ['feat/later']);
    process.kill(third.server.pid, 'SIGKILL');
    await waitUntil(() => !isProcessAlive(third.server.pid), { ...WAIT, what: 'the killed server to be gone' });
    env.run(['worktree', 'ls']);
    await agentsRunning(env, ['feat/later']);
  });

  test('four parallel cold starts, then `server stop`: no waiting server takes over, nothing comes back', T, async () => {
    const env = setup();
    const starts = await Promise.all(['a', 'b', 'c', 'd'].map((n) => env.runAsync(['spawn', 'feat', 'echo', '--name', n])));
    for (const s of starts) assert.equal(s.status, 0, s.stderr);
    const s = await agentsRunning(env, ['feat/echo', 'feat/a', 'feat/b', 'feat/c', 'feat/d']);
    for (const p of serverProcesses(env.repo)) pids.add(p);
    const stop = env.run(['server', 'stop']);
    assert.equal(stop.status, 0, stop.stderr);
    // Servers that lost the start race wait for the lock (up to 6 s); each must step aside once it has it.
    await waitUntil(() => serverProcesses(env.repo).length === 0, { ...WAIT, what: () => `every server of the repository to exit: ${serverProcesses(env.repo).join(', ')}` });
    const none = env.run(['status']);
    assert.equal(none.status, 3, `no server came back: ${none.stdout}`);
    for (const a of s.agents) assert.equal(a.pid && isProcessAlive(a.pid), false, `${a.id} stays stopped`);
    const log = readFileSync(path.join(env.stateDir, 'server.log'), 'utf8');
    assert.doesNotMatch(log, /(^| )restored: /m);
  });
});

/**
 * Nothing an agent starts outlives the server, whatever way the server ends, and no agent holds
 * another agent's pty. The built server, real ptys, real processes: the repro of issue 14 — a profile
 * that ignores SIGHUP and double-forks a `setsid sleep` (reparented to init, in a session of its
 * own), plus two shell agents.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';
import { makeRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive, killLeftovers } from '../helpers/processes.js';
import type { Snapshot } from '../../src/core/types.js';

const cleanup = cleanupList();
const T = { timeout: 180_000 };
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

/** Every live process whose command line is exactly `sleep <n>`. */
function sleepers(n: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8') === `sleep\0${n}\0` && isProcessAlive(Number(e))) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Every live descendant-or-self pid of `root` from /proc parent links. */
function tree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'utf8');
      parent.set(Number(e), Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out.filter(isProcessAlive);
}

/** What a process holds open that is a pty master (`/dev/ptmx`). */
function ptmxFds(pid: number): string[] {
  const out: string[] = [];
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === '/dev/ptmx') out.push(fd);
      } catch {
        /* closed meanwhile */
      }
    }
  } catch {
    /* gone */
  }
  return out;
}

/** The watchdog `sh` of the server with this pid (its tag, an argument, starts with the pid). */
function watchdogOf(serverPid: number): number | null {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('flower-tui-watchdog');
      if (i !== -1 && args[i + 1]?.startsWith(`${serverPid}-`)) return Number(e);
    } catch {
      /* gone */
    }
  }
  return null;
}

interface Setup {
  run(args: string[]): { status: number | null; stdout: string; stderr: string };
  sleepN: number;
  serverPid(): number;
  agents(): Promise<Snapshot['agents']>;
}

async function setup(): Promise<Setup> {
  const repo = makeRepo({ worktrees: ['lane'] });
  cleanup(() => repo.cleanup());
  const sleepN = 100_000 + Math.floor(Math.random() * 800_000);
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      profiles: {
        stubborn: { command: 'bash', args: ['--norc', '-c', `trap '' HUP; (setsid sleep ${sleepN} &); while :; do sleep 1; done`] },
        sh: { command: 'bash', args: ['--norc', '--noprofile'] },
      },
      worktrees: { lane: { agents: [{ profile: 'stubborn', name: 'stubborn' }, { profile: 'sh', name: 'sh1' }, { profile: 'sh', name: 'sh2' }] } },
    }),
  );
  const base = ['--repo', repo.mainRoot, '--config', configFile];
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, ...base], { encoding: 'utf8', timeout: 60_000 });
  const seen = new Set<number>();
  cleanup(() => {
    run(['server', 'stop']);
    killLeftovers([...seen, ...sleepers(sleepN)]);
  });
  run(['worktree', 'ls']); // starts the server, which starts the configured agents
  const agents = async () => {
    const snap = await waitUntil(
      () => {
        const r = run(['status', '--json']);
        if (r.status !== 0) return null;
        const s = JSON.parse(r.stdout) as { snapshot?: Snapshot } & Snapshot;
        const list = (s.snapshot ?? s).agents;
        return list.length === 3 && list.every((a) => a.pid && a.state.kind === 'running') ? list : null;
      },
      { ...WAIT, what: 'three agents running' },
    );
    for (const a of snap) seen.add(a.pid!);
    return snap;
  };
  const serverPid = () => {
    const r = run(['server', 'status', '--json']);
    const pid = (JSON.parse(r.stdout) as { server?: { pid: number }; pid?: number }).server?.pid ?? (JSON.parse(r.stdout) as { pid?: number }).pid;
    assert.ok(pid, `server pid from ${r.stdout}`);
    seen.add(pid);
    return pid;
  };
  return { run, sleepN, serverPid, agents };
}

describe('agent processes', () => {
  test('no agent holds a pty master of another agent (nor the setsid grandchild)', T, async () => {
    const s = await setup();
    const agents = await s.agents();
    await waitUntil(() => sleepers(s.sleepN).length === 1, { ...WAIT, what: 'the setsid sleep started' });
    for (const a of agents) {
      for (const pid of tree(a.pid!)) assert.deepEqual(ptmxFds(pid), [], `${a.id} (pid ${pid}) holds no /dev/ptmx`);
    }
    for (const pid of sleepers(s.sleepN)) assert.deepEqual(ptmxFds(pid), [], 'the setsid sleep holds no /dev/ptmx');
  });

  test('kill -9 of the server: every agent process, the SIGHUP-ignoring one and its setsid grandchild included, is gone', T, async () => {
    const s = await setup();
    const agents = await s.agents();
    await waitUntil(() => sleepers(s.sleepN).length === 1, { ...WAIT, what: 'the setsid sleep started' });
    const all = [...agents.flatMap((a) => tree(a.pid!)), ...sleepers(s.sleepN)];
    const server = s.serverPid();
    process.kill(server, 'SIGKILL');
    await waitUntil(() => !isProcessAlive(server), { ...WAIT, what: 'the server gone' });
    // No new server is started meanwhile: what kills them is the dead server's watchdog.
    await waitUntil(() => all.every((p) => !isProcessAlive(p)), { ...WAIT, what: () => `all gone; alive: ${all.filter(isProcessAlive).join(', ')}` });
    assert.deepEqual(sleepers(s.sleepN), []);
  });

  test('kill -9 of the server and of its watchdog: the next server kills what the agents left (by their process tag)', T, async () => {
    const s = await setup();
    await s.agents();
    await waitUntil(() => sleepers(s.sleepN).length === 1, { ...WAIT, what: 'the setsid sleep started' });
    const sleeper = sleepers(s.sleepN)[0]!;
    const server = s.serverPid();
    const dog = watchdogOf(server);
    assert.ok(dog, 'the server has a watchdog');
    process.kill(dog, 'SIGKILL');
    process.kill(server, 'SIGKILL');
    await waitUntil(() => !isProcessAlive(server) && !isProcessAlive(dog), { ...WAIT, what: 'server and watchdog gone' });
    s.run(['worktree', 'ls']); // a new server
    await waitUntil(() => !isProcessAlive(sleeper), { ...WAIT, what: `setsid sleep ${sleeper} killed by the next server` });
  });

  test('a clean `server stop` kills the double-forked setsid grandchild too', T, async () => {
    const s = await setup();
    await s.agents();
    await waitUntil(() => sleepers(s.sleepN).length === 1, { ...WAIT, what: 'the setsid sleep started' });
    const sleeper = sleepers(s.sleepN)[0]!;
    const r = s.run(['server', 'stop']);
    assert.equal(r.status, 0, r.stderr);
    await waitUntil(() => !isProcessAlive(sleeper), { ...WAIT, what: `setsid sleep ${sleeper} gone` });
  });
});

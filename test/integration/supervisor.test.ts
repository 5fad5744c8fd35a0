// src/core/supervisor.ts end to end: a real repository with linked worktrees, real ptys, and fake
// agents from test/fixtures run by this very node binary. Every supervisor is shut down in a
// finally, and every pid ever seen is SIGKILLed in after() as a last resort, so a failing test
// cannot leak processes into the next one.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { loadConfig, parseConfig, type FlowerConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { FlowerError } from '../../src/shared/errors.js';
import { agentStateLabel, type AgentInfo, type AgentState, type Snapshot, type SupervisorEvent } from '../../src/core/types.js';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive, killLeftovers, processAndDescendants, sessionOf } from '../helpers/processes.js';
import { supervisorCleanup } from '../helpers/supervisor-harness.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const NODE = process.execPath;
const GRACE_MS = 300;

/** What agents inherit: this process's env minus what would make a fixture node behave differently. */
const AGENT_ENV: NodeJS.ProcessEnv = { ...process.env };
for (const k of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD']) delete AGENT_ENV[k];

const PROFILES = {
  echo: { command: NODE, args: [fixture('echo-agent.mjs')] },
  raw: { command: NODE, args: [fixture('echo-agent.mjs'), '--raw'] },
  // A user profile named like a built-in replaces it: "claude" here is the echo agent.
  claude: { command: NODE, args: [fixture('echo-agent.mjs')], description: 'fake claude' },
  spawner: { command: NODE, args: [fixture('spawner-agent.mjs')] },
  sgr: { command: NODE, args: [fixture('sgr-agent.mjs')] },
  size: { command: NODE, args: [fixture('size-agent.mjs')] },
  quiet: { command: NODE, args: ['-e', 'setInterval(() => {}, 1 << 30)'] },
  stubborn: { command: NODE, args: ['-e', "process.on('SIGTERM', () => {}); process.on('SIGHUP', () => {}); process.stdout.write('STUBBORN\\r\\n'); setInterval(() => {}, 1 << 30)"] },
  missing: { command: 'flower-no-such-command-xyz' },
  'missing-abs': { command: '/nonexistent/dir/flower-agent' },
};

function testConfig(extra: Record<string, unknown> = {}): FlowerConfig {
  // The pty and process layer itself, unsandboxed: the fixtures report their pids, which inside a
  // sandbox's pid namespace mean nothing out here. The same kills under bwrap: sandbox-processes.test.ts.
  return parseConfig({ profiles: PROFILES, agents: { killGraceMs: GRACE_MS }, sandbox: { mode: 'off' }, ...extra }, 'integration-test', AGENT_ENV);
}

// ---- harness -------------------------------------------------------------------------------

const { seenPids, liveSupervisors, cleanups } = supervisorCleanup<Supervisor>('supervisor.test');

interface Harness {
  sup: Supervisor;
  events: SupervisorEvent[];
}

async function openSupervisor(repo: TestRepo, config: FlowerConfig = testConfig()): Promise<Harness> {
  const sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, env: AGENT_ENV, pollMs: 0 });
  liveSupervisors.add(sup);
  const events: SupervisorEvent[] = [];
  sup.on('event', (e: SupervisorEvent) => {
    events.push(e);
    if (e.type === 'snapshot') for (const a of e.snapshot.agents) if (a.pid) seenPids.add(a.pid);
  });
  return { sup, events };
}

/** Open a supervisor, run `fn`, always shut it down. */
async function withSupervisor(repo: TestRepo, fn: (h: Harness) => Promise<void>, config?: FlowerConfig): Promise<void> {
  const h = await openSupervisor(repo, config);
  try {
    await fn(h);
  } finally {
    await h.sup.shutdown();
    liveSupervisors.delete(h.sup);
  }
}

function spawn(sup: Supervisor, worktree: string, profile: string, opts: { name?: string; args?: string[]; cols?: number; rows?: number } = {}): AgentInfo {
  const info = sup.spawn(worktree, profile, opts);
  if (info.pid) seenPids.add(info.pid);
  return info;
}

function agentInfo(sup: Supervisor, id: string): AgentInfo {
  const a = sup.snapshot().agents.find((x) => x.id === id);
  assert.ok(a, `agent ${id} in snapshot`);
  return a;
}

function screenText(sup: Supervisor, id: string): string {
  return sup.screen(id)?.visibleText().join('\n') ?? '';
}

function waitScreen(sup: Supervisor, id: string, re: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  return waitUntil(() => re.exec(screenText(sup, id)), { timeoutMs, what: () => `${id} screen to match ${re}; screen:\n${screenText(sup, id)}` });
}

function waitState(sup: Supervisor, id: string, kind: AgentState['kind'], timeoutMs = 10_000): Promise<AgentInfo> {
  return waitUntil(
    () => {
      const a = agentInfo(sup, id);
      return a.state.kind === kind ? a : null;
    },
    { timeoutMs, what: () => `${id} to be ${kind} (is ${agentStateLabel(agentInfo(sup, id).state)})` },
  );
}

async function waitGone(pids: number[], timeoutMs = 10_000): Promise<void> {
  await waitUntil(() => pids.every((p) => !isProcessAlive(p)), { timeoutMs, what: () => `pids ${pids.filter(isProcessAlive).join(', ')} to die` });
}

/** The spawner fixture's grandchildren, once it has reported them. */
async function spawnerPids(sup: Supervisor, id: string): Promise<{ plain: number; detached: number; stubborn: number }> {
  const m = await waitScreen(sup, id, /PIDS (\{[^}]*\})/);
  const pids = JSON.parse(m[1]!) as { plain: number; detached: number; stubborn: number };
  for (const p of Object.values(pids)) seenPids.add(p);
  return pids;
}

function flowerError(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof FlowerError, `expected FlowerError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

// ---- tests ---------------------------------------------------------------------------------

describe('Supervisor with real ptys', () => {
  const repo = makeRepo({ worktrees: ['feature-a', 'b'], detached: ['det'] });
  cleanups.push(repo.cleanup);
  const lane = repo.worktreePaths['feature-a']!;

  test('open: snapshot lists MAIN, the lanes and the profiles', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const snap = sup.snapshot();
      assert.equal(snap.repo.mainRoot, repo.mainRoot);
      assert.equal(snap.repo.commonDir, repo.commonDir);
      assert.deepEqual(snap.worktrees.map((w) => w.name).sort(), ['MAIN', 'b', 'feature-a', 'repo-det']);
      assert.equal(snap.worktrees[0]?.name, 'MAIN');
      assert.equal(snap.main.branch, 'main');
      assert.equal(snap.main.subject, 'Add app');
      assert.deepEqual(snap.agents, []);
      const claude = snap.profiles.find((p) => p.name === 'claude');
      assert.deepEqual(claude, { name: 'claude', command: NODE, description: 'fake claude' });
      assert.ok(snap.profiles.some((p) => p.name === 'shell'), 'built-in profiles stay');
    });
  });

  test('spawn in a lane: starting → running, pid set, cwd and env are the worktree', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'echo');
      assert.equal(info.id, 'feature-a/echo');
      assert.equal(info.name, 'echo');
      assert.equal(info.worktree, 'feature-a');
      assert.equal(info.profile, 'echo');
      assert.equal(info.command, NODE);
      assert.deepEqual(info.args, [fixture('echo-agent.mjs')]);
      assert.equal(info.cwd, lane);
      assert.deepEqual(info.state, { kind: 'starting' });
      assert.equal(typeof info.pid, 'number');
      assert.equal(info.respawns, 0);
      assert.equal(info.cols, 80);
      assert.equal(info.rows, 24);

      const running = await waitState(sup, info.id, 'running');
      assert.equal(running.pid, info.pid);
      assert.ok(isProcessAlive(info.pid!));
      assert.equal(readlinkSync(`/proc/${info.pid}/cwd`), lane);
      // The pty child leads its own session (process-tree killing relies on it).
      assert.equal(sessionOf(info.pid!), info.pid);

      await waitScreen(sup, info.id, /READY cooked/);
      const text = screenText(sup, info.id);
      assert.match(text, new RegExp(`^CWD ${lane.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      assert.match(text, /^ENV agent=feature-a\/echo wt=feature-a term=xterm-256color$/m);
      assert.deepEqual(sup.liveAgents().map((a) => a.id), ['feature-a/echo']);
    });
  });

  test('a detached worktree is addressed by its directory name', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'repo-det', 'echo');
      assert.equal(info.id, 'repo-det/echo');
      assert.equal(info.cwd, repo.worktreePaths['det']);
      await waitScreen(sup, info.id, /READY/);
    });
  });

  test('the emulator holds what the agent drew: colours, cursor addressing, alternate screen', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'sgr', { cols: 40, rows: 12 });
      await waitScreen(sup, info.id, /inside alt/);
      const screen = sup.screen(info.id)!;
      assert.equal(screen.term.buffer.active.type, 'alternate');
      assert.deepEqual(screen.visibleText().slice(0, 3), ['ALT SCREEN', '', '  inside alt']);

      await sup.dispatch({ type: 'input', agent: info.id, data: 'leave\r' });
      await waitScreen(sup, info.id, /BACK/);
      assert.equal(screen.term.buffer.active.type, 'normal');
      assert.deepEqual(screen.visibleText().slice(0, 10), [
        'RED BOLDGREEN',
        'ORANGE TRUECOLOR',
        '',
        '',
        '         AT-5-10',
        '',
        'xxx',
        '宽字 wide',
        'MAIN-DONE',
        'BACK',
      ]);
      const line0 = screen.term.buffer.active.getLine(screen.term.buffer.active.baseY)!;
      assert.equal(line0.getCell(0)!.getFgColor(), 1);
      assert.ok(line0.getCell(4)!.isBold());
    });
  });

  test('input reaches the agent, in cooked and in raw mode', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const cooked = spawn(sup, 'feature-a', 'echo');
      const raw = spawn(sup, 'b', 'raw');
      await waitScreen(sup, cooked.id, /READY cooked/);
      await waitScreen(sup, raw.id, /READY raw/);
      await sup.dispatch({ type: 'input', agent: cooked.id, data: 'hello world\r' });
      await sup.dispatch({ type: 'input', agent: raw.id, data: 'hé ✓ raw\r' });
      await waitScreen(sup, cooked.id, /^ECHO: hello world$/m);
      await waitScreen(sup, raw.id, /^ECHO: hé ✓ raw$/m);
      // Input split across writes is still one line.
      await sup.dispatch({ type: 'input', agent: raw.id, data: 'spl' });
      await sup.dispatch({ type: 'input', agent: raw.id, data: 'it\r' });
      await waitScreen(sup, raw.id, /^ECHO: split$/m);
    });
  });

  test('send waits until the agent is ready, then types the text (and Enter)', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'raw');
      // Sent at once, before the agent has printed anything: it must not be lost.
      await sup.dispatch({ type: 'send', agent: info.id, text: 'hello from cli', enter: true });
      await waitScreen(sup, info.id, /^ECHO: hello from cli$/m);
      // Several lines (no bracketed paste asked for) arrive as several lines.
      await sup.dispatch({ type: 'send', agent: info.id, text: 'one\ntwo', enter: true });
      await waitScreen(sup, info.id, /^ECHO: one\nECHO: two$/m);
      // Without enter, nothing is submitted until something else ends the line.
      await sup.dispatch({ type: 'send', agent: info.id, text: 'par', enter: false });
      await sup.dispatch({ type: 'input', agent: info.id, data: 'tial\r' });
      await waitScreen(sup, info.id, /^ECHO: partial$/m);

      await sup.dispatch({ type: 'input', agent: info.id, data: 'quit\r' });
      await waitState(sup, info.id, 'exited');
      await assert.rejects(sup.dispatch({ type: 'send', agent: info.id, text: 'late', enter: true }), flowerError('agent-not-running'));
      const failed = spawn(sup, 'feature-a', 'missing');
      await assert.rejects(sup.dispatch({ type: 'send', agent: failed.id, text: 'x', enter: true }), flowerError('agent-not-running'));
    });
  });

  test('an agent that exits records its exit code and keeps its last screen', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'echo', { args: ['--exit-code', '3'] });
      assert.deepEqual(info.args, [fixture('echo-agent.mjs'), '--exit-code', '3']);
      await waitScreen(sup, info.id, /READY/);
      await sup.dispatch({ type: 'input', agent: info.id, data: 'quit\r' });
      const exited = await waitState(sup, info.id, 'exited');
      assert.deepEqual(exited.state, { kind: 'exited', code: 3, signal: null });
      assert.equal(agentStateLabel(exited.state), 'exited 3');
      assert.equal(exited.pid, null);
      assert.deepEqual(sup.liveAgents(), []);
      assert.match(screenText(sup, info.id), /^BYE$/m);
      await waitGone([info.pid!]);
    });
  });

  test('kill: state killed, process gone', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'echo');
      await waitScreen(sup, info.id, /READY/);
      await sup.dispatch({ type: 'kill', agent: info.id });
      const a = agentInfo(sup, info.id);
      assert.deepEqual(a.state, { kind: 'killed' });
      assert.equal(a.pid, null);
      await waitGone([info.pid!], 3000);
      // Killing a dead agent says so (issue 13.7: not "killed" again), and changes nothing.
      await assert.rejects(sup.dispatch({ type: 'kill', agent: info.id }), (e: Error & { code?: string }) => e.code === 'agent-not-running' && /is not running \(killed\)/.test(e.message));
      assert.deepEqual(agentInfo(sup, info.id).state, { kind: 'killed' });
    });
  });

  test('kill of an agent that ignores SIGHUP and SIGTERM escalates to SIGKILL', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'stubborn');
      await waitScreen(sup, info.id, /STUBBORN/);
      const t0 = Date.now();
      await sup.dispatch({ type: 'kill', agent: info.id });
      await waitGone([info.pid!], 3000);
      assert.ok(Date.now() - t0 >= GRACE_MS - 50, 'it survived the polite signals for the grace period');
      assert.deepEqual(agentInfo(sup, info.id).state, { kind: 'killed' });
    });
  });

  test('kill of spawner-agent kills every grandchild: plain, detached (setsid) and SIGTERM-ignoring', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'spawner');
      const pids = await spawnerPids(sup, info.id);
      await waitScreen(sup, info.id, /READY/);
      const all = [info.pid!, pids.plain, pids.detached, pids.stubborn];
      for (const p of all) assert.ok(isProcessAlive(p), `pid ${p} alive before kill`);
      // The fixture really made the situations the kill must handle.
      assert.equal(sessionOf(pids.plain), info.pid);
      assert.equal(sessionOf(pids.stubborn), info.pid);
      assert.equal(sessionOf(pids.detached), pids.detached, 'detached child leads its own session');

      const t0 = Date.now();
      await sup.dispatch({ type: 'kill', agent: info.id });
      await waitGone(all, GRACE_MS + 3000);
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < GRACE_MS + 3000, `all gone after ${elapsed} ms`);
      assert.deepEqual(agentInfo(sup, info.id).state, { kind: 'killed' });
    });
  });

  test('respawn keeps profile, args and cwd, gets a new pid and counts respawns', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'b', 'echo', { args: ['extra-arg'] });
      await waitScreen(sup, info.id, /READY/);
      const respawned = (await sup.dispatch({ type: 'respawn', agent: info.id })) as AgentInfo;
      assert.equal(respawned.id, info.id);
      assert.equal(respawned.profile, 'echo');
      assert.deepEqual(respawned.args, [fixture('echo-agent.mjs'), 'extra-arg']);
      assert.equal(respawned.cwd, repo.worktreePaths['b']);
      assert.equal(respawned.respawns, 1);
      assert.equal(typeof respawned.pid, 'number');
      assert.notEqual(respawned.pid, info.pid);
      seenPids.add(respawned.pid!);
      await waitGone([info.pid!], 3000);
      await waitState(sup, info.id, 'running');
      // The old output stays whole above a separator; the new run prints below it.
      const run = String.raw`CWD [^\n]*\nENV [^\n]*\nARGS \[[^\n]*"extra-arg"\]\nREADY cooked`;
      await waitScreen(sup, info.id, new RegExp(`${run}[^]*── respawned [^\n]*\n${run}`));
      await sup.dispatch({ type: 'input', agent: info.id, data: 'again\r' });
      await waitScreen(sup, info.id, /^ECHO: again$/m);

      // Respawning an agent that has exited starts it again too.
      await sup.dispatch({ type: 'input', agent: info.id, data: 'quit\r' });
      await waitState(sup, info.id, 'exited');
      const third = (await sup.dispatch({ type: 'respawn', agent: info.id })) as AgentInfo;
      seenPids.add(third.pid!);
      assert.equal(third.respawns, 2);
      await waitState(sup, info.id, 'running');
    });
  });

  test('resize reaches the pty (SIGWINCH) and the emulator', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'size', { cols: 120, rows: 40 });
      assert.equal(info.cols, 120);
      assert.equal(info.rows, 40);
      await waitScreen(sup, info.id, /SIZE 120x40/);
      await sup.dispatch({ type: 'resize', agent: info.id, cols: 100, rows: 30 });
      await waitScreen(sup, info.id, /SIZE 100x30/);
      const screen = sup.screen(info.id)!;
      assert.equal(screen.cols, 100);
      assert.equal(screen.rows, 30);
      assert.equal(agentInfo(sup, info.id).cols, 100);
      assert.equal(agentInfo(sup, info.id).rows, 30);
      await sup.dispatch({ type: 'resize', agent: info.id, cols: 60, rows: 10 });
      await waitScreen(sup, info.id, /SIZE 60x10/);
      assert.equal(screen.cols, 60);
      assert.equal(screen.rows, 10);
    });
  });

  test(
    'resize to a size below the emulator minimum keeps agent, pty and emulator sizes equal',
    async () => {
      await withSupervisor(repo, async ({ sup }) => {
        const info = spawn(sup, 'feature-a', 'size');
        await waitScreen(sup, info.id, /SIZE 80x24/);
        await sup.dispatch({ type: 'resize', agent: info.id, cols: 0, rows: 0 });
        const screen = sup.screen(info.id)!;
        const a = agentInfo(sup, info.id);
        assert.equal(a.rows, screen.rows);
        assert.equal(a.cols, screen.cols);
      });
    },
  );

  test('MAIN is read-only: spawning there is refused by name, path and branch', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      for (const wt of ['MAIN', repo.mainRoot, 'main']) {
        await assert.rejects(sup.dispatch({ type: 'spawn', worktree: wt, profile: 'echo' }), flowerError('main-read-only'));
        assert.throws(() => sup.spawn(wt, 'echo'), flowerError('main-read-only'));
      }
      assert.deepEqual(sup.snapshot().agents, []);
    });
  });

  test('unknown profile, worktree and agent are typed errors naming what exists', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      await assert.rejects(sup.dispatch({ type: 'spawn', worktree: 'feature-a', profile: 'nope' }), (e: unknown) => {
        flowerError('unknown-profile')(e);
        assert.match((e as Error).message, /"nope".*echo/);
        return true;
      });
      await assert.rejects(sup.dispatch({ type: 'spawn', worktree: 'no-such-lane', profile: 'echo' }), (e: unknown) => {
        flowerError('unknown-worktree')(e);
        assert.match((e as Error).message, /"no-such-lane".*feature-a/);
        return true;
      });
      for (const cmd of [
        { type: 'kill', agent: 'feature-a/ghost' },
        { type: 'respawn', agent: 'feature-a/ghost' },
        { type: 'remove', agent: 'feature-a/ghost' },
        { type: 'input', agent: 'feature-a/ghost', data: 'x' },
        { type: 'send', agent: 'feature-a/ghost', text: 'x', enter: true },
        { type: 'resize', agent: 'feature-a/ghost', cols: 10, rows: 10 },
      ] as const) {
        await assert.rejects(sup.dispatch(cmd), flowerError('unknown-agent'), cmd.type);
      }
      assert.deepEqual(sup.snapshot().agents, []);
    });
  });

  test('a profile whose command does not exist fails visibly without throwing', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const a = (await sup.dispatch({ type: 'spawn', worktree: 'feature-a', profile: 'missing' })) as AgentInfo;
      assert.deepEqual(a.state, { kind: 'failed', reason: 'command not found: flower-no-such-command-xyz' });
      assert.equal(a.pid, null);
      // The pane says it too, with what to do about it.
      await waitScreen(sup, a.id, /command not found: flower-no-such-command-xyz\s+Install it, or fix profile "missing"/);
      const b = spawn(sup, 'feature-a', 'missing-abs');
      assert.deepEqual(b.state, { kind: 'failed', reason: 'command not found: /nonexistent/dir/flower-agent' });
      assert.equal(agentStateLabel(b.state), 'failed: command not found: /nonexistent/dir/flower-agent');
      // Respawning it fails the same way, again without throwing; killing it says it is not running.
      const again = (await sup.dispatch({ type: 'respawn', agent: a.id })) as AgentInfo;
      assert.deepEqual(again.state, { kind: 'failed', reason: 'command not found: flower-no-such-command-xyz' });
      await assert.rejects(sup.dispatch({ type: 'kill', agent: b.id }), /is not running \(failed: command not found/);
      assert.deepEqual(sup.liveAgents(), []);
      assert.equal(sup.snapshot().agents.length, 2);
    });
  });

  test('agent names are unique per worktree: claude, claude-2, claude-3', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const ids = [
        spawn(sup, 'feature-a', 'claude').id,
        spawn(sup, 'feature-a', 'claude').id,
        spawn(sup, 'feature-a', 'claude').id,
        spawn(sup, 'b', 'claude').id,
        spawn(sup, 'b', 'echo', { name: 'claude' }).id,
        spawn(sup, 'b', 'echo', { name: 'helper' }).id,
      ];
      assert.deepEqual(ids, ['feature-a/claude', 'feature-a/claude-2', 'feature-a/claude-3', 'b/claude', 'b/claude-2', 'b/helper']);
      for (const id of ids) await waitScreen(sup, id, /READY/);
      // A removed agent frees its name.
      await sup.dispatch({ type: 'remove', agent: 'feature-a/claude' });
      assert.equal(spawn(sup, 'feature-a', 'claude').id, 'feature-a/claude');
    });
  });

  test('remove kills the agent and drops it from the snapshot', async () => {
    await withSupervisor(repo, async ({ sup, events }) => {
      const info = spawn(sup, 'feature-a', 'spawner');
      const pids = await spawnerPids(sup, info.id);
      await sup.dispatch({ type: 'remove', agent: info.id });
      assert.equal(sup.agent(info.id), undefined);
      assert.equal(sup.screen(info.id), undefined);
      await waitGone([info.pid!, pids.plain, pids.detached, pids.stubborn], GRACE_MS + 3000);
      await waitUntil(() => {
        const last = events.filter((e) => e.type === 'snapshot').at(-1);
        return last?.type === 'snapshot' && last.snapshot.agents.length === 0;
      });
    });
  });

  test('a quiet agent is promoted from starting to running without output', async () => {
    await withSupervisor(repo, async ({ sup }) => {
      const info = spawn(sup, 'feature-a', 'quiet');
      assert.equal(info.state.kind, 'starting');
      await waitState(sup, info.id, 'running', 10_000);
      assert.ok(isProcessAlive(info.pid!));
    });
  });

  test('startConfiguredAgents starts the agents config lists per worktree (by name, else "*"), never in MAIN', async () => {
    const file = path.join(repo.dir, 'flower-test-config.json');
    writeFileSync(
      file,
      JSON.stringify({
        profiles: PROFILES,
        agents: { killGraceMs: GRACE_MS },
        worktrees: {
          'feature-a': { agents: ['claude', { profile: 'echo', name: 'helper', args: ['--from-config'] }] },
          '*': { agents: ['echo'] },
        },
      }),
    );
    const config = loadConfig({ file, mainRoot: repo.mainRoot, env: AGENT_ENV });
    assert.equal(config.source, file);
    await withSupervisor(
      repo,
      async ({ sup }) => {
        const { started, errors } = sup.startConfiguredAgents();
        for (const a of started) if (a.pid) seenPids.add(a.pid);
        assert.deepEqual(errors, []);
        assert.deepEqual(started.map((a) => a.id).sort(), ['b/echo', 'feature-a/claude', 'feature-a/helper', 'repo-det/echo']);
        assert.ok(!started.some((a) => a.worktree === 'MAIN'));
        const helper = started.find((a) => a.id === 'feature-a/helper')!;
        assert.deepEqual(helper.args, [fixture('echo-agent.mjs'), '--from-config']);
        for (const a of started) await waitScreen(sup, a.id, /READY/);
        assert.match(screenText(sup, 'feature-a/helper'), /ARGS \["--from-config"\]/);
        assert.equal(sup.liveAgents().length, 4);
      },
      config,
    );
  });

  test('snapshot events are coalesced: a burst of spawns is one event, later changes are emitted', async () => {
    await withSupervisor(repo, async ({ sup, events }) => {
      const before = events.length;
      const ids = [spawn(sup, 'feature-a', 'echo').id, spawn(sup, 'b', 'echo').id, spawn(sup, 'repo-det', 'echo').id];
      assert.equal(events.length, before, 'nothing emitted synchronously');
      // The supervisor's coalescing microtask was queued first, so it has run once this resolves.
      await new Promise<void>((r) => queueMicrotask(r));
      const burst = events.slice(before).filter((e) => e.type === 'snapshot');
      assert.equal(burst.length, 1);
      const snap = (burst[0] as { snapshot: Snapshot }).snapshot;
      assert.deepEqual(snap.agents.map((a) => a.id), ids);
      assert.ok(snap.agents.every((a) => a.state.kind === 'starting' && typeof a.pid === 'number'));

      // Later: each agent becomes running, and screen events name the agent.
      await waitUntil(() => {
        const last = events.filter((e) => e.type === 'snapshot').at(-1) as { snapshot: Snapshot } | undefined;
        return last?.snapshot.agents.every((a) => a.state.kind === 'running');
      });
      await waitUntil(() => ids.every((id) => events.some((e) => e.type === 'screen' && e.agent === id)));
      const killed = events.length;
      await sup.dispatch({ type: 'kill', agent: ids[0]! });
      await waitUntil(() =>
        events.slice(killed).some((e) => e.type === 'snapshot' && e.snapshot.agents.find((a) => a.id === ids[0])?.state.kind === 'killed'),
      );
    });
  });

  test('shutdown leaves no process of any agent alive (grandchildren included) and is safe twice', async () => {
    const h = await openSupervisor(repo);
    const { sup } = h;
    try {
      const agents = [
        spawn(sup, 'feature-a', 'echo'),
        spawn(sup, 'feature-a', 'spawner'),
        spawn(sup, 'b', 'spawner'),
        spawn(sup, 'b', 'stubborn'),
        spawn(sup, 'repo-det', 'size'),
        spawn(sup, 'repo-det', 'sgr'),
      ];
      const all = new Set<number>();
      for (const a of agents) if (a.profile === 'spawner') for (const p of Object.values(await spawnerPids(sup, a.id))) all.add(p);
      await waitScreen(sup, 'b/stubborn', /STUBBORN/);
      for (const a of agents) for (const p of processAndDescendants(a.pid!)) all.add(p);
      for (const p of all) seenPids.add(p);
      assert.ok(all.size >= agents.length + 6, `collected ${all.size} pids`);

      await sup.shutdown();
      await waitGone([...all], 3000);
      assert.deepEqual(sup.liveAgents(), []);
      await sup.shutdown();
    } finally {
      await sup.shutdown();
      liveSupervisors.delete(sup);
    }
  });

  test(
    'shutdown also ends what an agent that exited by itself left in its session',
    async () => {
      const h = await openSupervisor(repo);
      const { sup } = h;
      let pids: { plain: number; detached: number; stubborn: number } | null = null;
      try {
        const info = spawn(sup, 'feature-a', 'spawner');
        pids = await spawnerPids(sup, info.id);
        await waitScreen(sup, info.id, /READY/);
        await sup.dispatch({ type: 'input', agent: info.id, data: 'quit\r' });
        await waitState(sup, info.id, 'exited');
        assert.ok(isProcessAlive(pids.stubborn), 'the SIGHUP-ignoring grandchild outlived its agent');
        await sup.shutdown();
        // It is still in the agent's session, so a session sweep finds it.
        await waitGone([pids.stubborn], GRACE_MS + 2000);
      } finally {
        await sup.shutdown();
        liveSupervisors.delete(sup);
        // The detached one left the session and was reparented: nothing can find it any more.
        if (pids) killLeftovers(Object.values(pids));
      }
    },
  );
});

describe('Supervisor.refreshWorktrees with plain git', () => {
  test('picks up an added worktree, drops a removed one, keeps one whose agents still live', async () => {
    const repo = makeRepo({ worktrees: ['stay', 'drop'] });
    cleanups.push(repo.cleanup);
    await withSupervisor(repo, async ({ sup, events }) => {
      const names = () => sup.snapshot().worktrees.map((w) => w.name).sort();
      assert.deepEqual(names(), ['MAIN', 'drop', 'stay']);

      // Added behind our back with plain git.
      const added = path.join(repo.dir, 'repo-added');
      repo.git(['worktree', 'add', '--quiet', '-b', 'added', added]);
      // Removed behind our back; no agents there.
      repo.git(['worktree', 'remove', repo.worktreePaths['drop']!]);
      const before = events.length;
      await sup.dispatch({ type: 'refreshWorktrees' });
      assert.deepEqual(names(), ['MAIN', 'added', 'stay']);
      assert.equal(sup.snapshot().worktrees.find((w) => w.name === 'added')?.path, added);
      await waitUntil(() => events.slice(before).some((e) => e.type === 'snapshot'));

      // A refresh with nothing changed emits no snapshot.
      await new Promise<void>((r) => setImmediate(r));
      const quiet = events.length;
      await sup.dispatch({ type: 'refreshWorktrees' });
      await new Promise<void>((r) => setImmediate(r));
      assert.equal(events.slice(quiet).filter((e) => e.type === 'snapshot').length, 0);

      // The new lane hosts agents at once.
      const info = spawn(sup, 'added', 'echo');
      assert.equal(info.cwd, added);
      await waitScreen(sup, info.id, /READY/);

      // Removing a worktree whose agent still runs keeps its pane, marked prunable.
      repo.git(['worktree', 'remove', added]);
      await sup.dispatch({ type: 'refreshWorktrees' });
      const kept = sup.snapshot().worktrees.find((w) => w.name === 'added');
      assert.ok(kept, 'worktree with a live agent is kept');
      assert.equal(kept.prunable, true);
      assert.equal(kept.path, added);
      assert.equal(agentInfo(sup, info.id).state.kind, 'running');
      await sup.dispatch({ type: 'input', agent: info.id, data: 'still here\r' });
      await waitScreen(sup, info.id, /ECHO: still here/);

      // Once the agent is gone, the next refresh drops the worktree.
      await sup.dispatch({ type: 'kill', agent: info.id });
      await sup.dispatch({ type: 'refreshWorktrees' });
      assert.deepEqual(names(), ['MAIN', 'stay']);
    });
  });

  test('MAIN status follows the repository on refresh', async () => {
    const repo = makeRepo({ worktrees: ['lane'] });
    cleanups.push(repo.cleanup);
    await withSupervisor(repo, async ({ sup }) => {
      assert.equal(sup.snapshot().main.changes, 0);
      writeFileSync(path.join(repo.mainRoot, 'stray.txt'), 'x\n');
      await sup.dispatch({ type: 'refreshWorktrees' });
      assert.equal(sup.snapshot().main.changes, 1);
      repo.git(['add', 'stray.txt']);
      repo.git(['commit', '--quiet', '-m', 'Merge lane']);
      await sup.dispatch({ type: 'refreshWorktrees' });
      const main = sup.snapshot().main;
      assert.equal(main.changes, 0);
      assert.equal(main.subject, 'Merge lane');
      assert.equal(main.headShort, repo.git(['rev-parse', '--short', 'HEAD']).trim());
    });
  });

  test("flower-tui's own files in MAIN (flower.config.json, the lanes' include file) never raise the dirty alarm", async () => {
    const repo = makeRepo();
    cleanups.push(repo.cleanup);
    await withSupervisor(repo, async ({ sup }) => {
      writeFileSync(path.join(repo.mainRoot, 'flower.config.json'), '{}');
      writeFileSync(path.join(repo.mainRoot, '.worktreeinclude'), '.env.local\n');
      await sup.dispatch({ type: 'refreshWorktrees' });
      assert.equal(sup.snapshot().main.changes, 0, sup.snapshot().main.changed.join(', '));
      writeFileSync(path.join(repo.mainRoot, 'flower.config.json.bak'), '{}');
      await sup.dispatch({ type: 'refreshWorktrees' });
      assert.deepEqual(sup.snapshot().main.changed, ['?? flower.config.json.bak'], 'anything else still does');
    });
  });

  test(
    'a refresh requested while another is in flight still reflects git when it resolves',
    async () => {
      const repo = makeRepo();
      cleanups.push(repo.cleanup);
      await withSupervisor(repo, async ({ sup }) => {
        repo.git(['worktree', 'add', '--quiet', '-b', 'late', path.join(repo.dir, 'repo-late')]);
        const first = sup.dispatch({ type: 'refreshWorktrees' }); // e.g. the poll timer
        await sup.dispatch({ type: 'refreshWorktrees' }); // e.g. `flower-tui status` asking for fresh data
        const seen = sup.snapshot().worktrees.map((w) => w.name);
        await first;
        assert.ok(seen.includes('late'), `second refresh resolved with ${JSON.stringify(seen)}`);
      });
    },
  );

  test(
    'spawning in a worktree whose directory is gone fails visibly',
    async () => {
      const repo = makeRepo({ worktrees: ['vanish'] });
      cleanups.push(repo.cleanup);
      await withSupervisor(repo, async ({ sup }) => {
        const keep = spawn(sup, 'vanish', 'echo');
        await waitScreen(sup, keep.id, /READY/);
        repo.git(['worktree', 'remove', repo.worktreePaths['vanish']!]);
        await sup.dispatch({ type: 'refreshWorktrees' });
        assert.equal(sup.snapshot().worktrees.find((w) => w.name === 'vanish')?.prunable, true);
        const info = spawn(sup, 'vanish', 'echo');
        const settled = await waitUntil(() => {
          const s = agentInfo(sup, info.id).state;
          return s.kind === 'starting' || s.kind === 'running' ? null : s;
        });
        assert.equal(settled.kind, 'failed');
        assert.match((settled as { reason: string }).reason, /no such directory|does not exist/i);
      });
    },
  );
});

/**
 * What works unsandboxed still works under bwrap (issue 12 "do not break what works"): the pty and
 * its size, input, and process-tree kills — polite signals first, SIGKILL after the grace period,
 * and nothing of the agent's left alive afterwards, grandchildren and setsid'd daemons included.
 * Pids are read from /proc out here (inside, the sandbox has its own pid namespace).
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';
import { agentEnv } from '../helpers/sandbox-lab.js';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { parseConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { processTreeOf } from '../../src/core/agents/process-tree.js';
import { probeBwrap } from '../../src/core/sandbox/bwrap-probe.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const NODE = process.execPath;
const GRACE_MS = 300;
const bwrap = probeBwrap(process.env.PATH);

describe('agents under bwrap', { skip: bwrap.ok ? false : 'bubblewrap unusable here' }, () => {
  let repo: TestRepo;
  let sup: Supervisor;
  const seen = new Set<number>();
  before(async () => {
    repo = makeRepo({ worktrees: ['lane'] });
    const env = agentEnv();
    const config = parseConfig(
      {
        profiles: {
          spawner: { command: NODE, args: [path.join(FIXTURES, 'spawner-agent.mjs')] },
          size: { command: NODE, args: [path.join(FIXTURES, 'size-agent.mjs')] },
          echo: { command: NODE, args: [path.join(FIXTURES, 'echo-agent.mjs')] },
          stubborn: { command: NODE, args: ['-e', "process.on('SIGTERM', () => {}); process.on('SIGHUP', () => {}); process.stdout.write('STUBBORN\\r\\n'); setInterval(() => {}, 1 << 30)"] },
          polite: { command: NODE, args: ['-e', "process.on('SIGHUP', () => {}); process.on('SIGTERM', () => { require('fs').writeFileSync('polite.txt', 'got SIGTERM'); process.exit(0); }); process.stdout.write('POLITE\\r\\n'); setInterval(() => {}, 1 << 30)"] },
        },
        agents: { killGraceMs: GRACE_MS },
      },
      'sandbox-processes',
      env,
    );
    sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, env, pollMs: 0 });
  });
  after(async () => {
    await sup?.shutdown();
    for (const p of seen) if (isProcessAlive(p)) process.kill(p, 'SIGKILL');
    repo?.cleanup();
  });

  const screen = (id: string) => {
    const b = sup.screen(id)!.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  };
  const waitScreen = (id: string, re: RegExp) => waitUntil(() => re.exec(screen(id)), { timeoutMs: 15_000, what: () => `${id} to show ${re}:\n${screen(id)}` });
  const tree = (pid: number) => {
    const pids = processTreeOf(pid);
    for (const p of pids) seen.add(p);
    return pids;
  };
  const waitGone = (pids: number[], timeoutMs: number) => waitUntil(() => pids.every((p) => !isProcessAlive(p)), { timeoutMs, what: () => `pids ${pids.filter(isProcessAlive).join(', ')} to die` });

  test('a real pty inside: input echoes, the size is the pane\'s and follows a resize', async () => {
    const e = sup.spawn('lane', 'echo', { cols: 70, rows: 20 });
    assert.equal(e.sandbox, 'bwrap');
    await waitScreen(e.id, /READY|ready|>/i).catch(() => null);
    await sup.dispatch({ type: 'send', agent: e.id, text: 'hello-sandbox', enter: true });
    await waitScreen(e.id, /hello-sandbox/);
    const s = sup.spawn('lane', 'size', { cols: 70, rows: 20 });
    await waitScreen(s.id, /SIZE 70x20/);
    await sup.dispatch({ type: 'resize', agent: s.id, cols: 90, rows: 30 });
    await waitScreen(s.id, /SIZE 90x30/);
  });

  test('kill: the program gets SIGTERM (a graceful exit is possible)', async () => {
    const a = sup.spawn('lane', 'polite');
    await waitScreen(a.id, /POLITE/);
    const pids = tree(a.pid!);
    await sup.dispatch({ type: 'kill', agent: a.id });
    await waitGone(pids, 5000);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(path.join(repo.worktreePaths.lane!, 'polite.txt'), 'utf8'), 'got SIGTERM');
  });

  test('kill of a program ignoring SIGHUP and SIGTERM escalates to SIGKILL after the grace period', async () => {
    const a = sup.spawn('lane', 'stubborn');
    await waitScreen(a.id, /STUBBORN/);
    const pids = tree(a.pid!);
    assert.ok(pids.length >= 2, `bwrap and the program: ${pids.join(', ')}`);
    const t0 = Date.now();
    await sup.dispatch({ type: 'kill', agent: a.id });
    await waitGone(pids, 5000);
    assert.ok(Date.now() - t0 >= GRACE_MS - 50, 'it survived the polite signals for the grace period');
    assert.equal(sup.snapshot().agents.find((x) => x.id === a.id)?.state.kind, 'killed');
  });

  test('kill leaves nothing: grandchildren, a setsid\'d daemon and a SIGTERM-ignoring child all die', async () => {
    const a = sup.spawn('lane', 'spawner');
    await waitScreen(a.id, /READY/);
    const pids = tree(a.pid!);
    // bwrap (outside), its init, the spawner and its three children: plain, stubborn, detached.
    assert.ok(pids.length >= 5, `found ${pids.length}: ${pids.join(', ')}`);
    await sup.dispatch({ type: 'kill', agent: a.id });
    await waitGone(pids, GRACE_MS + 5000);
  });

  test('an agent that exits by itself leaves nothing behind either', async () => {
    const a = sup.spawn('lane', 'spawner');
    await waitScreen(a.id, /READY/);
    const pids = tree(a.pid!);
    await sup.dispatch({ type: 'send', agent: a.id, text: 'quit', enter: true });
    await waitGone(pids, GRACE_MS + 5000);
  });
});

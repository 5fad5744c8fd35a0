/**
 * End-to-end: the built `flower-tui` binary, driven through tmux like a person at a keyboard, at
 * 80×24 and 200×60. Every test checks what is on screen, and that no process outlives the cockpit.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { makeTempDir } from '../helpers/git-repo.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';
import { spawnSync } from 'node:child_process';
import { descendants } from '../helpers/proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 200, rows: 60 },
];

interface Demo {
  s: TmuxSession;
  /** The TUI's pid (the program in the tmux pane). */
  pid: number;
  mainRoot: string;
}

/** Run a flower-tui CLI command against a repository; returns its output (and JSON when asked). */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Agent pids according to the server, plus the server's own pid. */
function serverPids(mainRoot: string): { server: number; agents: number[] } | null {
  const r = cli(['status', '--json', '--repo', mainRoot]);
  if (r.status !== 0) return null;
  const j = JSON.parse(r.stdout) as { server: { pid: number }; agents: { pid: number | null }[] };
  return { server: j.server.pid, agents: j.agents.flatMap((a) => (a.pid ? [a.pid] : [])) };
}

const sessions: TmuxSession[] = [];
const demoRoots: string[] = [];
after(() => {
  for (const s of sessions) s.kill();
  for (const root of demoRoots) {
    cli(['server', 'stop', '--repo', root]);
    rmSync(path.dirname(path.dirname(root)), { recursive: true, force: true });
  }
});

async function openDemo(cols: number, rows: number, extra: string[] = []): Promise<Demo> {
  // A private TMPDIR: the scratch repository is the one flower-demo-* directory in it.
  const tmp = makeTempDir('flower-e2e-');
  const s = TmuxSession.start({ command: [process.execPath, BIN, 'demo', ...extra], cols, rows, cwd: ROOT, env: { TMPDIR: tmp } });
  sessions.push(s);
  await s.waitFor(/❯/, { timeoutMs: 20_000 });
  const dir = readdirSync(tmp).find((e) => e.startsWith('flower-demo-'));
  assert.ok(dir, 'the demo created its scratch repository');
  const mainRoot = path.join(tmp, dir, 'shop');
  demoRoots.push(mainRoot);
  return { s, pid: s.panePid(), mainRoot };
}

function reopen(mainRoot: string, cols: number, rows: number): TmuxSession {
  const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', mainRoot], cols, rows, cwd: ROOT });
  sessions.push(s);
  return s;
}

/** Q stops the server and every agent; afterwards no process of theirs is left. */
async function stopAndCheckNoOrphans(d: Demo, opts: { demoFarewell?: boolean } = {}): Promise<void> {
  const pids = serverPids(d.mainRoot);
  assert.ok(pids && pids.agents.length >= 3, `expected the demo's agents to run, found ${pids?.agents.length}`);
  d.s.sendKeys('Q');
  await d.s.waitFor('Stop the server');
  d.s.sendKeys('y');
  await waitUntil(() => d.s.paneDead(), { timeoutMs: 15_000, message: 'flower-tui did not exit after Q, y' });
  assert.equal(d.s.paneExitStatus(), 0);
  await waitUntil(() => [pids!.server, ...pids!.agents].every((p) => !processAlive(p)), { timeoutMs: 5000, message: 'a process outlived Q' });
  if (opts.demoFarewell !== false) assert.match(d.s.capture(), /flower-demo-/, 'the demo says where its scratch repository is');
}

for (const { cols, rows } of SIZES) {
  describe(`flower-tui demo at ${cols}x${rows}`, () => {
    test('panes are labelled, agents are live, quitting leaves no process', async () => {
      const d = await openDemo(cols, rows);
      const { s } = d;
      // Headers follow the panes by up to one Ink render: wait until both agents show as running.
      // A narrow pane gives the profile up first (text priority): the name and the state are what stay.
      const screen = await s.waitFor(/impl(?: · demo-claude)? · [●○] (?:running|working|idle)[\s\S]*review(?: · demo-codex)? · [●○] (?:running|working|idle)/);
      assert.match(screen, /1 MAIN · read-only/);
      assert.match(screen, /⎇ main/);
      assert.match(screen, /2 design/);
      assert.match(screen, /3 feature-auth/);
      assert.match(screen, /impl(?: · demo-claude)? · [●○] (?:running|working|idle)/);
      assert.match(screen, /review(?: · demo-codex)? · [●○] (?:running|working|idle)/);
      assert.doesNotMatch(screen, /Error|at .*\.js:\d+/);
      // Live: the demo agents redraw a status line with a changing spinner/clock.
      const first = s.capture();
      await waitUntil(() => s.capture() !== first, { timeoutMs: 5000, message: 'screen never changed: agents not live' });
      await stopAndCheckNoOrphans(d);
    });

    test('attach: typed text reaches the agent, Ctrl-Q returns to the grid', async () => {
      const d = await openDemo(cols, rows);
      const { s } = d;
      s.sendKeys('Enter');
      await s.waitForGone('1 MAIN · read-only'); // full screen: the grid is gone
      s.typeText('hello from e2e');
      s.sendKeys('Enter');
      await s.waitFor('You said: hello from e2e');
      s.sendKeys('C-q');
      await s.waitFor('1 MAIN · read-only');
      // The status line follows within a frame of the grid's return.
      const grid = await s.waitFor(/detached from design\/design/);
      assert.match(grid, /You said: hello from e2e/, 'the pane shows what happened while attached');
      await stopAndCheckNoOrphans(d);
    });

    test('keys typed in MAIN reach nothing', async () => {
      const d = await openDemo(cols, rows);
      const { s } = d;
      s.sendKeys('1');
      s.typeText('zkzk-main-secret');
      s.sendKeys('Enter');
      const screen = await s.waitFor('MAIN is read-only');
      assert.doesNotMatch(screen, /zkzk/);
      s.sendKeys('n');
      await s.waitFor(/agents run in worktrees/);
      // Give any (wrongly) forwarded keys time to be echoed by an agent, then look everywhere.
      s.sendKeys('Tab');
      s.sendKeys('Enter');
      await s.waitForGone('1 MAIN · read-only');
      assert.doesNotMatch(s.capture(), /zkzk/);
      s.sendKeys('C-q');
      await s.waitFor('1 MAIN · read-only');
      await stopAndCheckNoOrphans(d);
    });

    test('kill and respawn an agent', async () => {
      const d = await openDemo(cols, rows);
      const { s } = d;
      const before = serverPids(d.mainRoot)!.agents;
      s.sendKeys('x');
      await s.waitFor('Kill design/design');
      s.sendKeys('y');
      await s.waitFor(/design(?: · demo-claude)? · ○ killed/);
      await waitUntil(() => before.filter(processAlive).length === before.length - 1, { timeoutMs: 5000, message: 'killed agent still running' });
      s.sendKeys('r');
      await s.waitFor(/design(?: · demo-claude)? · [●○] (?:running|working|idle)/);
      const after = serverPids(d.mainRoot)!.agents;
      assert.equal(after.length, before.length);
      assert.notDeepEqual(after.sort(), before.sort(), 'respawn started a new process');
      await stopAndCheckNoOrphans(d);
    });
  });
}

describe('flower-tui demo: help, scroll mode, resize, signals', () => {
  test('? lists the keys; scroll mode searches the history', async () => {
    const d = await openDemo(100, 30);
    const { s } = d;
    s.sendKeys('?');
    const help = await s.waitFor('Keys');
    for (const k of ['Tab', 'Enter', 'Ctrl-Q', 'respawn', 'scroll mode']) assert.match(help, new RegExp(k));
    s.sendKeys('Escape');
    await s.waitForGone('any key closes this help');
    s.sendKeys('[');
    await s.waitFor(/scroll/);
    s.typeText('/');
    s.typeText('Reading');
    s.sendKeys('Enter');
    await s.waitFor(/match \d+\/\d+/);
    s.sendKeys('Escape');
    await s.waitFor(/Enter attach/);
    await stopAndCheckNoOrphans(d);
  });

  test('panes re-layout when the terminal is resized', async () => {
    const d = await openDemo(200, 60);
    const { s } = d;
    const wide = s.capture().split('\n')[3]!;
    s.resize(90, 30);
    await waitUntil(() => (s.capture().split('\n')[3] ?? '').length < wide.length - 50, { timeoutMs: 5000, message: 'no re-layout after resize' });
    const screen = await s.waitFor(/3 feature-auth/);
    assert.match(screen, /1 MAIN · read-only/);
    s.resize(30, 10);
    await s.waitFor('Terminal too small');
    s.resize(120, 35);
    await s.waitFor('3 feature-auth');
    await stopAndCheckNoOrphans(d);
  });

  for (const sig of ['SIGHUP', 'SIGKILL'] as const) {
    test(`${sig} of the TUI leaves every agent running; re-attaching shows the same screens`, async () => {
      const d = await openDemo(100, 30);
      const pids = serverPids(d.mainRoot)!;
      assert.ok(pids.agents.length >= 3);
      d.s.sendKeys('Enter');
      await d.s.waitForGone('1 MAIN · read-only');
      d.s.typeText(`marker-${sig}`);
      d.s.sendKeys('Enter');
      await d.s.waitFor(`You said: marker-${sig}`);
      process.kill(d.pid, sig);
      await waitUntil(() => d.s.paneDead(), { timeoutMs: 15_000, message: `flower-tui did not exit on ${sig}` });
      assert.ok([pids.server, ...pids.agents].every(processAlive), `${sig} of the TUI must not stop agents`);
      const again = reopen(d.mainRoot, 100, 30);
      // Both, in one screen: the mirrored panes can be painted a moment before Ink's first chrome render.
      const screen = await again.waitFor(new RegExp(`1 MAIN · read-only[\\s\\S]*You said: marker-${sig}`));
      assert.match(screen, /1 MAIN · read-only/);
      await stopAndCheckNoOrphans({ ...d, s: again, pid: again.panePid() }, { demoFarewell: false });
    });
  }

  test('q detaches; `flower-tui send` from another shell reaches the agent; re-attach shows it', async () => {
    const d = await openDemo(100, 30);
    const pids = serverPids(d.mainRoot)!;
    d.s.sendKeys('q');
    await waitUntil(() => d.s.paneDead(), { timeoutMs: 10_000, message: 'q did not detach' });
    assert.match(d.s.capture(), /detached — 3 demo agents keep running/);
    assert.ok(pids.agents.every(processAlive));
    const sent = cli(['send', 'design/design', 'sent from another shell', '--repo', d.mainRoot]);
    assert.equal(sent.status, 0, sent.stderr);
    assert.match(sent.stdout, /delivered to design\/design/);
    const again = reopen(d.mainRoot, 100, 30);
    await again.waitFor('You said: sent from another shell');
    // And live: a send while attached shows up in the pane without any key pressed.
    assert.equal(cli(['send', 'design/design', 'live one', '--repo', d.mainRoot]).status, 0);
    await again.waitFor('You said: live one');
    await stopAndCheckNoOrphans({ ...d, s: again, pid: again.panePid() }, { demoFarewell: false });
  });

  test('the server dies: the cockpit says "server gone" and restarts it on r', async () => {
    const d = await openDemo(100, 30);
    const before = serverPids(d.mainRoot)!;
    process.kill(before.server, 'SIGKILL');
    await d.s.waitFor('Server gone');
    // Its agents died with it (their ptys hung up): nothing is left running unsupervised.
    await waitUntil(() => before.agents.every((p) => !processAlive(p)), { timeoutMs: 5000, message: 'agents outlived their server' });
    d.s.sendKeys('r');
    await d.s.waitFor('server restarted', { timeoutMs: 20_000 });
    await d.s.waitFor(/impl(?: · demo-claude)? · [●○] (?:running|working|idle)/);
    const after = serverPids(d.mainRoot)!;
    assert.notEqual(after.server, before.server);
    await stopAndCheckNoOrphans(d);
  });

  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    test(`--in-process: ${sig} stops every agent and restores the terminal`, async () => {
      const d = await openDemo(100, 30, ['--in-process']);
      const agents = descendants(d.pid);
      assert.ok(agents.length >= 3);
      process.kill(d.pid, sig);
      await waitUntil(() => d.s.paneDead(), { timeoutMs: 15_000, message: `flower-tui did not exit on ${sig}` });
      await waitUntil(() => agents.every((a) => !processAlive(a)), { timeoutMs: 5000, message: `agents outlived ${sig}` });
      assert.equal(d.s.paneExitStatus(), sig === 'SIGHUP' ? 129 : 143);
    });
  }
});

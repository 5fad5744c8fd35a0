/**
 * End-to-end: the built `flower-tui` binary, driven through tmux like a person at a keyboard, at
 * 80×24 and 200×60. Every test checks what is on screen, and that no process outlives the cockpit.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';
import { cmdline, descendants } from '../helpers/proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 200, rows: 60 },
];

/** Agent processes (the demo agents and anything they started) under the cockpit. */
function agentPids(cockpit: number): number[] {
  return descendants(cockpit).filter((p) => cmdline(p).includes('demo-agent'));
}

const sessions: TmuxSession[] = [];
const demoDirs: string[] = [];
after(() => {
  for (const s of sessions) s.kill();
  for (const d of demoDirs) rmSync(d, { recursive: true, force: true });
});

async function openDemo(cols: number, rows: number): Promise<{ s: TmuxSession; pid: number }> {
  const s = TmuxSession.start({ command: [process.execPath, BIN, 'demo'], cols, rows, cwd: ROOT });
  sessions.push(s);
  const screen = await s.waitFor(/❯/, { timeoutMs: 20_000 });
  const pid = s.panePid();
  // Remember the scratch repository to clean up (its path is shown in the agents' banners).
  const m = /(\/\S*flower-demo-\w+)/.exec(screen);
  if (m) demoDirs.push(m[1]!);
  return { s, pid };
}

async function quitAndCheckNoOrphans(s: TmuxSession, pid: number): Promise<void> {
  const agents = agentPids(pid);
  assert.ok(agents.length >= 3, `expected the demo's agents to run, found ${agents.length}`);
  s.sendKeys('q');
  await s.waitFor('Quit flower-tui');
  s.sendKeys('y');
  await waitUntil(() => s.paneDead(), { timeoutMs: 15_000, message: 'flower-tui did not exit after q, y' });
  assert.equal(s.paneExitStatus(), 0);
  for (const a of agents) assert.equal(processAlive(a), false, `agent pid ${a} outlived flower-tui`);
  assert.match(s.capture(), /flower-demo-/, 'the demo says where its scratch repository is');
}

for (const { cols, rows } of SIZES) {
  describe(`flower-tui demo at ${cols}x${rows}`, () => {
    test('panes are labelled, agents are live, quitting leaves no process', async () => {
      const { s, pid } = await openDemo(cols, rows);
      const screen = await s.waitFor(/review/);
      assert.match(screen, /1 MAIN · read-only/);
      assert.match(screen, /⎇ main/);
      assert.match(screen, /2 design/);
      assert.match(screen, /3 feature-auth/);
      assert.match(screen, /impl · demo-claude · ● running/);
      assert.match(screen, /review · demo-codex · ● running/);
      assert.doesNotMatch(screen, /Error|at .*\.js:\d+/);
      // Live: the demo agents redraw a status line with a changing spinner/clock.
      const first = s.capture();
      await waitUntil(() => s.capture() !== first, { timeoutMs: 5000, message: 'screen never changed: agents not live' });
      await quitAndCheckNoOrphans(s, pid);
    });

    test('attach: typed text reaches the agent, Ctrl-Q returns to the grid', async () => {
      const { s, pid } = await openDemo(cols, rows);
      s.sendKeys('Enter');
      await s.waitForGone('1 MAIN · read-only'); // full screen: the grid is gone
      s.typeText('hello from e2e');
      s.sendKeys('Enter');
      await s.waitFor('You said: hello from e2e');
      s.sendKeys('C-q');
      const grid = await s.waitFor('1 MAIN · read-only');
      assert.match(grid, /detached from design\/design/);
      assert.match(grid, /You said: hello from e2e/, 'the pane shows what happened while attached');
      await quitAndCheckNoOrphans(s, pid);
    });

    test('keys typed in MAIN reach nothing', async () => {
      const { s, pid } = await openDemo(cols, rows);
      s.sendKeys('1');
      s.typeText('zqzq-main-secret');
      s.sendKeys('Enter');
      const screen = await s.waitFor('MAIN is read-only');
      assert.doesNotMatch(screen, /zqzq/);
      s.sendKeys('n');
      await s.waitFor(/agents run in worktrees/);
      // Give any (wrongly) forwarded keys time to be echoed by an agent, then look everywhere.
      s.sendKeys('Tab');
      s.sendKeys('Enter');
      await s.waitForGone('1 MAIN · read-only');
      assert.doesNotMatch(s.capture(), /zqzq/);
      s.sendKeys('C-q');
      await s.waitFor('1 MAIN · read-only');
      await quitAndCheckNoOrphans(s, pid);
    });

    test('kill and respawn an agent', async () => {
      const { s, pid } = await openDemo(cols, rows);
      const before = agentPids(pid);
      s.sendKeys('x');
      await s.waitFor('Kill design/design');
      s.sendKeys('y');
      await s.waitFor(/design · demo-claude · ○ killed/);
      await waitUntil(() => agentPids(pid).length === before.length - 1, { timeoutMs: 5000, message: 'killed agent still running' });
      s.sendKeys('r');
      await s.waitFor(/design · demo-claude · ● running/);
      const after = agentPids(pid);
      assert.equal(after.length, before.length);
      assert.notDeepEqual(after.sort(), before.sort(), 'respawn started a new process');
      await quitAndCheckNoOrphans(s, pid);
    });
  });
}

describe('flower-tui demo: help, scroll mode, resize, signals', () => {
  test('? lists the keys; scroll mode searches the history', async () => {
    const { s, pid } = await openDemo(100, 30);
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
    await quitAndCheckNoOrphans(s, pid);
  });

  test('panes re-layout when the terminal is resized', async () => {
    const { s, pid } = await openDemo(200, 60);
    const wide = s.capture().split('\n')[3]!;
    s.resize(90, 30);
    await waitUntil(() => (s.capture().split('\n')[3] ?? '').length < wide.length - 50, { timeoutMs: 5000, message: 'no re-layout after resize' });
    const screen = await s.waitFor(/3 feature-auth/);
    assert.match(screen, /1 MAIN · read-only/);
    s.resize(30, 10);
    await s.waitFor('Terminal too small');
    s.resize(120, 35);
    await s.waitFor('3 feature-auth');
    await quitAndCheckNoOrphans(s, pid);
  });

  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    test(`${sig} stops every agent and restores the terminal`, async () => {
      const { s, pid } = await openDemo(100, 30);
      const agents = agentPids(pid);
      assert.ok(agents.length >= 3);
      process.kill(pid, sig);
      await waitUntil(() => s.paneDead(), { timeoutMs: 15_000, message: `flower-tui did not exit on ${sig}` });
      await waitUntil(() => agents.every((a) => !processAlive(a)), { timeoutMs: 5000, message: `agents outlived ${sig}` });
      assert.equal(s.paneExitStatus(), sig === 'SIGHUP' ? 129 : 143);
    });
  }
});

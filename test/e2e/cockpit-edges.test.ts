/**
 * End-to-end edge cases on a real repository with fake agents: a flooding pane, Ctrl-C in the grid,
 * a missing agent command, the mouse wheel, and the one-line errors of the CLI.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';
import { makeRepo, makeTempDir, type TestRepo } from '../helpers/git-repo.js';
import { descendants } from '../helpers/proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ECHO_AGENT = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

function repoWithConfig(config: object): { repo: TestRepo; configFile: string } {
  const repo = makeRepo({ worktrees: ['feat'] });
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  cleanups.push(() => repo.cleanup());
  return { repo, configFile };
}

function open(repo: TestRepo, configFile: string, cols = 100, rows = 30): TmuxSession {
  const s = TmuxSession.start({ command: [process.execPath, BIN, '--in-process', '--config', configFile], cols, rows, cwd: repo.mainRoot });
  cleanups.push(() => s.kill());
  return s;
}

describe('cockpit edge cases', () => {
  test('a pane flooded by `yes` starves neither the keyboard nor the other agent', async () => {
    const { repo, configFile } = repoWithConfig({
      profiles: { flood: { command: 'yes', args: ['flooding'] }, echo: { command: process.execPath, args: [ECHO_AGENT, '--raw'] } },
      worktrees: { feat: { agents: ['flood', 'echo'] } },
    });
    const s = open(repo, configFile);
    await s.waitFor(/flooding/);
    await s.waitFor(/READY/);
    s.sendKeys('Down'); // focus moves to the echo agent while the flood goes on
    await s.waitFor(/▸ echo/, { timeoutMs: 3000 });
    s.sendKeys('Enter');
    await s.waitForGone('MAIN · read-only');
    s.typeText('ping-under-flood');
    s.sendKeys('Enter');
    await s.waitFor('ECHO: ping-under-flood', { timeoutMs: 3000 });
    s.sendKeys('C-q');
    await s.waitFor('MAIN · read-only');
    // Ctrl-C reaches the flooding child when attached to it.
    s.sendKeys('Up', 'Enter');
    await s.waitForGone('MAIN · read-only');
    s.sendKeys('C-c');
    await s.waitFor(/flood · flood · ○ exited SIGINT/);
    const pid = s.panePid();
    const agents = descendants(pid);
    // Ctrl-C in the grid asks first (an agent still runs), a second Ctrl-C confirms.
    s.sendKeys('C-c');
    await s.waitFor('Quit flower-tui');
    s.sendKeys('C-c');
    await waitUntil(() => s.paneDead(), { timeoutMs: 15_000, message: 'no exit after Ctrl-C Ctrl-C' });
    for (const a of agents) assert.equal(processAlive(a), false, `pid ${a} outlived flower-tui`);
  });

  test('an agent whose command does not exist fails visibly; the cockpit stays up', async () => {
    const { repo, configFile } = repoWithConfig({
      profiles: { ghost: { command: 'flower-no-such-agent' }, echo: { command: process.execPath, args: [ECHO_AGENT] } },
      worktrees: { feat: { agents: ['ghost', 'echo'] } },
    });
    const s = open(repo, configFile, 80, 24);
    await s.waitFor(/READY/);
    // The panes can be painted a moment before Ink's first chrome render (the cockpit now connects
    // while it loads the UI, so agent output may already be there at the first frame): wait for the title.
    // Panes are drawn as output arrives; headers follow with Ink's next render (≤ 33 ms later).
    const screen = await s.waitFor(/ghost · ghost · ✗ failed: command not found: flower-no-such-agent[\s\S]*echo · echo · [●○] (?:running|working|idle)/);
    assert.match(screen, /echo · echo · [●○] (?:running|working|idle)/);
    s.sendKeys('q');
    await s.waitFor('Quit flower-tui');
    s.sendKeys('y');
    await waitUntil(() => s.paneDead(), { timeoutMs: 15_000 });
  });

  test('the mouse wheel scrolls an agent; a click focuses', async () => {
    const { repo, configFile } = repoWithConfig({
      profiles: { echo: { command: process.execPath, args: [ECHO_AGENT] } },
      worktrees: { feat: { agents: ['echo', { profile: 'echo', name: 'second' }] } },
    });
    const s = open(repo, configFile);
    await s.waitFor(/second · echo · [●○] (?:running|working|idle)/);
    // SGR mouse: wheel up (64) over the first agent's screen (1-based column 10, row 7).
    s.typeText('\x1b[<64;10;7M');
    await s.waitFor(/echo · echo · [●○] (?:running|(?:working|idle) (?:\d+s|<1m)) · scroll/);
    s.sendKeys('Escape');
    await s.waitForGone(/· scroll/);
    // Click the second agent's header row: it takes the focus.
    const row = s.capture().split('\n').findIndex((l) => l.includes('second · echo')) + 1;
    s.typeText(`\x1b[<0;10;${row}M\x1b[<0;10;${row}m`);
    await s.waitFor(/▸ second/);
    s.sendKeys('q', 'y');
    await waitUntil(() => s.paneDead(), { timeoutMs: 15_000 });
  });
});

describe('CLI errors are one line and an exit code', () => {
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: undefined } });

  test('not a git repository: exit 2', () => {
    const dir = makeTempDir('flower-norepo-');
    const r = run([], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^flower-tui: not a git repository: .+\n$/);
  });

  test('invalid config names the file and the field', () => {
    const { repo, configFile } = repoWithConfig({ profiles: { x: { command: 5 } } });
    const r = run(['--config', configFile], repo.mainRoot);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.ok(r.stderr.includes(configFile));
    assert.match(r.stderr, /profiles\.x\.command/);
  });

  test('scroll mode through the server reaches the oldest line (mirrors keep no scrollback; it is fetched)', async () => {
    const { repo, configFile } = repoWithConfig({
      profiles: { hist: { command: '/bin/sh', args: ['-c', 'for i in $(seq 1 300); do echo "history line $i"; done; echo HIST-DONE; exec cat'] } },
      worktrees: { feat: { agents: ['hist'] } },
    });
    // First in line: the server must be stopped while its repository still exists.
    cleanups.unshift(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot]));
    const s = TmuxSession.start({ command: [process.execPath, BIN, '--config', configFile], cols: 100, rows: 30, cwd: repo.mainRoot });
    cleanups.push(() => s.kill());
    await s.waitFor(/HIST-DONE/);
    s.sendKeys('[');
    await s.waitFor(/· scroll/);
    s.typeText('g');
    await s.waitFor(/history line 1\b/);
    s.typeText('/');
    s.typeText('line 150');
    s.sendKeys('Enter');
    await s.waitFor(/match 1\/1/);
    assert.match(s.capture(), /history line 150/);
    s.sendKeys('Escape');
    await s.waitForGone(/· scroll/);
    await s.waitFor(/HIST-DONE/);
    const stop = spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { encoding: 'utf8' });
    assert.equal(stop.status, 0, stop.stderr);
  });

  test('a misspelt key is named', () => {
    const { repo, configFile } = repoWithConfig({ profiles: { x: { comand: 'a' } } });
    const r = run(['--config', configFile], repo.mainRoot);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown key "comand"/);
  });

  test('unknown command and --help', () => {
    const r = run(['bogus'], ROOT);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown argument: bogus/);
    const h = run(['--help'], ROOT);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /flower-tui demo/);
  });

  test('no terminal: a clear message instead of a broken screen', () => {
    const { repo } = repoWithConfig({});
    const r = spawnSync(process.execPath, [BIN], { cwd: repo.mainRoot, encoding: 'utf8', input: '' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /needs an interactive terminal/);
  });
});

/**
 * End-to-end lanes: the built cockpit (with its server) under tmux, driven like a person would.
 * `w` creates a lane whose setup output streams into its pane before the configured agent starts;
 * `W` on a lane with an unmerged commit shows what would be lost and wants the name typed.
 * The server is stopped with Q then y, and again with `server stop` in cleanup.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';
import { git, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO_AGENT = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');

const onCleanup = cleanupList();

/** A repository whose cleanup stops its server (waiting for it to exit) before removing the files. */
function newRepo(): TestRepo {
  const repo = makeRepo();
  removedAfterItsServer(repo, onCleanup);
  return repo;
}

function setupRepo(): { repo: TestRepo; configFile: string } {
  const repo = newRepo();
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      profiles: { echo: { command: process.execPath, args: [ECHO_AGENT, '--raw'] } },
      lanes: {
        // A recognisable line, a pause long enough to be seen, then a second step.
        setup: ['echo SETUP-BANNER-for-{name}', 'sleep 3', 'echo SETUP-STEP-THREE'],
        agents: ['echo'],
      },
    }),
  );
  return { repo, configFile };
}

describe('lanes in the cockpit', () => {
  test('w creates a lane: its pane shows the setup output live, then the configured agent; W wants the name before losing a commit', async () => {
    const { repo, configFile } = setupRepo();
    const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot, '--config', configFile], cols: 120, rows: 32, cwd: repo.dir });
    onCleanup(() => s.kill());
    await s.waitFor('MAIN · read-only', { timeoutMs: 30_000 });
    await s.waitFor('No worktrees yet', { timeoutMs: 10_000 });

    // w → the form; type a name; Enter creates.
    s.sendKeys('w');
    await s.waitFor('New worktree (a lane)', { timeoutMs: 10_000 });
    s.typeText('lane-one');
    await s.waitFor(/name +lane-one/, { timeoutMs: 10_000 });
    s.sendKeys('Enter');
    await s.waitForGone('New worktree (a lane)', { timeoutMs: 10_000 });

    // The lane's pane appears with the setup agent, whose output streams in while it runs.
    let screen = await s.waitFor('SETUP-BANNER-for-lane-one', { timeoutMs: 30_000 });
    assert.match(screen, /2 lane-one/, 'the lane has a pane');
    assert.match(screen, /▶ \[1\/3\] echo SETUP-BANNER-for-\{name\}/, 'the step is announced as configured');
    // The pane's chrome follows: the setup agent's header and the step in the lane's title.
    screen = await s.waitFor(/· setup 2\/3 sleep 3/, { timeoutMs: 15_000 });
    assert.match(screen, /setup · setup · [●○] (?:running|working|idle)/, 'the setup runs as an agent of the lane');
    assert.doesNotMatch(screen, /READY/, 'the agent waits for the setup');
    assert.ok(existsSync(path.join(repo.dir, 'repo-lane-one', 'README.md')), 'the worktree exists beside MAIN');

    // Then the setup agent makes room for the configured agent.
    screen = await s.waitFor(/echo · echo · [●○] (?:running|working|idle)/, { timeoutMs: 30_000 });
    screen = await s.waitFor('READY raw', { timeoutMs: 30_000 });
    assert.match(screen, new RegExp(`CWD ${repo.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/repo-lane-one`), 'the agent runs in the new worktree');
    await s.waitForGone(/setup · setup/, { timeoutMs: 10_000 });
    await s.waitForGone(/· setup \d\/3/, { timeoutMs: 10_000 });

    // A commit only the lane has: removing it would lose work.
    const lanePath = path.join(repo.dir, 'repo-lane-one');
    writeFileSync(path.join(lanePath, 'feature.txt'), 'work\n');
    git(lanePath, ['add', 'feature.txt']);
    git(lanePath, ['commit', '--quiet', '-m', 'Add the e2e feature']);
    s.sendKeys('2');
    await s.waitFor(/↑1 ↓0/, { timeoutMs: 15_000 }); // the git watcher sees the commit: the lane is ahead of MAIN

    s.sendKeys('W');
    screen = await s.waitFor('Remove worktree lane-one', { timeoutMs: 15_000 });
    assert.match(screen, /Stops lane-one\/echo, then removes the worktree\./);
    assert.match(screen, /1 commit not in MAIN would be lost:/);
    assert.match(screen, /[0-9a-f]{7,} Add the e2e feature/);
    assert.match(screen, /Type lane-one and Enter to remove anyway:/);
    // y is not an answer here, nor is a wrong name.
    s.typeText('y');
    s.sendKeys('Enter');
    s.sendKeys('BSpace');
    s.typeText('lane-on');
    s.sendKeys('Enter');
    screen = await s.waitFor(/remove anyway: lane-on▏/, { timeoutMs: 10_000 });
    assert.match(screen, /Remove worktree lane-one/, 'still asking');
    assert.ok(existsSync(lanePath), 'nothing removed for a wrong name');
    // Esc keeps it.
    s.sendKeys('Escape');
    await s.waitForGone('Remove worktree lane-one', { timeoutMs: 10_000 });
    assert.ok(existsSync(lanePath), 'Esc removed nothing');

    // The exact name and Enter remove it (forced: the commit stays on its standing branch).
    s.sendKeys('W');
    await s.waitFor('Type lane-one and Enter', { timeoutMs: 15_000 });
    s.typeText('lane-one');
    await s.waitFor(/remove anyway: lane-one▏/, { timeoutMs: 10_000 });
    s.sendKeys('Enter');
    await s.waitFor('removed lane-one', { timeoutMs: 30_000 });
    await waitUntil(() => !existsSync(lanePath), { timeoutMs: 15_000, message: 'the worktree directory is still there' });
    await s.waitForGone(/2 lane-one/, { timeoutMs: 15_000 });
    assert.ok(repo.git(['branch', '--list', 'lane-one']).includes('lane-one'), 'a standing lane keeps its branch');

    // Q, y: the server and every agent stop; the cockpit exits.
    const st = cli(repo, ['status', '--json']);
    assert.equal(st.status, 0, st.stderr);
    const serverPid = (JSON.parse(st.stdout) as { server: { pid: number } }).server.pid;
    s.sendKeys('Q');
    await s.waitFor('Stop the server', { timeoutMs: 10_000 });
    s.sendKeys('y');
    await waitUntil(() => s.paneDead(), { timeoutMs: 20_000, message: 'flower-tui did not exit after Q, y' });
    await waitUntil(() => !processAlive(serverPid), { timeoutMs: 10_000, message: 'the server outlived Q' });
    assert.equal(cli(repo, ['status']).status, 3, 'no server left');
  });

  test('a failed setup keeps its output in the pane; r on the setup agent retries, then the agent starts', async () => {
    const repo = newRepo();
    const configFile = path.join(repo.dir, 'flower.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        profiles: { echo: { command: process.execPath, args: [ECHO_AGENT, '--raw'] } },
        // The pause lets the first line reach the screen before the failing step: a pty's last output
        // can be lost when its program exits (see the integration todo on it).
        lanes: { setup: ['echo LOOKING-FOR-READY', 'sleep 1', 'test -f READY'], agents: ['echo'] },
      }),
    );
    const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot, '--config', configFile], cols: 120, rows: 32, cwd: repo.dir });
    onCleanup(() => s.kill());
    await s.waitFor('MAIN · read-only', { timeoutMs: 30_000 });
    s.sendKeys('w');
    await s.waitFor('New worktree (a lane)', { timeoutMs: 10_000 });
    s.typeText('needs-ready');
    s.sendKeys('Enter');
    let screen = await s.waitFor('setup failed (r retries)', { timeoutMs: 30_000 });
    assert.match(screen, /setup · setup · ○ exited 1/, 'the setup agent stays, exited');
    assert.match(screen, /^\S\s*LOOKING-FOR-READY\s*\S$/m, 'its output stays');
    // The status-line message comes with the command's reply, which may land a frame after the header.
    screen = await s.waitFor(/needs-ready: setup failed — its output is in the pane/, { timeoutMs: 15_000 });
    assert.doesNotMatch(screen, /echo · echo/, 'no agent started after a failed setup');

    writeFileSync(path.join(repo.dir, 'repo-needs-ready', 'READY'), '');
    s.sendKeys('2');
    await s.waitFor(/▸ setup/, { timeoutMs: 10_000 });
    s.sendKeys('r');
    await s.waitFor(/echo · echo · [●○] (?:running|working|idle)/, { timeoutMs: 30_000 });
    screen = await s.waitFor('READY raw', { timeoutMs: 30_000 });
    await s.waitForGone('setup failed (r retries)', { timeoutMs: 10_000 });
    await s.waitForGone(/setup · setup/, { timeoutMs: 10_000 });

    s.sendKeys('Q');
    await s.waitFor('Stop the server', { timeoutMs: 10_000 });
    s.sendKeys('y');
    await waitUntil(() => s.paneDead(), { timeoutMs: 20_000, message: 'flower-tui did not exit after Q, y' });
    assert.equal(cli(repo, ['status']).status, 3, 'no server left');
  });
});

/**
 * End-to-end merge: the built cockpit (with its server) under tmux at 100x30. A lane with a commit,
 * a gate and a health check: `m` previews, `y` runs the pipeline, Enter closes it, and MAIN's pane
 * shows the merge. Then someone edits MAIN directly: the alarm names the file. `d` shows a diff.
 * The server is stopped with Q then y, and again with `server stop` in cleanup.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';
import { git, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList } from '../helpers/cli.js';


const onCleanup = cleanupList();

describe('merge in the cockpit', () => {
  test('m previews, y merges through gate and health, MAIN shows the merge; a direct edit of MAIN raises the alarm; d shows a diff', async () => {
    const repo = makeRepo({ worktrees: ['feat'] });
    onCleanup(() => repo.cleanup());
    onCleanup(() => void cli(repo, ['server', 'stop']));
    const lane = repo.worktreePaths.feat!;
    writeFileSync(path.join(lane, 'feature.txt'), 'the feature\n');
    git(lane, ['add', 'feature.txt']);
    git(lane, ['commit', '--quiet', '-m', 'Add the lane feature']);
    const before = repo.git(['rev-parse', 'HEAD']).trim();
    const configFile = path.join(repo.dir, 'flower.config.json');
    writeFileSync(configFile, JSON.stringify({ merge: { gate: 'true', health: 'test -f app.txt' } }));

    const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot, '--config', configFile], cols: 100, rows: 30, cwd: repo.dir });
    onCleanup(() => s.kill());
    let screen = await s.waitFor('MAIN · read-only', { timeoutMs: 30_000 });
    screen = await s.waitFor(/2 feat/, { timeoutMs: 15_000 });
    assert.match(screen, /✓ clean/, 'MAIN starts clean');
    assert.match(screen, /merges: none yet/);

    // m on MAIN is refused; on the lane it opens the preview.
    s.sendKeys('1');
    s.sendKeys('m');
    await s.waitFor('focus a worktree to merge it into MAIN', { timeoutMs: 10_000 });
    s.sendKeys('2');
    s.sendKeys('m');
    screen = await s.waitFor('Merge feat into main (no-ff)', { timeoutMs: 15_000 });
    assert.match(screen, /[0-9a-f]{7} Add the lane feature/, 'the commit subject is shown');
    assert.match(screen, /1 commit · 1 file changed/);
    assert.match(screen, /✓ no conflicts predicted/);
    assert.match(screen, /y \/ Enter merge/);

    // y: the pipeline runs; its dialog shows each step and the result.
    s.sendKeys('y');
    screen = await s.waitFor(/merged feat into main: [0-9a-f]{7} → [0-9a-f]{7}/, { timeoutMs: 30_000 });
    assert.match(screen, /✓ merge +MAIN [0-9a-f]{7} → [0-9a-f]{7}/);
    assert.match(screen, /✓ gate +passed in/);
    assert.match(screen, /✓ health +healthy/);
    assert.match(screen, /Enter close/);
    const after = repo.git(['rev-parse', 'HEAD']).trim();
    assert.notEqual(after, before, 'MAIN moved');
    assert.equal(repo.git(['log', '-1', '--format=%s']).trim(), 'Merge feat (1 commit) via flower-tui');
    assert.equal(repo.git(['status', '--porcelain']), '', 'MAIN clean after the merge');

    // Enter closes; MAIN's pane shows the new HEAD and the merge in its merges line.
    s.sendKeys('Enter');
    await s.waitForGone('Enter close', { timeoutMs: 10_000 });
    screen = await s.waitFor(new RegExp(`${after.slice(0, 7)} Merge feat \\(1 commit\\) via flower-tui`), { timeoutMs: 15_000 });
    screen = await s.waitFor(/merges ✓ feat \d\d:\d\d/, { timeoutMs: 15_000 });
    assert.match(screen, /✓ clean/);

    // Someone edits MAIN directly: the git watcher raises the alarm and names the file.
    writeFileSync(path.join(repo.mainRoot, 'hotfix.txt'), 'x\n');
    screen = await s.waitFor('MAIN EDITED DIRECTLY', { timeoutMs: 10_000 }); // seen by watching MAIN's tracked directories
    assert.match(screen, /⚠ MAIN EDITED DIRECTLY: 1 change/);
    assert.match(screen, /\?\? hotfix\.txt/);

    // d: the lane's diff against MAIN (its uncommitted work, the commit is merged already).
    appendFileSync(path.join(lane, 'feature.txt'), 'more work in the lane\n');
    s.sendKeys('d');
    screen = await s.waitFor('Diff of feat against MAIN', { timeoutMs: 15_000 });
    assert.match(screen, /\+more work in the lane/);
    assert.match(screen, /diff --git a\/feature\.txt b\/feature\.txt/);
    assert.match(screen, /lines 1–\d+ of \d+/);
    s.sendKeys('Escape');
    await s.waitForGone('Diff of feat against MAIN', { timeoutMs: 10_000 });

    // Q, y: the server stops, the cockpit exits, nothing is left running.
    const st = cli(repo, ['status', '--json']);
    assert.equal(st.status, 0, st.stderr);
    const serverPid = (JSON.parse(st.stdout) as { server: { pid: number } }).server.pid;
    s.sendKeys('Q');
    await s.waitFor('Stop the server', { timeoutMs: 10_000 });
    s.sendKeys('y');
    await waitUntil(() => s.paneDead(), { timeoutMs: 20_000, message: 'flower-tui did not exit after Q, y' });
    assert.equal(s.paneExitStatus(), 0);
    await waitUntil(() => !processAlive(serverPid), { timeoutMs: 10_000, message: 'the server outlived Q' });
    assert.equal(cli(repo, ['status']).status, 3, 'no server left');
  });
});

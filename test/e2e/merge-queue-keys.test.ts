/**
 * The merge queue in the cockpit: the built binary (with its server) under tmux. `M` on a lane marks
 * it ready and MAIN's monitor shows the queue with the head's step; `>` reorders; after the merge the
 * other lane's header says how far behind MAIN it is, and `u` brings it up to date.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TmuxSession } from '../helpers/tmux.js';
import { git, makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const onCleanup = cleanupList();

function commit(dir: string, file: string): void {
  writeFileSync(path.join(dir, file), `${file}\n`);
  git(dir, ['add', '--', file]);
  git(dir, ['commit', '--quiet', '-m', `Add ${file}`]);
}

describe('merge queue keys in the cockpit', () => {
  test('M queues the focused lane, MAIN shows the queue and the step; the other lane shows behind MAIN by 1, u updates it', async () => {
    const repo = removedAfterItsServer(makeRepo({ worktrees: ['alpha', 'beta'] }), onCleanup);
    const release = path.join(repo.dir, 'release');
    const configFile = path.join(repo.dir, 'flower.config.json');
    // The gate waits for the test, so the queue is seen in its gate step.
    writeFileSync(configFile, JSON.stringify({ merge: { strategy: 'no-ff', gate: `while [ ! -f '${release}' ]; do sleep 0.1; done` }, monitor: { healthEveryMs: 0 } }));
    commit(repo.worktreePaths.alpha!, 'alpha.txt');
    commit(repo.worktreePaths.beta!, 'beta.txt');
    const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot, '--config', configFile], cols: 100, rows: 30, cwd: repo.dir });
    onCleanup(() => s.kill());
    await s.waitFor('MAIN · read-only', { timeoutMs: 30_000 });

    s.sendKeys('2'); // alpha
    s.sendKeys('M');
    await s.waitFor(/queue: alpha \((waiting for idle|update|gate) \d+:\d\d\)/, { timeoutMs: 20_000 });
    await s.waitFor(/queue: alpha \(gate \d+:\d\d\)/, { timeoutMs: 20_000 });
    s.sendKeys('3'); // beta
    s.sendKeys('M');
    await s.waitFor(/queue: alpha \(gate \d+:\d\d\) · beta/, { timeoutMs: 10_000 });
    s.sendKeys('>');
    await s.waitFor(/beta is now at position 2 in the merge queue/, { timeoutMs: 10_000 });
    s.sendKeys('<');
    await s.waitFor(/beta is now at position 2 in the merge queue/, { timeoutMs: 10_000 }); // the head keeps its place
    // Beta leaves the queue (by the CLI, as a script would); alpha lands.
    s.sendKeys('M');
    await s.waitFor(/beta is already in the merge queue \(position 2\)/, { timeoutMs: 10_000 });
    const rm = (await import('node:child_process')).spawnSync(process.execPath, [BIN, 'queue', 'rm', 'beta', '--repo', repo.mainRoot, '--config', configFile], { encoding: 'utf8' });
    assert.equal(rm.status, 0, rm.stderr);
    writeFileSync(release, '');
    await s.waitFor(/behind MAIN by 1/, { timeoutMs: 30_000 });
    s.sendKeys('u');
    await s.waitFor(/rebased onto main [0-9a-f]{7}/, { timeoutMs: 20_000 });
    await s.waitForGone(/behind MAIN by 1/, { timeoutMs: 20_000 });
    assert.equal((await import('node:child_process')).spawnSync('git', ['merge-base', '--is-ancestor', 'main', 'beta'], { cwd: repo.mainRoot }).status, 0, 'beta has MAIN');
  });
});

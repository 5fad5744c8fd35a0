/**
 * MAIN's alarms (issue 13.7): a commit made in MAIN by anything but flower-tui's merge raises an alarm
 * like a direct edit does, flower-tui's own merge does not (and clears it), and both alarms go into
 * the trace. Real git, a real supervisor and merge pipeline.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo } from '../helpers/git-repo.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { readTrace, TraceWriter } from '../../src/core/store/trace.js';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { parseConfig } from '../../src/config/config.js';
import type { MergeResult } from '../../src/core/merge/merge-pipeline.js';

const cleanups = asyncCleanups();

function commit(dir: string, file: string, message: string): string {
  writeFileSync(path.join(dir, file), `${message}\n`);
  git(dir, ['add', '--', file]);
  git(dir, ['commit', '--quiet', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

describe('MAIN alarms', () => {
  test('a direct commit in MAIN raises "HEAD moved" (traced); flower-tui\'s merge does not, and clears it; turning dirty is traced', async () => {
    const repo = makeRepo({ worktrees: ['feat'] });
    cleanups.push(() => repo.cleanup());
    const stateDir = path.join(repo.commonDir, 'flower');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const config = parseConfig({ merge: { strategy: 'no-ff', gate: 'true', health: null }, monitor: { healthEveryMs: 0 } }, 'alarm-test');
    const sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, trace: new TraceWriter(stateDir), pollMs: 0 });
    cleanups.push(() => sup.shutdown());
    const start = git(repo.mainRoot, ['rev-parse', 'HEAD']).trim();
    assert.equal(sup.snapshot().main.headMoved ?? null, null, 'no alarm at first');

    // Someone commits straight into MAIN: no uncommitted change ever shows, but HEAD moved.
    const direct = commit(repo.mainRoot, 'hotfix.txt', 'Hotfix straight in MAIN');
    await sup.refreshGit();
    const moved = sup.snapshot().main.headMoved;
    assert.ok(moved, 'the alarm is raised');
    assert.equal(moved.from, start);
    assert.equal(moved.to, direct);
    assert.equal(moved.subject, 'Hotfix straight in MAIN');
    assert.equal(sup.snapshot().main.changes, 0, 'nothing uncommitted: only HEAD tells');
    const traced = readTrace(stateDir, { action: 'main.head-moved' });
    assert.equal(traced.length, 1);
    assert.deepEqual([traced[0]!.details?.from, traced[0]!.details?.to, traced[0]!.outcome], [start, direct, 'alarm']);
    await sup.refreshGit();
    assert.equal(readTrace(stateDir, { action: 'main.head-moved' }).length, 1, 'traced once, not at every read');

    // flower-tui's own merge moves HEAD too: that is no alarm, and MAIN is ours again.
    commit(repo.worktreePaths.feat!, 'feature.txt', 'Add feature');
    const r = (await sup.dispatch({ type: 'merge', worktree: 'feat' }, 'operator')) as MergeResult;
    assert.equal(r.outcome, 'merged', r.message);
    assert.equal(sup.snapshot().main.headMoved ?? null, null, 'the merge cleared the alarm');
    assert.equal(readTrace(stateDir, { action: 'main.head-moved' }).length, 1, 'the merge raised none');

    // An edit in MAIN: the dirty alarm, traced when it starts.
    writeFileSync(path.join(repo.mainRoot, 'README.md'), 'edited in production\n');
    await sup.refreshGit();
    assert.equal(sup.snapshot().main.changes, 1);
    const dirty = readTrace(stateDir, { action: 'main.dirty' });
    assert.equal(dirty.length, 1);
    assert.deepEqual(dirty[0]!.details?.changed, [' M README.md']);
  });
});

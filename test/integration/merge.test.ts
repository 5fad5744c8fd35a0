/**
 * The merge pipeline's fault matrix, with real git in temp dirs: `runMerge` called directly, and the
 * built CLI (`flower-tui merge LANE --yes`) for exit codes, one-line messages and the trace.
 *
 * Every case checks MAIN afterwards — HEAD, index, working tree (a hash of every file, untracked
 * ones included) and no merge left in progress — and that the lane's branch lost no commit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, makeRepo, type TestRepo, head, commitFiles as commit, treeHash } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';
import { runMerge, type MergeProgress, type MergeResult, type MergeSettings } from '../../src/core/merge/merge-pipeline.js';
import { flagPaths, previewMerge } from '../../src/core/merge/merge-preview.js';
import { readMainStatus, locateRepo } from '../../src/core/git/repo.js';
import { readTrace, TraceWriter, type TraceEntry } from '../../src/core/store/trace.js';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { parseConfig } from '../../src/config/config.js';
import { cleanupsAfterAll } from '../helpers/cleanups.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');

const cleanups = cleanupsAfterAll();

// ---- harness -------------------------------------------------------------------------------

function settings(over: Partial<MergeSettings> = {}): MergeSettings {
  return { strategy: 'no-ff', gate: null, gateTimeoutMs: 60_000, health: null, healthTimeoutMs: 60_000, baseline: true, flagged: [], ...over };
}

interface Lane {
  repo: TestRepo;
  lanePath: string;
  stateDir: string;
  /** MAIN's HEAD when the lane forked. */
  fork: string;
}

/** A repository with lane `feat` (no commits yet) and the state dir the lock lives in. */
function setup(lanes: string[] = ['feat']): Lane {
  const repo = makeRepo({ worktrees: lanes });
  cleanups.push(() => repo.cleanup());
  const stateDir = path.join(repo.commonDir, 'flower');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  return { repo, lanePath: repo.worktreePaths[lanes[0]!]!, stateDir, fork: head(repo.mainRoot) };
}

interface MainState {
  head: string;
  branch: string;
  status: string;
  cached: string;
  unstaged: string;
  files: string;
  inProgress: string[];
}

/** MAIN as a whole: where HEAD is, what the index and working tree hold, any merge left half-done. */
function mainState(repo: TestRepo): MainState {
  const r = repo.mainRoot;
  return {
    head: head(r),
    branch: git(r, ['symbolic-ref', '--short', 'HEAD']).trim(),
    status: git(r, ['status', '--porcelain', '--untracked-files=all']),
    cached: git(r, ['diff', '--cached']),
    unstaged: git(r, ['diff']),
    files: treeHash(r),
    inProgress: ['MERGE_HEAD', 'MERGE_MSG', 'SQUASH_MSG', 'CHERRY_PICK_HEAD'].filter((f) => existsSync(path.join(repo.commonDir, f))),
  };
}

function assertMainUntouched(repo: TestRepo, before: MainState, why: string): void {
  assert.deepEqual(mainState(repo), before, `MAIN byte-for-byte as before (${why})`);
}

/** MAIN merged cleanly: clean status, nothing staged, no merge in progress. */
function assertMainClean(repo: TestRepo, why: string): void {
  const s = mainState(repo);
  assert.equal(s.status, '', `MAIN clean after ${why}`);
  assert.equal(s.cached, '', `nothing staged after ${why}`);
  assert.deepEqual(s.inProgress, [], `no merge left in progress after ${why}`);
  assert.equal(s.branch, 'main', `MAIN still on its branch after ${why}`);
}

/** The lane's branch still points at its tip and holds every one of its commits. */
function assertLaneKeeps(repo: TestRepo, branch: string, tip: string, commits: string[]): void {
  assert.equal(head(repo.mainRoot, branch), tip, `${branch} still at its tip`);
  for (const c of commits) assert.equal(spawnSync('git', ['merge-base', '--is-ancestor', c, branch], { cwd: repo.mainRoot }).status, 0, `${c} still on ${branch}`);
}

function isAncestor(repo: TestRepo, a: string, b: string): boolean {
  return spawnSync('git', ['merge-base', '--is-ancestor', a, b], { cwd: repo.mainRoot }).status === 0;
}

interface Run {
  result: MergeResult;
  steps: MergeProgress[];
  ms: number;
}

async function merge(l: Lane, over: Partial<MergeSettings> = {}, extra: { signal?: AbortSignal; commitMessage?: string; onProgress?: (p: MergeProgress) => void; lane?: string } = {}): Promise<Run> {
  const steps: MergeProgress[] = [];
  const name = extra.lane ?? 'feat';
  const started = Date.now();
  const result = await runMerge({
    mainRoot: l.repo.mainRoot,
    mainBranch: 'main',
    stateDir: l.stateDir,
    worktree: { name, path: l.repo.worktreePaths[name]!, branch: name },
    settings: settings(over),
    onProgress: (p) => {
      steps.push(p);
      extra.onProgress?.(p);
    },
    signal: extra.signal,
    commitMessage: extra.commitMessage,
  });
  return { result, steps, ms: Date.now() - started };
}

/** "step:status" of the steps that finished (not the running ones), in order. */
function finished(steps: MergeProgress[]): string[] {
  return steps.filter((s) => s.status !== 'running').map((s) => `${s.step}:${s.status}`);
}

function describeRun(r: Run): string {
  return `${r.result.outcome}: ${r.result.message}\n${r.steps.map((s) => `  ${s.step} ${s.status} ${s.line ?? ''}`).join('\n')}`;
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A gate that waits (at most ~30 s) for a file to appear: the test decides when it ends. */
function waitForFileGate(file: string, then = 'true'): string {
  return `i=0; while [ ! -f ${shq(file)} ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; ${then}`;
}

// ---- clean merges --------------------------------------------------------------------------

describe('merge: clean merges', () => {
  test('ff-only with 3 commits: MAIN fast-forwards to the lane tip, clean, nothing lost', async () => {
    const l = setup();
    const commits = [commit(l.lanePath, { 'one.txt': '1\n' }, 'One'), commit(l.lanePath, { 'two.txt': '2\n' }, 'Two'), commit(l.lanePath, { 'app.txt': 'version 2\n' }, 'Three')];
    const r = await merge(l, { strategy: 'ff-only' });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.equal(r.result.preMerge, l.fork, 'preMerge is the recorded commit before the merge');
    assert.equal(r.result.postMerge, commits[2], 'postMerge is the lane tip');
    assert.equal(head(l.repo.mainRoot), commits[2], 'MAIN at the lane tip');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'utf8'), 'version 2\n', 'MAIN working tree updated');
    assertMainClean(l.repo, 'ff-only');
    assertLaneKeeps(l.repo, 'feat', commits[2]!, commits);
    assert.match(r.result.message, new RegExp(`^merged feat into main: ${l.fork.slice(0, 7)} → ${commits[2]!.slice(0, 7)}$`));
    assert.deepEqual(finished(r.steps), ['preconditions:ok', 'gate:skipped', 'merge:ok', 'health:skipped', 'done:ok']);
    assert.deepEqual(r.result.preview?.commits.map((c) => c.split(' ').slice(1).join(' ')), ['One', 'Two', 'Three'], 'preview lists the commits oldest first');
  });

  test('no-ff: one merge commit whose parents are MAIN and the lane tip; MAIN moved meanwhile is fine', async () => {
    const l = setup();
    const a = commit(l.lanePath, { 'feature.txt': 'feature\n' }, 'Add feature');
    const b = commit(l.lanePath, { 'feature.txt': 'feature v2\n' }, 'Improve feature');
    const moved = commit(l.repo.mainRoot, { 'README.md': '# test repo, moved\n' }, 'MAIN moves on');
    const r = await merge(l, { strategy: 'no-ff' });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.equal(r.result.preMerge, moved);
    const post = head(l.repo.mainRoot);
    assert.equal(r.result.postMerge, post);
    assert.deepEqual(git(l.repo.mainRoot, ['rev-list', '--parents', '-n', '1', 'HEAD']).trim().split(' ').slice(1), [moved, b], 'parents: MAIN before, lane tip');
    assert.equal(git(l.repo.mainRoot, ['log', '-1', '--format=%s']).trim(), 'Merge feat (2 commits) via flower-tui');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'feature.txt'), 'utf8'), 'feature v2\n');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'README.md'), 'utf8'), '# test repo, moved\n', "MAIN's own change kept");
    assertMainClean(l.repo, 'no-ff');
    assertLaneKeeps(l.repo, 'feat', b, [a, b]);
    assert.equal(r.result.preview?.mainMoved, true);
    assert.equal(r.result.preview?.behind, 1);
  });

  test("squash: exactly one new commit on MAIN whose tree equals the lane's", async () => {
    const l = setup();
    const commits = [commit(l.lanePath, { 'a.txt': 'a\n' }, 'Add a'), commit(l.lanePath, { 'b.txt': 'b\n', 'app.txt': 'version 3\n' }, 'Add b')];
    const r = await merge(l, { strategy: 'squash' });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    const post = head(l.repo.mainRoot);
    assert.equal(r.result.postMerge, post);
    assert.deepEqual(git(l.repo.mainRoot, ['rev-list', '--parents', '-n', '1', 'HEAD']).trim().split(' ').slice(1), [l.fork], 'one commit, single parent: the old MAIN');
    assert.equal(git(l.repo.mainRoot, ['rev-list', '--count', `${l.fork}..HEAD`]).trim(), '1', 'exactly one new commit');
    assert.equal(head(l.repo.mainRoot, 'HEAD^{tree}'), head(l.repo.mainRoot, 'feat^{tree}'), "tree equals the lane's");
    const body = git(l.repo.mainRoot, ['log', '-1', '--format=%B']);
    assert.match(body, /^Merge feat \(2 commits\) via flower-tui/);
    assert.match(body, /\* [0-9a-f]{7,} Add a\n\* [0-9a-f]{7,} Add b/, 'the squashed commits are listed');
    assert.equal(isAncestor(l.repo, commits[0]!, 'main'), false, 'squash: lane commits are not in MAIN history');
    assertMainClean(l.repo, 'squash');
    assertLaneKeeps(l.repo, 'feat', commits[1]!, commits);
  });
});

// ---- conflicts and failing merges ------------------------------------------------------------

describe('merge: conflicts and the abort path', () => {
  test('predicted conflict: MAIN edited the same line after the fork → conflict, MAIN byte-for-byte as before', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'app.txt': 'version 2 from the lane\n', 'other.txt': 'x\n' }, 'Lane edits app');
    commit(l.repo.mainRoot, { 'app.txt': 'version 2 hotfix\n' }, 'Hotfix on MAIN');
    const before = mainState(l.repo);
    const r = await merge(l, { gate: 'echo gate must not run; exit 1', health: 'false' });
    assert.equal(r.result.outcome, 'conflict', describeRun(r));
    assert.deepEqual(r.result.conflicts, ['app.txt'], 'the conflicting files are listed');
    assert.match(r.result.message, /^conflict: app\.txt \(merge MAIN into the lane and resolve there\)$/);
    assert.equal(r.result.preMerge, null, 'nothing was merged');
    assert.deepEqual(r.result.preview?.conflicts, ['app.txt']);
    assert.ok(!r.steps.some((s) => s.step === 'gate' || s.step === 'merge'), 'no gate or merge step ran');
    assertMainUntouched(l.repo, before, 'predicted conflict');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('a conflict the prediction misses (MAIN moves during the gate): the real merge aborts, MAIN clean at its pre-merge commit', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'app.txt': 'version 2 from the lane\n' }, 'Lane edits app');
    // The gate commits a conflicting change straight into MAIN: the preview (before the gate) saw none.
    const gate = `cd ${shq(l.repo.mainRoot)} && echo 'version 2 hotfix' > app.txt && git commit -q -am 'Hotfix during the gate'`;
    const r = await merge(l, { gate });
    assert.deepEqual(r.result.preview?.conflicts, [], 'the prediction saw no conflict');
    assert.equal(r.result.outcome, 'conflict', describeRun(r));
    assert.deepEqual(r.result.conflicts, ['app.txt']);
    assert.match(r.result.message, /^conflict: app\.txt — MAIN untouched$/);
    const hotfix = head(l.repo.mainRoot);
    assert.equal(r.result.preMerge, hotfix, 'preMerge: the commit the merge started from');
    assert.equal(r.result.postMerge, null);
    assert.equal(git(l.repo.mainRoot, ['log', '-1', '--format=%s']).trim(), 'Hotfix during the gate');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'utf8'), 'version 2 hotfix\n', 'no conflict markers left');
    assertMainClean(l.repo, 'aborted conflict');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
    assert.ok(r.steps.some((s) => s.step === 'merge' && s.status === 'failed' && /conflict: app\.txt/.test(s.line ?? '')), describeRun(r));
  });

  test('squash: a conflict the prediction misses leaves no conflict markers and no unmerged index entries', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'app.txt': 'version 2 from the lane\n', 'b.txt': 'b\n' }, 'Lane edits app');
    const gate = `cd ${shq(l.repo.mainRoot)} && echo 'version 2 hotfix' > app.txt && git commit -q -am 'Hotfix during the gate'`;
    const r = await merge(l, { strategy: 'squash', gate });
    assert.equal(r.result.outcome, 'conflict', describeRun(r));
    assert.deepEqual(r.result.conflicts, ['app.txt']);
    assert.equal(git(l.repo.mainRoot, ['log', '-1', '--format=%s']).trim(), 'Hotfix during the gate');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'utf8'), 'version 2 hotfix\n', 'no conflict markers left');
    assert.equal(existsSync(path.join(l.repo.mainRoot, 'b.txt')), false, "the lane's other file is not left staged");
    assert.equal(git(l.repo.mainRoot, ['ls-files', '--unmerged']), '', 'no unmerged index entries');
    const s = mainState(l.repo);
    assert.equal(s.status, '', 'MAIN clean');
    assert.equal(s.cached, '', 'nothing staged');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('the real merge fails after updating the index (a pre-merge-commit hook refuses): aborted, MAIN byte-for-byte as before', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'feature\n', 'app.txt': 'version 2\n' }, 'Add feature');
    commit(l.repo.mainRoot, { 'README.md': '# moved\n' }, 'MAIN moves'); // a true merge, so the hook runs
    const hook = path.join(l.repo.commonDir, 'hooks', 'pre-merge-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\necho "hook says no" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'no-ff', health: 'false' });
    assert.notEqual(r.result.outcome, 'merged', describeRun(r));
    assert.match(r.result.message, /^merge failed: .* — MAIN untouched$/);
    assert.deepEqual(r.result.conflicts, []);
    assertMainUntouched(l.repo, before, 'failed merge aborted');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
    assert.ok(!r.steps.some((s) => s.step === 'health'), 'no health check after a failed merge');
  });

  test('ff-only when MAIN moves during the gate: the fast-forward fails, MAIN untouched', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const r = await merge(l, { strategy: 'ff-only', gate: `cd ${shq(l.repo.mainRoot)} && echo more >> README.md && git commit -q -am 'MAIN moves during the gate'` });
    assert.notEqual(r.result.outcome, 'merged', describeRun(r));
    assert.match(r.result.message, /MAIN untouched/);
    assert.equal(git(l.repo.mainRoot, ['log', '-1', '--format=%s']).trim(), 'MAIN moves during the gate', 'MAIN at the commit it had');
    assertMainClean(l.repo, 'failed fast-forward');
    assert.equal(existsSync(path.join(l.repo.mainRoot, 'feature.txt')), false);
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('an untracked file in MAIN that the lane would overwrite: the merge fails, the file and MAIN are kept', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'new.txt': 'from the lane\n' }, 'Add new.txt');
    writeFileSync(path.join(l.repo.mainRoot, 'new.txt'), 'operator notes, untracked\n');
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'no-ff' });
    assert.notEqual(r.result.outcome, 'merged', describeRun(r));
    assert.match(r.result.message, /MAIN untouched/);
    assertMainUntouched(l.repo, before, 'untracked file in the way');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'new.txt'), 'utf8'), 'operator notes, untracked\n');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test(
    'a merge that fails for another reason than a conflict says why, and is not called a conflict',
    async () => {
      const l = setup();
      commit(l.lanePath, { 'new.txt': 'from the lane\n' }, 'Add new.txt');
      writeFileSync(path.join(l.repo.mainRoot, 'new.txt'), 'operator notes, untracked\n');
      const r = await merge(l, { strategy: 'no-ff' });
      assert.match(r.result.message, /new\.txt|untracked/, `the message names the cause: ${r.result.message}`);
      assert.equal(r.result.outcome, 'refused', 'no conflict happened');
    },
  );

  test('squash whose commit fails (the lane only repeats what MAIN has): MAIN reset to its pre-merge commit', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'x.txt': 'same\n' }, 'Lane adds x');
    commit(l.repo.mainRoot, { 'x.txt': 'same\n' }, 'MAIN adds the same x');
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'squash' });
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.match(r.result.message, /^squash commit failed: .*— MAIN untouched$/);
    const s = mainState(l.repo);
    assert.deepEqual({ ...s, inProgress: [] }, { ...before, inProgress: [] }, 'MAIN HEAD, index and files as before');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test(
    'a failed squash commit says why (git prints "nothing to commit" on stdout)',
    async () => {
      const l = setup();
      commit(l.lanePath, { 'x.txt': 'same\n' }, 'Lane adds x');
      commit(l.repo.mainRoot, { 'x.txt': 'same\n' }, 'MAIN adds the same x');
      const r = await merge(l, { strategy: 'squash' });
      assert.match(r.result.message, /squash commit failed: \S.* — MAIN untouched/, `a reason in: ${r.result.message}`);
      assert.deepEqual(mainState(l.repo).inProgress, [], 'no SQUASH_MSG left behind');
    },
  );
});

// ---- gate ----------------------------------------------------------------------------------

describe('merge: gate', () => {
  test('gate failure: the message carries the first error line, not the noise after it', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const gate = 'echo "> test"; echo "Error: Cannot find module ./db" >&2; echo "    at Module._load (node:internal/modules:1:2)" >&2; echo "" >&2; echo "Node.js v20.20.2" >&2; exit 1';
    const r = await merge(l, { gate, health: 'true' });
    assert.equal(r.result.outcome, 'gate-failed', describeRun(r));
    assert.equal(r.result.message, 'gate failed (exit 1): MAIN untouched — Error: Cannot find module ./db');
  });

  test('gate failure: MAIN untouched, the message carries the exit code and the last output line', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const lines: string[] = [];
    const r = await merge(l, { gate: 'echo running tests; echo "2 tests failed" >&2; exit 3', health: 'true' }, { onProgress: (p) => p.step === 'gate' && p.line && lines.push(p.line) });
    assert.equal(r.result.outcome, 'gate-failed', describeRun(r));
    assert.equal(r.result.message, 'gate failed (exit 3): MAIN untouched — 2 tests failed');
    assert.ok(lines.includes('running tests') && lines.includes('2 tests failed'), `gate output streamed: ${JSON.stringify(lines)}`);
    assert.equal(r.result.preMerge, null);
    assertMainUntouched(l.repo, before, 'gate failed');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
    assert.ok(!r.steps.some((s) => s.step === 'merge'), 'no merge step');
  });

  test('gate runs in the worktree, on exactly the commit that is merged', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const r = await merge(l, { gate: 'test -f feature.txt && git rev-parse HEAD' });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.ok(r.steps.some((s) => s.step === 'gate' && s.line === tip), 'the gate saw the lane tip');
    assert.ok(isAncestor(l.repo, tip, 'main'), 'the tested commit is in MAIN');
  });

  test('gate timeout: gate-failed "timed out", MAIN untouched, back promptly', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const r = await merge(l, { gate: 'exec sleep 30', gateTimeoutMs: 1500 });
    assert.equal(r.result.outcome, 'gate-failed', describeRun(r));
    assert.match(r.result.message, /^gate failed \(timed out after 2 s\): MAIN untouched$/);
    assert.ok(r.ms < 15_000, `returned after ${r.ms} ms`);
    assertMainUntouched(l.repo, before, 'gate timed out');
  });

  test(
    'gate timeout kills what the gate started (a shell running a child): back within the timeout, not when the child ends',
    async () => {
      const l = setup();
      commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
      const before = mainState(l.repo);
      const r = await merge(l, { gate: 'echo started; sleep 10; echo never', gateTimeoutMs: 1000 });
      assert.equal(r.result.outcome, 'gate-failed', describeRun(r));
      assertMainUntouched(l.repo, before, 'gate timed out');
      assert.ok(r.ms < 7000, `the 1 s timeout took ${r.ms} ms`);
    },
  );

  test('an agent commits in the worktree during the gate → refused "changed while the gate ran", MAIN untouched', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const r = await merge(l, { gate: "echo more > extra.txt && git add extra.txt && git commit -q -m 'Agent kept working'" });
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.match(r.result.message, /^feat changed while the gate ran \(new commits\): run the merge again$/);
    assertMainUntouched(l.repo, before, 'lane moved during the gate');
    assert.equal(git(l.repo.mainRoot, ['rev-list', '--count', `${tip}..feat`]).trim(), '1', "the agent's commit is on the lane");
    assertLaneKeeps(l.repo, 'feat', head(l.repo.mainRoot, 'feat'), [tip]);
  });

  test('the test writes into the worktree while the gate waits → refused (uncommitted changes), MAIN untouched', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const go = path.join(l.repo.dir, 'gate-go');
    const before = mainState(l.repo);
    let gateRunning = false;
    const p = merge(l, { gate: waitForFileGate(go) }, { onProgress: (s) => s.step === 'gate' && s.status === 'running' && (gateRunning = true) });
    await waitUntil(() => gateRunning, { what: 'the gate to start' });
    writeFileSync(path.join(l.lanePath, 'wip.txt'), 'agent at work\n');
    writeFileSync(go, '');
    const r = await p;
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.match(r.result.message, /^feat changed while the gate ran \(uncommitted changes\)/);
    assertMainUntouched(l.repo, before, 'worktree written during the gate');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('cancellation during the gate (AbortController): cancelled, MAIN untouched', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const ac = new AbortController();
    let gateRunning = false;
    const p = merge(l, { gate: 'exec sleep 30', health: 'true' }, { signal: ac.signal, onProgress: (s) => s.step === 'gate' && s.status === 'running' && (gateRunning = true) });
    await waitUntil(() => gateRunning, { what: 'the gate to start' });
    ac.abort();
    const r = await p;
    assert.equal(r.result.outcome, 'cancelled', describeRun(r));
    assert.equal(r.result.message, 'cancelled before the merge: MAIN untouched');
    assert.ok(r.ms < 15_000, `cancel took effect after ${r.ms} ms`);
    assert.ok(r.steps.some((s) => s.step === 'gate' && s.status === 'failed' && s.line === 'cancelled'), describeRun(r));
    assertMainUntouched(l.repo, before, 'cancelled');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test(
    'cancellation stops a gate whose shell has a child at once',
    async () => {
      const l = setup();
      commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
      const ac = new AbortController();
      let gateRunning = false;
      const p = merge(l, { gate: 'echo started; sleep 10; echo never' }, { signal: ac.signal, onProgress: (s) => s.step === 'gate' && s.status === 'running' && (gateRunning = true) });
      await waitUntil(() => gateRunning, { what: 'the gate to start' });
      const t = Date.now();
      ac.abort();
      const r = await p;
      assert.equal(r.result.outcome, 'cancelled', describeRun(r));
      assert.ok(Date.now() - t < 5000, `cancel took ${Date.now() - t} ms`);
    },
  );
});

// ---- health and rollback -------------------------------------------------------------------

describe('merge: health check and rollback', () => {
  test('health fails after a 3-commit fast-forward → rolled back to the recorded commit (not HEAD~1), lane keeps its commits', async () => {
    const l = setup();
    const commits = [commit(l.lanePath, { 'one.txt': '1\n' }, 'One'), commit(l.lanePath, { 'two.txt': '2\n' }, 'Two'), commit(l.lanePath, { 'app.txt': 'BROKEN\n' }, 'Break app')];
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'ff-only', health: 'echo checking app; ! grep -q BROKEN app.txt' });
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assert.equal(r.result.preMerge, l.fork);
    assert.equal(r.result.postMerge, commits[2], 'the merge did happen');
    assert.match(r.result.message, new RegExp(`^health failed \\(exit 1\\), rolled back to ${l.fork.slice(0, 7)} — checking app$`));
    assert.notEqual(l.fork, commits[1], 'HEAD~1 of the merged MAIN would be the lane commit Two');
    assertMainUntouched(l.repo, before, 'rolled back');
    assertLaneKeeps(l.repo, 'feat', commits[2]!, commits);
    assert.deepEqual(finished(r.steps), ['preconditions:ok', 'baseline:ok', 'gate:skipped', 'merge:ok', 'health:failed', 'rollback:ok']);
  });

  test('health fails after a no-ff merge → rolled back, no merge commit left on MAIN', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'app.txt': 'BROKEN\n' }, 'Break app');
    const moved = commit(l.repo.mainRoot, { 'README.md': '# moved\n' }, 'MAIN moves');
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'no-ff', health: '! grep -q BROKEN app.txt' });
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assert.equal(r.result.preMerge, moved);
    assertMainUntouched(l.repo, before, 'rolled back');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('health timeout counts as a failure and rolls back', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    // Healthy before the merge (no feature.txt yet), hangs after it.
    const r = await merge(l, { health: 'if [ -f feature.txt ]; then exec sleep 30; fi', healthTimeoutMs: 1500 });
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assert.match(r.result.message, /^health failed \(timed out after 2 s\), rolled back to/);
    assertMainUntouched(l.repo, before, 'rolled back after a health timeout');
  });

  test('baseline already failing: health fails before and after → no rollback, merged, and the steps say so', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const r = await merge(l, { health: 'echo "db unreachable"; exit 2' });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.equal(head(l.repo.mainRoot), r.result.postMerge, 'MAIN keeps the merge');
    assert.ok(isAncestor(l.repo, tip, 'main'), 'the lane is in MAIN');
    assertMainClean(l.repo, 'merge with a failing baseline');
    assert.ok(r.steps.some((s) => s.step === 'baseline' && s.status === 'failed' && /already failing/.test(s.line ?? '')), describeRun(r));
    assert.ok(r.steps.some((s) => s.step === 'health' && s.status === 'failed' && /exit 2, as before the merge: not rolled back/.test(s.line ?? '')), describeRun(r));
    assert.ok(!r.steps.some((s) => s.step === 'rollback'), 'no rollback');
  });

  test(
    "baseline already failing: the result's one-line message says health is still failing",
    async () => {
      const l = setup();
      commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
      const r = await merge(l, { health: 'exit 2' });
      assert.equal(r.result.outcome, 'merged');
      assert.match(r.result.message, /health/, `the message mentions the failing health check: ${r.result.message}`);
    },
  );

  /**
   * The operator (or anyone) edits MAIN while the health check runs; the check then fails. Health
   * waits for a file the test creates right after its edit, so the edit is surely made "during".
   */
  async function editDuringHealth(l: Lane, edit: () => void): Promise<Run> {
    const go = path.join(l.repo.dir, 'go');
    let edited = false;
    return merge(
      l,
      // Healthy before the merge (no feature.txt: the baseline passes); after it, fails once told to.
      { health: `if [ -f feature.txt ]; then ${waitForFileGate(go, 'exit 1')}; fi` },
      {
        onProgress: (p) => {
          if (p.step === 'health' && p.status === 'running' && !edited) {
            edited = true;
            edit();
            writeFileSync(go, '');
          }
        },
      },
    );
  }

  const rescuedRefs = (repo: TestRepo) => repo.git(['for-each-ref', '--format=%(refname)', 'refs/flower/rescued/']).split('\n').filter(Boolean);

  test('MAIN edited during the health check: the edit is saved under refs/flower/rescued, the rollback keeps it (re-applied), and the steps say so', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const r = await editDuringHealth(l, () => appendFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'edit\n'));
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assert.equal(head(l.repo.mainRoot), before.head, 'rolled back to the pre-merge commit');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'utf8'), 'version 1\nedit\n', 'the edit made in MAIN is still there');
    assert.equal(existsSync(path.join(l.repo.mainRoot, 'feature.txt')), false, 'the merge itself is gone');
    const refs = rescuedRefs(l.repo);
    assert.equal(refs.length, 1, 'one rescue ref');
    assert.equal(l.repo.git(['show', `${refs[0]}:app.txt`]), 'version 1\nedit\n', 'the ref holds the edit too');
    assert.match(r.result.message, /uncommitted edits \(app\.txt\) were re-applied/, r.result.message);
    assert.ok(r.steps.some((s) => s.step === 'rollback' && /edited during the health check \(app\.txt\): saved as refs\/flower\/rescued\//.test(s.line ?? '')), describeRun(r));
    assert.ok(r.steps.some((s) => s.step === 'rollback' && s.status === 'ok' && s.line?.includes(refs[0]!)), 'the final rollback line (traced) names the ref');
    assert.deepEqual(l.repo.git(['status', '--porcelain']).split('\n').filter(Boolean), [' M app.txt'], 'MAIN is dirty again: the dirty alarm shows it');
    assert.deepEqual(r.result.rescued, { ref: refs[0], paths: ['app.txt'], reapplied: true });
  });

  test('MAIN edited during the health check in a file the merge brought: kept in the rescue ref, MAIN rolled back clean (no conflict markers)', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const r = await editDuringHealth(l, () => appendFileSync(path.join(l.repo.mainRoot, 'feature.txt'), 'edited in MAIN\n'));
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assertMainUntouched(l.repo, before, 'rolled back clean');
    const refs = rescuedRefs(l.repo);
    assert.equal(refs.length, 1);
    assert.equal(l.repo.git(['show', `${refs[0]}:feature.txt`]), 'f\nedited in MAIN\n', 'the edit is kept in the ref');
    assert.match(r.result.message, new RegExp(`do not apply to the rolled-back MAIN: they are kept in ${refs[0]}`), r.result.message);
  });

  test('baseline off: a health check failing before and after still rolls back', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const before = mainState(l.repo);
    const r = await merge(l, { health: 'exit 2', baseline: false });
    assert.equal(r.result.outcome, 'health-failed', describeRun(r));
    assert.ok(!r.steps.some((s) => s.step === 'baseline'), 'no baseline step');
    assertMainUntouched(l.repo, before, 'rolled back');
  });
});

// ---- preconditions -------------------------------------------------------------------------

describe('merge: preconditions', () => {
  test('dirty MAIN (tracked change, and a staged one) → refused, the edit is kept as it was', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    writeFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'edited in production\n');
    const before = mainState(l.repo);
    const r = await merge(l);
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.equal(r.result.message, 'MAIN has uncommitted changes (app.txt): someone edited production directly — resolve that first');
    assertMainUntouched(l.repo, before, 'dirty MAIN refused');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
    // Staged only.
    writeFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'version 1\n');
    writeFileSync(path.join(l.repo.mainRoot, 'staged.txt'), 'staged\n');
    git(l.repo.mainRoot, ['add', 'staged.txt']);
    const staged = mainState(l.repo);
    const r2 = await merge(l);
    assert.equal(r2.result.outcome, 'refused', describeRun(r2));
    assert.match(r2.result.message, /^MAIN has uncommitted changes \(staged\.txt\)/);
    assertMainUntouched(l.repo, staged, 'staged change refused');
  });

  test('an untracked file in MAIN: the monitor lists it, the merge is not blocked and keeps it', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    writeFileSync(path.join(l.repo.mainRoot, 'notes.txt'), 'scratch\n');
    const st = await readMainStatus(l.repo.mainRoot);
    assert.ok(st.changed.includes('?? notes.txt'), `the dirty alarm lists it: ${JSON.stringify(st.changed)}`);
    const r = await merge(l);
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.deepEqual(r.result.preview?.dirtyMain, [], 'untracked files are no blocker');
    assert.ok(isAncestor(l.repo, tip, 'main'));
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'notes.txt'), 'utf8'), 'scratch\n', 'the untracked file is kept');
    assert.equal(git(l.repo.mainRoot, ['status', '--porcelain']), '?? notes.txt\n');
  });

  test('dirty worktree → refused; with commitMessage it commits first, then merges', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    writeFileSync(path.join(l.lanePath, 'wip.txt'), 'half done\n');
    writeFileSync(path.join(l.lanePath, 'feature.txt'), 'f2\n');
    const before = mainState(l.repo);
    const r = await merge(l);
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.match(r.result.message, /^feat has uncommitted changes \((feature\.txt, wip\.txt|wip\.txt, feature\.txt)\): commit them first$/);
    assertMainUntouched(l.repo, before, 'dirty worktree refused');
    assert.equal(readFileSync(path.join(l.lanePath, 'wip.txt'), 'utf8'), 'half done\n', "the lane's work is untouched");

    const r2 = await merge(l, {}, { commitMessage: 'WIP before merging' });
    assert.equal(r2.result.outcome, 'merged', describeRun(r2));
    assert.ok(r2.steps.some((s) => s.line === "committed the worktree's changes: WIP before merging"), describeRun(r2));
    assert.equal(git(l.lanePath, ['log', '-1', '--format=%s']).trim(), 'WIP before merging');
    assert.equal(git(l.lanePath, ['status', '--porcelain']), '', 'the lane is clean');
    assert.ok(isAncestor(l.repo, tip, 'main') && isAncestor(l.repo, 'feat', 'main'), 'both commits are in MAIN');
    assert.equal(readFileSync(path.join(l.repo.mainRoot, 'wip.txt'), 'utf8'), 'half done\n');
    assertMainClean(l.repo, 'commit-then-merge');
  });

  test('nothing to merge → refused', async () => {
    const l = setup();
    const before = mainState(l.repo);
    const r = await merge(l, { gate: 'exit 1' });
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.equal(r.result.message, 'feat has nothing to merge: no commits ahead of MAIN');
    assertMainUntouched(l.repo, before, 'nothing to merge');
  });

  test('ff-only when MAIN moved since the fork → refused before anything runs', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    commit(l.repo.mainRoot, { 'README.md': '# moved\n' }, 'MAIN moves');
    const before = mainState(l.repo);
    const r = await merge(l, { strategy: 'ff-only', gate: 'exit 1' });
    assert.equal(r.result.outcome, 'refused', describeRun(r));
    assert.match(r.result.message, /^MAIN moved since feat forked: a fast-forward is impossible/);
    assert.equal(r.result.preview?.ffPossible, false);
    assertMainUntouched(l.repo, before, 'ff impossible');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
  });

  test('flagged paths: picomatch globs over the files the merge brings', async () => {
    const l = setup();
    commit(l.lanePath, { 'database/migrations/001_init.sql': 'create\n', 'database/migrations/2024/002_more.sql': 'alter\n', 'database/seed.sql': 's\n', 'src/app.ts': 'x\n', '.env.example': 'A=1\n' }, 'Schema');
    const flagged = [
      { pattern: 'database/migrations/**', message: 'run the migrations by hand' },
      { pattern: '.env*', message: 'new settings' },
      { pattern: 'docs/**', message: 'never matches' },
    ];
    const p = await previewMerge({ mainRoot: l.repo.mainRoot, mainBranch: 'main', worktree: { name: 'feat', path: l.lanePath, branch: 'feat' }, strategy: 'no-ff', flagged });
    assert.deepEqual(p.flagged, [
      { pattern: 'database/migrations/**', message: 'run the migrations by hand', files: ['database/migrations/001_init.sql', 'database/migrations/2024/002_more.sql'] },
      { pattern: '.env*', message: 'new settings', files: ['.env.example'] },
    ]);
    assert.equal(p.files.length, 5);
    assert.deepEqual(p.conflicts, []);
    assert.deepEqual(flagPaths(['a/b.ts', 'b.ts'], [{ pattern: '*.ts', message: 'm' }]), [{ pattern: '*.ts', message: 'm', files: ['b.ts'] }], '* is one segment');
    // Flags are information, not blockers.
    const r = await merge(l, { flagged });
    assert.equal(r.result.outcome, 'merged', describeRun(r));
    assert.equal(r.result.preview?.flagged.length, 2);
  });

  test('two runMerge calls at once: one merges, the other is locked by this pid; MAIN gets the merge once', async () => {
    const l = setup();
    const tip = commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const [a, b] = await Promise.all([merge(l, { gate: 'sleep 0.5' }), merge(l, { gate: 'sleep 0.5' })]);
    const outcomes = [a.result.outcome, b.result.outcome].sort();
    assert.deepEqual(outcomes, ['locked', 'merged'], `${describeRun(a)}\n${describeRun(b)}`);
    const locked = a.result.outcome === 'locked' ? a : b;
    assert.equal(locked.result.message, `locked by pid ${process.pid}: another merge is running`);
    assert.deepEqual(locked.steps, [], 'the locked one did nothing');
    assert.equal(git(l.repo.mainRoot, ['rev-list', '--count', '--merges', `${l.fork}..main`]).trim(), '1', 'one merge commit');
    assertMainClean(l.repo, 'concurrent merges');
    assertLaneKeeps(l.repo, 'feat', tip, [tip]);
    // The lock is released: a third merge is not locked (it has nothing left to merge).
    const c = await merge(l);
    assert.equal(c.result.outcome, 'refused', describeRun(c));
    assert.equal(existsSync(path.join(l.stateDir, 'merge.pid')), false, 'pid file removed with the lock');
  });
});

// ---- the coordinator (through a supervisor) ------------------------------------------------------

describe('merge: coordinator', () => {
  test('cancel through the supervisor during the gate; every step and the outcome are in the trace', async () => {
    const l = setup();
    commit(l.lanePath, { 'feature.txt': 'f\n' }, 'Add feature');
    const config = parseConfig({ merge: { gate: 'exec sleep 30', health: 'true' }, monitor: { healthEveryMs: 0 } }, 'merge-test');
    const sup = await Supervisor.open({ repo: await locateRepo(l.repo.mainRoot), config, trace: new TraceWriter(l.stateDir), pollMs: 0 });
    cleanups.push(() => sup.shutdown());
    const before = mainState(l.repo);
    const running = sup.dispatch({ type: 'merge', worktree: 'feat' }, 'operator') as Promise<MergeResult>;
    await waitUntil(() => sup.snapshot().merge?.steps.some((s) => s.step === 'gate' && s.status === 'running'), { what: 'the gate running in the merge view' });
    assert.equal(sup.snapshot().merge?.running, true);
    assert.deepEqual(await sup.dispatch({ type: 'cancelMerge' }, 'operator'), { cancelled: true });
    const r = await running;
    assert.equal(r.outcome, 'cancelled', r.message);
    const view = sup.snapshot().merge!;
    assert.equal(view.running, false);
    assert.equal(view.result?.outcome, 'cancelled');
    assert.equal(view.offerRemoval, false);
    assert.ok(view.lines.some((x) => x === '[gate] cancelled'), JSON.stringify(view.lines));
    assertMainUntouched(l.repo, before, 'cancelled via the supervisor');
    const trace = readTrace(l.stateDir).filter((e) => e.action.startsWith('merge'));
    assert.deepEqual(
      trace.map((e) => `${e.action}:${e.outcome}`),
      ['merge:started', 'merge.preconditions:ok', 'merge.gate:failed', 'merge:cancelled'],
    );
    assert.equal(trace.at(-1)?.actor, 'operator');
    assert.deepEqual(trace.at(-1)?.details?.preMerge, null);
    // Nothing to cancel any more.
    assert.deepEqual(await sup.dispatch({ type: 'cancelMerge' }, 'operator'), { cancelled: false });
    await sup.dispatch({ type: 'dismissMerge' }, 'operator');
    assert.equal(sup.snapshot().merge, null, 'dismissed');
    await sup.shutdown();
  });
});

// ---- through the CLI -------------------------------------------------------------------------

function cli(repo: TestRepo, args: string[], config?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--repo', repo.mainRoot, ...(config ? ['--config', config] : [])], { encoding: 'utf8', timeout: 90_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lastMerge(trace: TraceEntry[], lane: string): TraceEntry | undefined {
  return trace.filter((e) => e.action === 'merge' && e.target === lane && e.outcome !== 'started').at(-1);
}

describe('merge: the CLI (exit codes, one-line messages, the trace)', () => {
  const lanes = ['feat', 'clash', 'gated', 'sick', 'idle', 'collide'];
  let l: Lane;
  let config: string;

  test('setup: a repository with one lane per outcome', () => {
    l = setup(lanes);
    config = path.join(l.repo.dir, 'flower.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        merge: { strategy: 'no-ff', gate: '! test -f gate-fails.txt', health: '! grep -q BROKEN app.txt', healthTimeoutMs: 20_000, gateTimeoutMs: 20_000 },
        monitor: { healthEveryMs: 0 },
      }),
    );
    cleanups.push(() => void cli(l.repo, ['server', 'stop']));
    const p = l.repo.worktreePaths;
    commit(p.feat!, { 'feature.txt': 'feature\n' }, 'Add feature');
    commit(p.clash!, { 'README.md': '# the lane says\n' }, 'Lane rewrites README');
    commit(p.gated!, { 'gate-fails.txt': 'x\n' }, 'Breaks the tests');
    commit(p.sick!, { 'app.txt': 'BROKEN\n' }, 'Breaks production');
    commit(p.collide!, { 'new.txt': 'lane\n' }, 'Add new.txt');
    commit(l.repo.mainRoot, { 'README.md': '# MAIN says\n' }, 'MAIN rewrites README');
  });

  test('merged → exit 0 and the one-line result; the trace has every step and the final commit ids', () => {
    const before = head(l.repo.mainRoot);
    const r = cli(l.repo, ['merge', 'feat', '--yes'], config);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const post = head(l.repo.mainRoot);
    assert.notEqual(post, before);
    const out = r.stdout.trim().split('\n');
    assert.equal(out.at(-1), `merged feat into main: ${before.slice(0, 7)} → ${post.slice(0, 7)}`);
    assert.match(r.stdout, /^merge feat \(feat [0-9a-f]{7}\) into main \([0-9a-f]{7}\), strategy no-ff$/m, 'the preview first');
    assert.match(r.stdout, /\[gate\] \$ ! test -f gate-fails\.txt/, 'progress lines streamed');
    assert.equal(r.stderr, '');
    assertMainClean(l.repo, 'CLI merge');
    const trace = readTrace(l.stateDir).filter((e) => e.target === 'feat' && e.action.startsWith('merge'));
    assert.deepEqual(
      trace.map((e) => `${e.action}:${e.outcome}`),
      ['merge:started', 'merge.preconditions:ok', 'merge.gate:ok', 'merge.merge:ok', 'merge.health:ok', 'merge.done:ok', 'merge:merged'],
    );
    assert.ok(trace.every((e) => e.actor === 'cli'), 'recorded as the cli');
    const final = trace.at(-1)!;
    assert.equal(final.details?.preMerge, before);
    assert.equal(final.details?.postMerge, post);
    assert.equal(final.details?.message, out.at(-1));
  });

  test('conflict → exit 5, one line on stderr, MAIN untouched', () => {
    const before = mainState(l.repo);
    const r = cli(l.repo, ['merge', 'clash', '--yes'], config);
    assert.equal(r.status, 5, r.stderr + r.stdout);
    assert.equal(r.stderr, 'flower-tui: conflict: README.md (merge MAIN into the lane and resolve there)\n');
    assert.match(r.stdout, /CONFLICTS predicted in: README\.md/);
    assertMainUntouched(l.repo, before, 'CLI conflict');
    assert.deepEqual(lastMerge(readTrace(l.stateDir), 'clash')?.details?.conflicts, ['README.md']);
  });

  test('gate failed → exit 6, MAIN untouched', () => {
    const before = mainState(l.repo);
    const r = cli(l.repo, ['merge', 'gated', '--yes'], config);
    assert.equal(r.status, 6, r.stderr + r.stdout);
    assert.equal(r.stderr, 'flower-tui: gate failed (exit 1): MAIN untouched\n');
    assertMainUntouched(l.repo, before, 'CLI gate failure');
    assert.equal(lastMerge(readTrace(l.stateDir), 'gated')?.outcome, 'gate-failed');
  });

  test('health failed → rolled back, exit 7; the trace has the rollback and both commit ids', () => {
    const before = mainState(l.repo);
    const r = cli(l.repo, ['merge', 'sick', '--yes'], config);
    assert.equal(r.status, 7, r.stderr + r.stdout);
    assert.equal(r.stderr, `flower-tui: health failed (exit 1), rolled back to ${before.head.slice(0, 7)}\n`);
    assertMainUntouched(l.repo, before, 'CLI rollback');
    const trace = readTrace(l.stateDir).filter((e) => e.target === 'sick' && e.action.startsWith('merge'));
    assert.ok(trace.some((e) => e.action === 'merge.rollback' && e.outcome === 'ok'), trace.map((e) => e.action).join(' '));
    const final = lastMerge(trace, 'sick')!;
    assert.equal(final.outcome, 'health-failed');
    assert.equal(final.details?.preMerge, before.head);
    assert.match(String(final.details?.postMerge), /^[0-9a-f]{40}$/);
    assert.notEqual(final.details?.postMerge, before.head);
  });

  test('nothing to merge → refused, exit 1; dirty MAIN → refused, exit 1', () => {
    const r = cli(l.repo, ['merge', 'idle', '--yes'], config);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.equal(r.stderr, 'flower-tui: idle has nothing to merge: no commits ahead of MAIN\n');
    // Without --yes (no terminal to ask on) the answer is the same, not "pass --yes".
    const noYes = cli(l.repo, ['merge', 'idle'], config);
    assert.equal(noYes.status, 1, noYes.stderr + noYes.stdout);
    assert.equal(noYes.stderr, 'flower-tui: idle has nothing to merge: no commits ahead of MAIN\n');
    writeFileSync(path.join(l.repo.mainRoot, 'app.txt'), 'hot edit\n');
    const before = mainState(l.repo);
    const d = cli(l.repo, ['merge', 'feat', '--yes'], config);
    assert.equal(d.status, 1, d.stderr + d.stdout);
    assert.match(d.stderr, /^flower-tui: MAIN has uncommitted changes \(app\.txt\): someone edited production directly — resolve that first\n$/);
    assertMainUntouched(l.repo, before, 'CLI dirty MAIN');
    git(l.repo.mainRoot, ['checkout', '--', 'app.txt']);
  });

  test('a merge while another process holds the lock → exit 1, "locked by pid N"', async () => {
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { acquireMergeLock } from ${JSON.stringify(path.join(ROOT, 'dist', 'core', 'merge', 'merge-lock.js'))};
         const release = await acquireMergeLock(${JSON.stringify(l.stateDir)});
         process.stdout.write('held\\n');
         process.on('SIGTERM', async () => { await release(); process.exit(0); });
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => void (holder.exitCode === null && holder.kill('SIGKILL')));
    let out = '';
    holder.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitUntil(() => out.includes('held'), { timeoutMs: 15_000, what: 'the other process to hold the lock' });
    const before = mainState(l.repo);
    const r = cli(l.repo, ['merge', 'collide', '--yes'], config);
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.equal(r.stderr, `flower-tui: locked by pid ${holder.pid}: another merge is running\n`);
    assertMainUntouched(l.repo, before, 'locked');
    assert.equal(lastMerge(readTrace(l.stateDir), 'collide')?.outcome, 'locked');
    const exited = new Promise((res) => holder.once('exit', res));
    holder.kill('SIGTERM');
    await exited;
  });

  test(
    'a failed merge that is not a conflict: the exit code agrees with the outcome in --json',
    () => {
      writeFileSync(path.join(l.repo.mainRoot, 'new.txt'), 'untracked in MAIN\n');
      const before = mainState(l.repo);
      const r = cli(l.repo, ['merge', 'collide', '--yes', '--json'], config);
      assertMainUntouched(l.repo, before, 'failed merge');
      rmSync(path.join(l.repo.mainRoot, 'new.txt'));
      const json = JSON.parse(r.stdout) as MergeResult;
      const EXIT: Record<string, number> = { merged: 0, refused: 1, locked: 1, cancelled: 1, conflict: 5, 'gate-failed': 6, 'health-failed': 7 };
      assert.equal(r.status, EXIT[json.outcome], `outcome ${json.outcome}, exit ${r.status}: ${r.stderr}`);
    },
  );

  test('stop the server: nothing left running', async () => {
    const st = cli(l.repo, ['status', '--json']);
    assert.equal(st.status, 0, st.stderr);
    const pid = (JSON.parse(st.stdout) as { server: { pid: number } }).server.pid;
    const r = cli(l.repo, ['server', 'stop']);
    assert.equal(r.status, 0, r.stderr);
    await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 15_000, what: 'the server to exit' });
    assert.equal(cli(l.repo, ['status']).status, 3, 'no server left');
  });
});


// The supervisor notices git changes through file events, not a poll: real repositories, real git,
// a safety poll of ten minutes (so anything seen within seconds was seen by watching). Every git
// process this test file starts goes through a logging wrapper put first on PATH, so "an idle
// supervisor runs no git" is counted, not timed.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { parseConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { GitWatcher } from '../../src/core/git/git-watcher.js';
import { makeRepo, makeTempDir, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';

const SAFETY_POLL_MS = 600_000;
/** Generous for a loaded 2-core machine; the debounce is 200 ms and a refresh takes tens of ms. */
const NOTICE_MS = 3000;

let gitLog = '';
const cleanups: (() => void)[] = [];
const supervisors = new Set<Supervisor>();

before(() => {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = makeTempDir('flower-gitwrap-');
  gitLog = path.join(bin, 'calls.log');
  writeFileSync(gitLog, '');
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
});

after(async () => {
  for (const s of supervisors) await s.shutdown().catch(() => {});
  for (const c of cleanups) c();
});

/** git processes started so far (by anyone in this process: the supervisor and the test's own helpers). */
const gitCalls = () => readFileSync(gitLog, 'utf8').split('\n').filter((l) => l !== '');

async function open(repo: TestRepo, opts: { pollMs?: number; gitPollMs?: number } = {}): Promise<Supervisor> {
  const config = parseConfig({ monitor: { gitPollMs: opts.gitPollMs ?? SAFETY_POLL_MS } }, 'git-watch-test');
  const sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, pollMs: opts.pollMs });
  supervisors.add(sup);
  return sup;
}

function fresh(worktrees: string[] = []): TestRepo {
  const r = makeRepo({ worktrees });
  cleanups.push(r.cleanup);
  return r;
}

/** Wait for `cond` on the supervisor's snapshot; returns how long it took. */
async function noticed(sup: Supervisor, cond: (s: ReturnType<Supervisor['snapshot']>) => boolean, what: string): Promise<number> {
  const t0 = Date.now();
  await waitUntil(() => cond(sup.snapshot()), { timeoutMs: NOTICE_MS, what: () => `${what}; snapshot: ${JSON.stringify({ main: sup.snapshot().main, worktrees: sup.snapshot().worktrees.map((w) => [w.name, w.lane?.ahead, w.lane?.dirty]) })}` });
  return Date.now() - t0;
}

/** Let the startup refresh and any events it caused settle. */
async function settle(sup: Supervisor): Promise<void> {
  let last = -1;
  await waitUntil(
    async () => {
      const n = sup.gitReads;
      await sleep(700);
      const quiet = n === last && sup.gitReads === n;
      last = sup.gitReads;
      return quiet;
    },
    { timeoutMs: 10_000, intervalMs: 0, what: 'git refreshes to settle' },
  );
}

describe('git changes are noticed by watching, without a poll', () => {
  test('a commit made in MAIN', async () => {
    const repo = fresh();
    const sup = await open(repo);
    await settle(sup);
    writeFileSync(path.join(repo.mainRoot, 'app.txt'), 'version 2\n');
    repo.git(['commit', '--quiet', '-am', 'Bump to version 2']);
    await noticed(sup, (s) => s.main.subject === 'Bump to version 2' && s.main.changes === 0, 'the new commit in MAIN');
  });

  test('a file edited in MAIN raises the dirty alarm, also deep in a directory created by a commit', async () => {
    const repo = fresh();
    const sup = await open(repo);
    await settle(sup);
    writeFileSync(path.join(repo.mainRoot, 'app.txt'), 'edited in MAIN directly\n');
    await noticed(sup, (s) => s.main.changed.includes(' M app.txt'), 'app.txt dirty');
    repo.git(['checkout', '--quiet', '--', 'app.txt']);
    await noticed(sup, (s) => s.main.changes === 0, 'MAIN clean again');
    // A directory that arrives with a commit is watched from then on.
    mkdirSync(path.join(repo.mainRoot, 'src', 'deep'), { recursive: true });
    writeFileSync(path.join(repo.mainRoot, 'src', 'deep', 'mod.ts'), 'export {};\n');
    repo.git(['add', 'src']);
    repo.git(['commit', '--quiet', '-m', 'Add src/deep']);
    await noticed(sup, (s) => s.main.subject === 'Add src/deep' && s.main.changes === 0, 'the commit adding src/deep');
    writeFileSync(path.join(repo.mainRoot, 'src', 'deep', 'mod.ts'), 'export const x = 1;\n');
    await noticed(sup, (s) => s.main.changed.includes(' M src/deep/mod.ts'), 'src/deep/mod.ts dirty');
  });

  test('a directory deleted and restored (a checkout) is watched again; a file made tracked with add -f counts', async () => {
    const repo = fresh();
    mkdirSync(path.join(repo.mainRoot, 'src'));
    writeFileSync(path.join(repo.mainRoot, 'src', 'a.ts'), 'a\n');
    writeFileSync(path.join(repo.mainRoot, '.gitignore'), 'debug.log\n');
    repo.git(['add', '.']);
    repo.git(['commit', '--quiet', '-m', 'src and an ignore']);
    const sup = await open(repo);
    await settle(sup);
    rmSync(path.join(repo.mainRoot, 'src'), { recursive: true });
    await noticed(sup, (s) => s.main.changed.includes(' D src/a.ts'), 'src/a.ts deleted');
    repo.git(['checkout', '--quiet', '--', 'src']);
    await noticed(sup, (s) => s.main.changes === 0, 'src restored');
    await settle(sup);
    writeFileSync(path.join(repo.mainRoot, 'src', 'a.ts'), 'edited\n');
    await noticed(sup, (s) => s.main.changed.includes(' M src/a.ts'), 'an edit in the restored src');
    repo.git(['checkout', '--quiet', '--', 'src']);
    // An ignored file is learnt as such…
    writeFileSync(path.join(repo.mainRoot, 'debug.log'), 'x\n');
    await noticed(sup, (s) => s.main.changes === 0, 'clean (debug.log is ignored)');
    await settle(sup);
    // …until it is force-added and committed: then its edits are changes.
    repo.git(['add', '-f', 'debug.log']);
    repo.git(['commit', '--quiet', '-m', 'track the log']);
    await noticed(sup, (s) => s.main.subject === 'track the log', 'the commit tracking debug.log');
    await settle(sup);
    writeFileSync(path.join(repo.mainRoot, 'debug.log'), 'y\n');
    await noticed(sup, (s) => s.main.changed.includes(' M debug.log'), 'an edit to the now tracked debug.log');
  });

  test('a worktree added and removed with plain git', async () => {
    const repo = fresh();
    const sup = await open(repo);
    await settle(sup);
    const p = path.join(repo.dir, 'repo-outside');
    repo.git(['worktree', 'add', '--quiet', '-b', 'outside', p]);
    await noticed(sup, (s) => s.worktrees.some((w) => w.name === 'outside'), 'the added worktree');
    repo.git(['worktree', 'remove', p]);
    await noticed(sup, (s) => !s.worktrees.some((w) => w.name === 'outside'), 'the removed worktree gone');
  });

  test("a lane's edits and commits: dirty, then ahead of MAIN; a branch made elsewhere moves behind", async () => {
    const repo = fresh(['wt']);
    const sup = await open(repo);
    await settle(sup);
    const wt = repo.worktreePaths.wt!;
    const lane = () => sup.snapshot().worktrees.find((w) => w.name === 'wt')?.lane;
    writeFileSync(path.join(wt, 'app.txt'), 'lane work\n');
    await noticed(sup, () => lane()?.dirty === 1, 'the lane dirty');
    repo.git(['commit', '--quiet', '-am', 'Lane work'], wt);
    await noticed(sup, () => lane()?.dirty === 0 && lane()?.ahead === 1, 'the lane clean and ahead');
    // MAIN's branch moves (a merge elsewhere): the lane is behind.
    writeFileSync(path.join(repo.mainRoot, 'README.md'), '# moved\n');
    repo.git(['commit', '--quiet', '-am', 'Main moves']);
    await noticed(sup, () => lane()?.behind === 1, 'the lane behind');
    // A branch ref changed with no checkout anywhere (update-ref writes refs/heads only).
    repo.git(['update-ref', 'refs/heads/wt', 'HEAD']);
    await noticed(sup, () => lane()?.ahead === 0 && lane()?.behind === 0, 'the lane moved by update-ref');
  });
});

describe('an idle supervisor costs nothing', () => {
  test('no git process runs while nothing changes, and its own reads do not wake it', async () => {
    const repo = fresh(['a', 'b']);
    const sup = await open(repo);
    await settle(sup);
    const before = gitCalls().length;
    const reads = sup.gitReads;
    await sleep(4000); // longer than the old poll (3 s) and than the debounce and gap together
    assert.deepEqual(gitCalls().slice(before), [], 'git commands run by an idle supervisor');
    assert.equal(sup.gitReads, reads);
    // A refresh of our own (the refresh key): exactly one read, no echo from the files it touched.
    await sup.dispatch({ type: 'refreshWorktrees' });
    assert.equal(sup.gitReads, reads + 1);
    await sleep(2500);
    assert.equal(sup.gitReads, reads + 1, 'our own read caused another');
    assert.ok(gitCalls().slice(before).every((c) => !/^(status|update-index)\b/.test(c)), 'status runs without optional locks');
  });

  test('a log written in MAIN that git ignores is checked once, then costs nothing', async () => {
    const repo = fresh();
    writeFileSync(path.join(repo.mainRoot, '.gitignore'), 'server.log\n');
    repo.git(['add', '.gitignore']);
    repo.git(['commit', '--quiet', '-m', 'Ignore the log']);
    const sup = await open(repo);
    await settle(sup);
    const reads = sup.gitReads;
    const log = path.join(repo.mainRoot, 'server.log');
    appendFileSync(log, 'start\n');
    await waitUntil(() => gitCalls().some((c) => c.startsWith('--no-optional-locks check-ignore')), { timeoutMs: NOTICE_MS, what: 'the log checked against .gitignore' });
    await sleep(2500);
    const after = gitCalls().length;
    for (let i = 0; i < 20; i++) {
      appendFileSync(log, `line ${i}\n`);
      await sleep(50);
    }
    await sleep(2500);
    assert.equal(sup.gitReads, reads, 'an ignored file caused a refresh');
    assert.deepEqual(gitCalls().slice(after), [], 'an ignored file ran git again');
    // An edit that matters still counts.
    writeFileSync(path.join(repo.mainRoot, 'app.txt'), 'edited\n');
    await noticed(sup, (s) => s.main.changes === 1, 'app.txt dirty');
  });

  test('the safety poll is a few stats: git is read only when a watched directory changed, or every 10th check', async () => {
    const repo = fresh(['a']);
    const sup = await open(repo, { gitPollMs: 250 });
    // Line up with a full read: the next is 10 checks (2.5 s or more) later.
    const r0 = sup.gitReads;
    await waitUntil(() => sup.gitReads > r0, { timeoutMs: 8000, intervalMs: 5, what: 'a full read' });
    let n = -1;
    await waitUntil(async () => n === (n = gitCalls().length) || (await sleep(150), false), { timeoutMs: 5000, intervalMs: 0, what: 'its git processes done' });
    const reads = sup.gitReads;
    const before = gitCalls().length;
    await sleep(900); // a few checks: none reads git
    assert.equal(sup.gitReads, reads, 'a safety check that found nothing read git');
    assert.deepEqual(gitCalls().slice(before), []);
    await waitUntil(() => sup.gitReads > reads, { timeoutMs: 8000, what: 'the full read every 10th check' });
  });

  test('pollMs 0: no automatic refresh at all', async () => {
    const repo = fresh();
    const sup = await open(repo, { pollMs: 0 });
    const reads = sup.gitReads;
    writeFileSync(path.join(repo.mainRoot, 'app.txt'), 'edited\n');
    await sleep(1500);
    assert.equal(sup.gitReads, reads);
    assert.equal(sup.snapshot().main.changes, 0);
    await sup.dispatch({ type: 'refreshWorktrees' });
    assert.equal(sup.snapshot().main.changes, 1);
  });
});

describe('GitWatcher limits', () => {
  test('more directories than allowed: it says so (the supervisor then polls at the old cadence)', async () => {
    const repo = fresh();
    for (const d of ['a', 'b', 'c']) {
      mkdirSync(path.join(repo.mainRoot, d));
      writeFileSync(path.join(repo.mainRoot, d, 'f'), d);
    }
    repo.git(['add', '.']);
    repo.git(['commit', '--quiet', '-m', 'dirs']);
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const loc = await locateRepo(repo.mainRoot);
    const small = new GitWatcher({ commonDir: loc.commonDir, refresh: async () => {}, maxMainDirs: 2 });
    const big = new GitWatcher({ commonDir: loc.commonDir, refresh: async () => {} });
    try {
      await small.update([{ root: loc.mainRoot, head, isMain: true }]);
      await big.update([{ root: loc.mainRoot, head, isMain: true }]);
      assert.equal(small.complete, false);
      assert.equal(big.complete, true);
      for (const d of ['', 'a', 'b', 'c']) assert.ok(big.watchedDirs.includes(path.join(loc.mainRoot, d)), `watches ${d || 'the root'}`);
      assert.ok(big.watchedDirs.includes(path.join(loc.commonDir, 'refs', 'heads')), 'watches refs/heads');
      assert.ok(existsSync(path.join(loc.commonDir, 'HEAD')));
      // What the safety poll checks: a commit renames files into watched directories.
      big.markBaseline();
      assert.equal(big.changedSinceBaseline(), false);
      writeFileSync(path.join(loc.mainRoot, 'a', 'f'), 'changed in place\n');
      assert.equal(big.changedSinceBaseline(), false, 'an edit in place does not change a directory');
      repo.git(['commit', '--quiet', '-am', 'a changed']);
      assert.equal(big.changedSinceBaseline(), true, 'a commit does');
    } finally {
      small.close();
      big.close();
    }
  });
});

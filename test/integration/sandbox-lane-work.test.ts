/**
 * A lane's normal work inside the sandbox (edit, commit, amend, branch, rebase onto MAIN's branch,
 * stash, worktree list, npm install of a local package, its tests), and the fallbacks: bwrap not
 * on PATH (auto runs unsandboxed and says why; required refuses with the fix).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentEnv, fingerprintMain, sandboxLab } from '../helpers/sandbox-lab.js';
import { makeTempDir } from '../helpers/git-repo.js';
import { probeBwrap } from '../../src/core/sandbox/bwrap-probe.js';

const bwrap = probeBwrap(process.env.PATH);

describe('a lane at work under bwrap', { skip: bwrap.ok ? false : 'bubblewrap unusable here' }, () => {
  test('edit, commit, amend, branch, rebase onto main, stash, worktree list, npm install, npm test', async () => {
    const lab = await sandboxLab();
    try {
      const { repo, lane } = lab;
      // MAIN moves on (as a merge of another lane would), so the rebase has something to do.
      writeFileSync(path.join(repo.mainRoot, 'main-only.txt'), 'merged elsewhere\n');
      repo.git(['add', 'main-only.txt']);
      repo.git(['commit', '--quiet', '-m', 'Merged elsewhere']);
      // A local package and a project using it: npm install works offline.
      mkdirSync(path.join(lane, 'localpkg'));
      writeFileSync(path.join(lane, 'localpkg', 'package.json'), JSON.stringify({ name: 'localpkg', version: '1.0.0', main: 'index.js' }));
      writeFileSync(path.join(lane, 'localpkg', 'index.js'), 'module.exports = 42;\n');
      writeFileSync(path.join(lane, 'package.json'), JSON.stringify({ name: 'lane', version: '1.0.0', private: true, scripts: { test: "node -e \"process.exit(require('localpkg') === 42 ? 0 : 1)\"" } }));
      const before = fingerprintMain(repo);
      const end = await lab.runScript(
        'lane-a',
        [
          'set -e',
          'echo a > f.txt && git add f.txt && git commit --quiet -m one',
          'git commit --quiet --amend -m one-amended',
          'git branch side',
          'git rebase --quiet main',
          'echo c >> f.txt && git stash --quiet && git stash pop --quiet',
          'git commit --quiet -am two',
          'git worktree list > worktrees.txt',
          'npm install --offline --no-audit --no-fund ./localpkg > npm.log 2>&1',
          'npm test >> npm.log 2>&1',
          'echo ALL-OK > done.txt',
        ].join('\n'),
      );
      assert.equal(end.sandbox, 'bwrap');
      assert.deepEqual(end.state, { kind: 'exited', code: 0, signal: null }, lab.screenText(end.id) + '\n' + readIf(path.join(lane, 'npm.log')));
      assert.equal(readFileSync(path.join(lane, 'done.txt'), 'utf8'), 'ALL-OK\n');
      assert.deepEqual(repo.git(['log', '--format=%s', 'lane-a']).trim().split('\n').slice(0, 3), ['two', 'one-amended', 'Merged elsewhere']);
      assert.ok(repo.git(['branch', '--list', 'side']).includes('side'));
      assert.match(readFileSync(path.join(lane, 'worktrees.txt'), 'utf8'), /repo-lane-b/);
      assert.equal(fingerprintMain(repo), before, 'MAIN untouched by all of it');
    } finally {
      await lab.close();
    }
  });
});

function readIf(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

describe('without bubblewrap', () => {
  // A PATH with no bwrap on it (the agents' programs are absolute paths).
  const noBwrapPath = () => makeTempDir('flower-nobwrap-');

  test('auto: the agent runs unsandboxed, and says why and how to fix it', async () => {
    const lab = await sandboxLab({ env: agentEnv({ PATH: noBwrapPath() }) });
    try {
      const end = await lab.runScript('lane-a', 'echo unsandboxed-ran');
      assert.equal(end.sandbox, 'none');
      assert.equal(end.sandboxReason, 'bubblewrap (bwrap) is not installed');
      assert.deepEqual(end.state, { kind: 'exited', code: 0, signal: null });
      assert.match(lab.screenText(end.id), /unsandboxed-ran/);
    } finally {
      await lab.close();
    }
  });

  test('required: nothing starts; the agent fails with a one-line error naming the fix', async () => {
    const lab = await sandboxLab({ env: agentEnv({ PATH: noBwrapPath() }), sandbox: { mode: 'required' } });
    try {
      const end = await lab.runScript('lane-a', 'echo must-not-run > ran.txt');
      assert.equal(end.state.kind, 'failed');
      assert.equal(end.pid, null);
      const reason = end.state.kind === 'failed' ? end.state.reason : '';
      assert.equal(reason, 'sandbox required but bubblewrap (bwrap) is not installed: install bubblewrap (apt-get install bubblewrap, or dnf install bubblewrap)');
      assert.match(lab.screenText(end.id), /sandbox required but bubblewrap/);
      assert.throws(() => readFileSync(path.join(lab.lane, 'ran.txt')));
    } finally {
      await lab.close();
    }
  });

  test('off: unsandboxed by the user\'s choice, said so', async () => {
    const lab = await sandboxLab({ sandbox: { mode: 'off' } });
    try {
      const end = await lab.runScript('lane-a', 'true');
      assert.equal(end.sandbox, 'none');
      assert.equal(end.sandboxReason, 'sandbox.mode is "off"');
    } finally {
      await lab.close();
    }
  });
});

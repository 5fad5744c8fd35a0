/**
 * `refresh` of a working agent is queued, and says so (issue 13.7): "queued until idle", the queued
 * state in status (and the pane header), and `refresh --cancel` takes it back. The built CLI, a real
 * server; the agent is test/fixtures/echo-agent.mjs, which is never seen idle (like a shell).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList } from '../helpers/cli.js';
import type { Snapshot } from '../../src/core/types.js';

const cleanup = cleanupList();

test('refresh of a working agent: queued until idle, visible in status, cancelled with --cancel', { timeout: 120_000 }, () => {
  const repo = makeRepo({ worktrees: ['feat'] });
  const config = path.join(repo.dir, 'flower.config.json');
  // An agent that keeps printing is working for as long as the test runs, however slow the machine.
  writeFileSync(config, JSON.stringify({ profiles: { echo: { command: '/bin/sh', args: ['-c', 'while :; do echo busy; sleep 0.2; done'] } } }));
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--repo', repo.mainRoot, '--config', config], { encoding: 'utf8', timeout: 60_000, cwd: repo.dir });
  cleanup(() => repo.cleanup());
  cleanup(() => void run(['server', 'stop']));
  assert.equal(run(['spawn', 'feat', 'echo']).status, 0);
  // Refresh only queues for an agent seen working: wait until flower-tui has seen it print.
  for (let i = 0; i < 100; i++) {
    const s = JSON.parse(run(['status', '--json']).stdout) as Snapshot;
    if (s.agents.find((a) => a.id === 'feat/echo')?.activity === 'working') break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  const q = run(['refresh', 'echo']);
  assert.equal(q.status, 0, q.stderr);
  assert.equal(q.stdout, 'queued until idle: feat/echo is working; it is refreshed as soon as it is idle (cancel: flower-tui refresh --cancel feat/echo)\n');
  const snap = JSON.parse(run(['status', '--json']).stdout) as Snapshot;
  assert.equal(snap.agents.find((a) => a.id === 'feat/echo')?.refreshQueued, true, 'status shows it queued');
  const c = run(['refresh', '--cancel', 'feat/echo']);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout, 'refresh of feat/echo cancelled\n');
  assert.equal((JSON.parse(run(['status', '--json']).stdout) as Snapshot).agents[0]?.refreshQueued, undefined);
  const again = run(['refresh', '--cancel', 'feat/echo']);
  assert.equal(again.status, 2);
  assert.equal(again.stderr, 'flower-tui: no refresh of feat/echo is queued\n');
});

/**
 * Shell completion (issue 13.6): `flower-tui completion` prints a bash (or zsh) script, and completing
 * offers commands, then the running server's agent ids and lane names. The built CLI, a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList } from '../helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const cleanup = cleanupList();

test('completion: the script for bash and zsh; commands, agent ids and lane names from the running server', { timeout: 120_000 }, () => {
  const repo = makeRepo({ worktrees: ['feat'] });
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(config, JSON.stringify({ profiles: { echo: { command: process.execPath, args: [ECHO, '--raw'] } } }));
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd: repo.mainRoot, env });
  cleanup(() => repo.cleanup());
  cleanup(() => void run(['server', 'stop']));
  assert.match(run(['completion'], { ...process.env, SHELL: '/bin/bash' }).stdout, /###-begin-flower-tui-completions-###/);
  assert.match(run(['completion'], { ...process.env, SHELL: '/bin/zsh' }).stdout, /^#compdef flower-tui/);
  const before = run(['--get-yargs-completions', 'kill', '']);
  assert.equal(before.status, 0, before.stderr);
  assert.doesNotMatch(before.stdout, /feat\//, 'no server: no agents (and none is started)');
  assert.equal(run(['status']).status, 3, 'completion started no server');
  assert.match(run(['--get-yargs-completions', '']).stdout, /^spawn$/m, 'commands');
  assert.equal(run(['spawn', 'feat', 'echo', '--name', 'probe', '--config', config]).status, 0);
  assert.match(run(['--get-yargs-completions', 'kill', '']).stdout, /^feat\/probe$/m, 'agent ids');
  assert.match(run(['--get-yargs-completions', 'merge', '']).stdout, /^feat$/m, 'lane names');
  // As shells call it: the program's name first (bash's COMP_WORDS, zsh's $words).
  const asShell = run(['--get-yargs-completions', 'flower-tui', 'kill', '']);
  assert.equal(asShell.status, 0, asShell.stderr);
  assert.equal(asShell.stdout.trim(), 'feat/probe', 'only the agent ids where an agent goes');
  assert.match(run(['--get-yargs-completions', 'flower-tui', 'spawn', 'feat', '']).stdout, /^echo$/m, 'profiles after spawn LANE');
  assert.doesNotMatch(run(['--get-yargs-completions', 'flower-tui', '']).stdout, /^\$0/m, 'the default command is not offered as "$0"');
});

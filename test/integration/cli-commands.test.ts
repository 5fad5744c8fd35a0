/**
 * The built CLI with lazily imported commands: every command's help, and every command's module
 * actually loading — through the bundle (bin/flower-tui.js) and through plain dist/cli, which the
 * launcher falls back to. A command's module is only imported when it runs, so a broken chunk would
 * otherwise show up only when someone first uses that command.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRIES = {
  bundle: path.join(ROOT, 'bin', 'flower-tui.js'),
  dist: path.join(ROOT, 'dist', 'cli', 'main.js'),
};
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(entry: string, args: string[]) {
  return spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, COLUMNS: '100', NODE_ENV: 'production' } });
}

/** Each command and arguments that get it as far as its handler (which imports the command's module). */
const COMMANDS: [string, string[]][] = [
  ['', []],
  ['status', []],
  ['spawn', ['lane', 'shell']],
  ['send', ['lane/agent', 'hello']],
  ['log', []],
  ['worktree', ['ls']],
  ['worktree', ['add', 'x']],
  ['merge', ['lane']],
  ['refresh', ['lane/agent']],
  ['kill', ['lane/agent']],
  ['respawn', ['lane/agent']],
  ['report', ['idle', '--agent', 'lane/agent']],
  ['wait', ['lane/agent', '--for', 'idle']],
  ['server', ['status']],
  ['server', ['stop']],
  ['server', ['run']],
  ['config', ['path']],
  ['config', ['init']],
  ['config', ['check']],
  ['brief', ['ls']],
  ['ready', ['lane']],
  ['queue', []],
  ['queue', ['pause']],
  ['update', ['lane']],
];

describe('CLI commands (built, lazily loaded)', () => {
  test('the build made the bundle the launcher runs', () => {
    assert.ok(existsSync(path.join(ROOT, 'dist', 'bundle', 'main.js')), 'dist/bundle/main.js (npm run build bundles the CLI)');
  });

  for (const [name, entry] of Object.entries(ENTRIES)) {
    test(`${name}: --version and every command's --help`, () => {
      const v = run(entry, ['--version']);
      assert.equal(v.status, 0, v.stderr);
      assert.equal(v.stdout.trim(), VERSION);
      for (const cmd of ['', 'demo', 'status', 'spawn', 'send', 'log', 'worktree', 'merge', 'refresh', 'kill', 'respawn', 'report', 'wait', 'server', 'config', 'brief', 'mcp', 'ready', 'queue', 'update']) {
        const r = run(entry, [...(cmd ? [cmd] : []), '--help']);
        assert.equal(r.status, 0, `${cmd || '(cockpit)'} --help: ${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, cmd ? new RegExp(`^flower-tui ${cmd}\\b`) : /^flower-tui \[--repo DIR\]/, `${cmd} --help`);
        assert.match(r.stdout, /--repo/);
      }
    });

    test(`${name}: every command's module loads and runs (to its own error for a missing repository)`, () => {
      for (const [cmd, args] of COMMANDS) {
        const r = run(entry, [...(cmd ? [cmd] : []), ...args, '--repo', '/nonexistent/flower-tui-test']);
        const label = [cmd || '(cockpit)', ...args].join(' ');
        assert.equal(r.stderr, 'flower-tui: not a directory: /nonexistent/flower-tui-test\n', label);
        assert.equal(r.status, 2, label);
      }
    });
  }

  test('the bundle and dist/cli print the same help', () => {
    for (const cmd of ['', 'worktree', 'server']) {
      const args = [...(cmd ? [cmd] : []), '--help'];
      assert.equal(run(ENTRIES.bundle, args).stdout, run(ENTRIES.dist, args).stdout, `${cmd || '(cockpit)'} --help`);
    }
  });

  test('an unknown command still fails with usage (strict mode)', () => {
    const r = run(ENTRIES.bundle, ['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown argument: frobnicate/);
  });
});

/**
 * An invalid config through the real built CLI: one line naming the file and the field, exit 2, from
 * every command — also those that start the server (validated in the client first, and the server's
 * own failure is its one line, not "the server did not start") and the cockpit. No server is left.
 * `--config FILE` while a server runs: a missing, unreadable or invalid file, or another file than
 * the server's, is exit 2 too, never silently dropped.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList, cli } from '../helpers/cli.js';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';

const cleanup = cleanupList();

function repoWithConfig(text: string): { repo: TestRepo; file: string } {
  const repo = makeRepo();
  cleanup(() => repo.cleanup());
  cleanup(() => cli(repo, ['server', 'stop']));
  const file = path.join(repo.mainRoot, 'flower.config.json');
  writeFileSync(file, text);
  return { repo, file };
}

/** Exit 2 and exactly one line on stderr, naming the file and the field. */
function assertConfigError(r: { status: number | null; stderr: string }, file: string, field: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.ok(lines[0]!.includes(file), `names the file: ${lines[0]}`);
  assert.match(lines[0]!, field);
  assert.doesNotMatch(lines[0]!, /did not start|at .*\.js:\d+/);
}

describe('invalid config: exit 2 and one line, from every command', () => {
  test('a key-binding conflict through commands that start the server, and no server is left', () => {
    const { repo, file } = repoWithConfig('{ "keys": { "next": "n", "newAgent": "n" } }');
    for (const args of [['worktree', 'ls'], ['spawn', 'main', 'shell'], ['merge', 'x', '--yes'], ['kill', 'x/y'], ['worktree', 'add', 'lane']]) {
      assertConfigError(cli(repo, args), file, /keys\.(next|newAgent): "n" is already bound/);
    }
    assert.equal(cli(repo, ['server', 'status']).status, 3, 'no server was started');
  });

  test('a // comment line is fine (JSONC); a syntax error is one line with its line number', () => {
    const { repo, file } = repoWithConfig('// flower-tui\n{ "restore": "off", }\n');
    const ok = cli(repo, ['worktree', 'ls']);
    assert.equal(ok.status, 0, ok.stderr);
    cli(repo, ['server', 'stop']);
    writeFileSync(file, '// flower-tui\n{ "restore": "off" "ui": {} }\n');
    assertConfigError(cli(repo, ['worktree', 'ls']), file, /not valid JSON: .* at line 2/);
  });

  test('the cockpit exits 2 on an invalid config (with a terminal too)', () => {
    const { repo, file } = repoWithConfig('{ "lanes": { "served": { "portRange": [8199, 8100] } } }');
    assertConfigError(cli(repo, []), file, /lanes\.served\.portRange: \[8199, 8100\] is reversed/);
    // Under a real pty (script(1)): the same line and exit code, before anything is drawn.
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} --repo ${repo.mainRoot}`, '/dev/null'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, CI: '' } });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stdout, /portRange: \[8199, 8100\] is reversed/);
  });

  test('`server run` itself: exit 2 with the one line (its log), before taking the lock', () => {
    const { repo, file } = repoWithConfig('{ "monitor": { "gitPollMs": 99999999999 } }');
    const r = cli(repo, ['server', 'run']);
    assertConfigError(r, file, /monitor\.gitPollMs: at most 2147483647 ms/);
  });

  test('the repository\'s own config (<git common dir>/flower/config.json) is validated the same', () => {
    const { repo } = repoWithConfig('{}');
    const own = path.join(repo.commonDir, 'flower', 'config.json');
    mkdirSync(path.dirname(own), { recursive: true });
    writeFileSync(own, '{ "keys": { "kill": "banana" } }');
    assertConfigError(cli(repo, ['spawn', 'main', 'shell']), own, /keys\.kill: "banana" is not a key name/);
  });
});

describe('the server tells its starter why it cannot start', () => {
  test('`server run` with an invalid config sends the one line and code over the IPC channel, then exits 2', async () => {
    const { repo, file } = repoWithConfig('{ "ui": { "scrollback": 1e30 } }');
    const child = spawn(process.execPath, [BIN, 'server', 'run', '--repo', repo.mainRoot], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const messages: unknown[] = [];
    child.on('message', (m) => messages.push(m));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 2, stderr);
    assert.deepEqual(messages, [{ t: 'flower-server-failed', code: 'config-invalid', message: `invalid config ${file}: ui.scrollback: between 100 and 100000` }]);
  });
});

describe('--config FILE', () => {
  test('missing, a FIFO, /dev/zero: exit 2 at once, one line', () => {
    const { repo } = repoWithConfig('{}');
    const fifo = path.join(repo.dir, 'cfg.fifo');
    execFileSync('mkfifo', [fifo]);
    const missing = path.join(repo.dir, 'nope.json');
    assertConfigError(cli(repo, ['--config', missing, 'worktree', 'ls']), missing, /no such file/);
    assertConfigError(cli(repo, ['--config', fifo, 'worktree', 'ls']), fifo, /not a regular file \(a FIFO\)/);
    assertConfigError(cli(repo, ['--config', '/dev/zero', 'spawn', 'main', 'shell']), '/dev/zero', /not a regular file/);
    assert.equal(cli(repo, ['server', 'status']).status, 3, 'no server was started');
  });

  test('while a server runs: another file, or an invalid one, is exit 2 for every command (status too)', () => {
    const { repo, file } = repoWithConfig('{ "restore": "off" }');
    const started = cli(repo, ['worktree', 'ls']);
    assert.equal(started.status, 0, started.stderr);
    const other = path.join(repo.dir, 'other.json');
    writeFileSync(other, '{}');
    for (const args of [['status'], ['worktree', 'ls'], ['spawn', 'main', 'shell']]) {
      const r = cli(repo, ['--config', other, ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^flower-tui: --config ${other}: the running server uses ${file}; stop it first`));
    }
    writeFileSync(other, 'null');
    assertConfigError(cli(repo, ['--config', other, 'status']), other, /\(top level\): expected an object/);
    const same = cli(repo, ['--config', file, 'status']);
    assert.equal(same.status, 0, `the server's own file is fine: ${same.stderr}`);
  });
});

describe('refused up front, before anything is created', () => {
  test('an unknown profile in lanes.agents (config) or --agents: no lane is made', () => {
    const { repo, file } = repoWithConfig('{ "restore": "off", "lanes": { "agents": ["clade"] } }');
    assertConfigError(cli(repo, ['worktree', 'add', 'feat']), file, /lanes\.agents\.0: unknown profile "clade"/);
    writeFileSync(file, '{ "restore": "off" }');
    const r = cli(repo, ['worktree', 'add', 'feat', '--agents', 'shell,banana']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^flower-tui: no profile "banana" \(known: .*\): no lane created\n$/);
    assert.doesNotMatch(repo.git(['worktree', 'list']), /feat/, 'no worktree');
    assert.doesNotMatch(repo.git(['branch', '--list']), /feat/, 'no branch');
  });

  test('send --timeout beyond what a timer holds says the limit (exit 2)', () => {
    const { repo } = repoWithConfig('{ "restore": "off" }');
    const r = cli(repo, ['send', 'x/y', 'hi', '--timeout', '3000000']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--timeout 3000000: seconds, more than 0 and at most 2147483 /);
    assert.equal(cli(repo, ['server', 'status']).status, 3, 'refused before starting a server');
  });
});

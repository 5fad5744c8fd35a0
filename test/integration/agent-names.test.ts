/**
 * Agent names through the built CLI and a real server (issue 13.4, 14.6): names are checked with the
 * lane rules before anything starts, agents are found by unique name or id prefix (as tmux finds its
 * targets), ambiguity lists the candidates, and nothing a user typed reaches the terminal raw.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList } from '../helpers/cli.js';
import { killLeftovers } from '../helpers/processes.js';
import type { Snapshot } from '../../src/core/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const T = { timeout: 180_000 };
const cleanup = cleanupList();

function lab() {
  const repo = makeRepo({ worktrees: ['feat', 'other'] });
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(config, JSON.stringify({ profiles: { echo: { command: process.execPath, args: [ECHO, '--raw'] } } }));
  const run = (args: string[]) => {
    // Options first: after a `--` in args everything is a name. cwd is the test repo, never this project.
    const dd = args.indexOf('--');
    const argv = dd === -1 ? [...args, '--repo', repo.mainRoot, '--config', config] : [...args.slice(0, dd), '--repo', repo.mainRoot, '--config', config, ...args.slice(dd)];
    const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', timeout: 60_000, cwd: repo.dir });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const pids = new Set<number>();
  const status = () => {
    const s = JSON.parse(run(['status', '--json']).stdout) as Snapshot & { server: { pid: number } };
    pids.add(s.server.pid);
    for (const a of s.agents) if (a.pid) pids.add(a.pid);
    return s;
  };
  cleanup(() => repo.cleanup());
  cleanup(() => {
    run(['server', 'stop']);
    killLeftovers(pids);
  });
  return { repo, run, status };
}

const NO_CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;

describe('agent names', () => {
  test('bad names are refused before anything starts, in one line, escaped', T, () => {
    const l = lab();
    assert.equal(l.run(['worktree', 'ls']).status, 0);
    for (const bad of ['', '..', 'a/b', '../../x', 'a\nb', 'E\x1b[2J\x1b[31mRED\x07', 'x'.repeat(300)]) {
      const r = l.run(['spawn', 'feat', 'echo', '--name', bad]);
      assert.equal(r.status, 2, `${JSON.stringify(bad)}: ${r.stderr}`);
      assert.match(r.stderr, /^flower-tui: invalid agent name "[^\n]*": [^\n]+\n$/, JSON.stringify(r.stderr));
      assert.doesNotMatch(r.stderr.slice(0, -1), NO_CONTROL, 'escaped');
    }
    assert.match(l.run(['spawn', 'feat', 'echo', '--name', 'x'.repeat(300)]).stderr, /300 characters long \(at most 63\)/);
    assert.deepEqual(l.status().agents, [], 'nothing was left running');
  });

  test('a unique name and a unique id prefix find the agent; ambiguity lists the candidates', T, () => {
    const l = lab();
    for (const [wt, name] of [['feat', 'probe'], ['feat', 'claude'], ['other', 'claude']]) assert.equal(l.run(['spawn', wt!, 'echo', '--name', name!]).status, 0);
    const sent = l.run(['send', 'probe', 'hello']);
    assert.equal(sent.status, 0, sent.stderr);
    assert.equal(sent.stdout, 'delivered to feat/probe\n');
    const prefix = l.run(['send', 'feat/p', 'hi']);
    assert.equal(prefix.status, 0, prefix.stderr);
    assert.equal(prefix.stdout, 'delivered to feat/probe\n');
    const amb = l.run(['kill', 'claude']);
    assert.equal(amb.status, 1);
    assert.equal(amb.stderr, 'flower-tui: "claude" is ambiguous: it could be feat/claude, other/claude\n');
    const none = l.run(['kill', 'nope']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^flower-tui: no agent "nope" \(agents: feat\/probe, feat\/claude, other\/claude\)\n$/);
    assert.equal(l.status().agents.filter((a) => a.state.kind === 'running').length, 3, 'nothing was killed by a guess');

    // kill by name; a second kill says the agent is not running (exit 1), not "killed" again.
    const k1 = l.run(['kill', 'probe']);
    assert.equal(k1.status, 0, k1.stderr);
    assert.equal(k1.stdout, 'killed feat/probe\n');
    const k2 = l.run(['kill', 'feat/probe']);
    assert.equal(k2.status, 1);
    assert.match(k2.stderr, /^flower-tui: feat\/probe is not running \(killed\): nothing to kill; respawn it, or remove it with x in the cockpit\n$/);
  });

  test('worktree names: `worktree add -- NAME` works, `-rf` is one line, 64 letters are "too long"', T, () => {
    const l = lab();
    assert.equal(l.run(['worktree', 'ls']).status, 0);
    const dd = l.run(['worktree', 'add', '--agents', '', '--', 'after-dashes']);
    assert.equal(dd.status, 0, dd.stderr);
    assert.ok(l.status().worktrees.some((w) => w.name === 'after-dashes'), 'the lane exists');
    const rf = l.run(['worktree', 'add', '-rf']);
    assert.equal(rf.status, 2);
    assert.equal(rf.stderr, 'flower-tui: unknown option -rf (names cannot start with "-") (see flower-tui --help)\n');
    const long = l.run(['worktree', 'add', 'a'.repeat(64)]);
    assert.equal(long.status, 2);
    assert.match(long.stderr, /^flower-tui: invalid worktree name "a{64}": it is 64 characters long \(at most 63\)\n$/);
  });

  test('a hostile worktree name never reaches the terminal raw: not in the error, not in the log', T, () => {
    const l = lab();
    const r = l.run(['spawn', 'E\x1b[2J\x1b[31mRED\x07', 'echo']);
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes('no worktree "E\\x1b[2J\\x1b[31mRED\\x07"'), r.stderr);
    assert.doesNotMatch(r.stderr.slice(0, -1), NO_CONTROL);
    const log = l.run(['log']);
    assert.equal(log.status, 0, log.stderr);
    assert.ok(log.stdout.includes('E\\x1b[2J\\x1b[31mRED\\x07'), log.stdout);
    assert.doesNotMatch(log.stdout.replace(/\n/g, ''), NO_CONTROL);
  });
});

/**
 * `flower-tui log`, the built binary, against a real repository whose trace is written by TraceWriter:
 * human and --json output, every filter, and --follow (new entries appear, rotation is followed,
 * SIGINT ends it). No server is involved: the log reads the files.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { TraceWriter, type TraceEntry } from '../../src/core/store/trace.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');

const repos: TestRepo[] = [];
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const r of repos) r.cleanup();
});

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const HOUR = 3600_000;

/** A repository with a trace: old entries (2 days ago) and recent ones, in time order. */
function repoWithTrace(): { repo: TestRepo; dir: string; writer: TraceWriter; entries: TraceEntry[] } {
  const repo = makeRepo({ worktrees: ['feat', 'feature'] });
  repos.push(repo);
  const dir = path.join(repo.commonDir, 'flower');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const writer = new TraceWriter(dir);
  const entries = [
    writer.append({ ts: ago(48 * HOUR), actor: 'server', action: 'start', target: repo.mainRoot, details: { pid: 1 }, outcome: 'ok' }),
    writer.append({ ts: ago(47 * HOUR), actor: 'server', action: 'spawn', target: 'feat/echo', details: { worktree: 'feat', profile: 'echo', pid: 11, state: 'running' }, outcome: 'ok' }),
    writer.append({ ts: ago(46 * HOUR), actor: 'cli', action: 'send', target: 'feat/echo', details: { chars: 5, preview: 'hello', enter: true }, outcome: 'ok' }),
    writer.append({ ts: ago(40 * 60_000), actor: 'operator', action: 'kill', target: 'feat/echo', outcome: 'ok' }),
    writer.append({ ts: ago(35 * 60_000), actor: 'cli', action: 'spawn', target: 'feature/shell', details: { worktree: 'feature', profile: 'shell', pid: 12 }, outcome: 'ok' }),
    writer.append({ ts: ago(30 * 60_000), actor: 'operator', action: 'respawn', target: 'feat/echo', details: { pid: 13, respawns: 1 }, outcome: 'error', error: 'no agent "feat/echo"' }),
    writer.append({ ts: ago(3 * 60_000), actor: 'server', action: 'state.recover', target: path.join(dir, 'state.json'), details: { movedTo: 'state.json.corrupt-x' }, outcome: 'ok' }),
    writer.append({ ts: ago(60_000), actor: 'server', action: 'restore', target: 'feat/echo', details: { how: 'resume', sessionId: 'abc-123', pid: 14 }, outcome: 'ok' }),
  ];
  return { repo, dir, writer, entries };
}

function log(repo: TestRepo, args: string[]): { status: number | null; stdout: string; stderr: string; lines: string[] } {
  const r = spawnSync(process.execPath, [BIN, 'log', '--repo', repo.mainRoot, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split('\n').filter((l) => l !== '') };
}

/** `log --json …` that must succeed: its entries' lines. */
function jsonLog(repo: TestRepo, args: string[]): string[] {
  const r = log(repo, ['--json', ...args]);
  assert.equal(r.status, 0, `log --json ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.lines;
}

const targets = (lines: string[]) => lines.map((l) => (JSON.parse(l) as TraceEntry).target);
const actions = (lines: string[]) => lines.map((l) => (JSON.parse(l) as TraceEntry).action);

describe('flower-tui log', () => {
  test('human format: one line per entry, oldest first: date time, actor, action, target, outcome, details', () => {
    const { repo, entries } = repoWithTrace();
    const r = log(repo, []);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.lines.length, entries.length);
    const first = r.lines[0]!;
    const e0 = entries[0]!;
    assert.ok(first.startsWith(`${e0.ts.slice(0, 10)} ${e0.ts.slice(11, 19)}  server    start`), `date, time, actor, action: ${first}`);
    assert.ok(first.includes(`${repo.mainRoot}  ok`), `target then outcome: ${first}`);
    assert.match(r.lines[1]!, /spawn\s+feat\/echo\s+ok\s+profile=echo state=running pid=11/);
    assert.match(r.lines[5]!, /respawn\s+feat\/echo\s+error\s+no agent "feat\/echo"/, 'errors are shown');
    assert.match(r.lines[7]!, /restore\s+feat\/echo\s+ok\s+how=resume pid=14 sessionId=abc-123/);
    assert.equal(r.stdout.includes('{'), false, 'no JSON in the human format');
  });

  test('--json: one JSON entry per line, equal to what was written', () => {
    const { repo, entries } = repoWithTrace();
    const r = log(repo, ['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.lines.map((l) => JSON.parse(l) as TraceEntry), entries);
  });

  test('--agent, --worktree, --action', () => {
    const { repo } = repoWithTrace();
    assert.deepEqual(actions(jsonLog(repo, ['--agent', 'feat/echo'])), ['spawn', 'send', 'kill', 'respawn', 'restore']);
    assert.deepEqual(targets(jsonLog(repo, ['--worktree', 'feature'])), ['feature/shell'], '"feature" does not match "feat" and vice versa');
    assert.deepEqual(targets(jsonLog(repo, ['--worktree', 'feat'])), ['feat/echo', 'feat/echo', 'feat/echo', 'feat/echo', 'feat/echo']);
    assert.deepEqual(targets(jsonLog(repo, ['--action', 'spawn'])), ['feat/echo', 'feature/shell']);
    assert.deepEqual(actions(jsonLog(repo, ['--action', 'state'])), ['state.recover']);
  });

  test('--since (relative and absolute) and -n', () => {
    const { repo, entries } = repoWithTrace();
    assert.deepEqual(actions(jsonLog(repo, ['--since', '1h'])), ['kill', 'spawn', 'respawn', 'state.recover', 'restore']);
    // 20m: wide margins either side (3 and 30 minutes old), so a slow machine cannot move an entry across.
    assert.deepEqual(actions(jsonLog(repo, ['--since', '20m'])), ['state.recover', 'restore']);
    assert.equal(jsonLog(repo, ['--since', '3d']).length, entries.length);
    assert.deepEqual(actions(jsonLog(repo, ['--since', entries[2]!.ts])), ['send', 'kill', 'spawn', 'respawn', 'state.recover', 'restore']);
    assert.deepEqual(actions(jsonLog(repo, ['-n', '2'])), ['state.recover', 'restore'], 'the last N, still oldest first');
    assert.deepEqual(actions(jsonLog(repo, ['--limit', '1'])), ['restore']);
    // Combined: filters first, then the last N of what is left.
    assert.deepEqual(actions(jsonLog(repo, ['--agent', 'feat/echo', '--since', '2d', '-n', '2'])), ['respawn', 'restore']);
    assert.equal(log(repo, ['-n', '3']).lines.length, 3, 'human format too');
  });

  test('a bad --since is a one-line usage error (exit 2), no stack', () => {
    const { repo } = repoWithTrace();
    const r = log(repo, ['--since', 'last tuesday-ish']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--since: cannot read "last tuesday-ish"/);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.equal(r.stdout, '');
  });

  test('no trace yet: prints nothing, exits 0', () => {
    const repo = makeRepo();
    repos.push(repo);
    const r = log(repo, []);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(existsSync(path.join(repo.commonDir, 'flower', 'trace.jsonl')), false, 'log never creates the trace');
  });

  test('rotated files are read oldest first; a torn last line is skipped', () => {
    const { repo, dir, entries } = repoWithTrace();
    const w = new TraceWriter(dir, { maxBytes: 1, keep: 5 });
    w.append({ ts: ago(1000), actor: 'cli', action: 'send', target: 'feat/echo', outcome: 'ok' }); // rotates the first 8 to trace.1.jsonl
    assert.ok(existsSync(path.join(dir, 'trace.1.jsonl')), 'rotated');
    appendFileSync(path.join(dir, 'trace.jsonl'), '{"ts":"2026-01-01T00:00:00.000Z","actor":"cli","act');
    const r = log(repo, ['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.lines.length, entries.length + 1, 'every whole entry, the torn one skipped');
    assert.deepEqual(actions(r.lines).slice(-2), ['restore', 'send'], 'the rotated (older) file first');
  });

  test('--follow prints new entries as they are appended (filtered, across a rotation) and exits on SIGINT', { timeout: 90_000 }, async () => {
    const { repo, dir } = repoWithTrace();
    const child = spawn(process.execPath, [BIN, 'log', '--repo', repo.mainRoot, '--follow', '--json', '--worktree', 'feat'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    const printed = () => out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TraceEntry);

    // What was already there comes first (the feat entries).
    await waitUntil(() => printed().length === 5, { timeoutMs: 30_000, what: () => `the existing entries; out: ${out} err: ${err}` });
    // The follower is running from here on; give it a beat to attach its tailer before appending. A
    // lost entry would show as a timeout below (an entry appended before the tailer starts is a known gap).
    await waitUntil(() => existsSync(path.join(dir, 'trace.jsonl')), { what: 'trace file' });
    await new Promise((r) => setTimeout(r, 500));

    const w = new TraceWriter(dir);
    w.append({ actor: 'operator', action: 'send', target: 'feat/echo', details: { preview: 'follow me' }, outcome: 'ok' });
    await waitUntil(() => printed().some((e) => e.details?.preview === 'follow me'), { timeoutMs: 10_000, what: () => `the appended entry; out: ${out}` });
    // Filtered: another worktree's entry is not printed; the next feat one is.
    w.append({ actor: 'operator', action: 'send', target: 'feature/shell', details: { preview: 'not me' }, outcome: 'ok' });
    w.append({ actor: 'operator', action: 'kill', target: 'feat/echo', details: { preview: 'me again' }, outcome: 'ok' });
    await waitUntil(() => printed().some((e) => e.details?.preview === 'me again'), { timeoutMs: 10_000, what: () => `the second entry; out: ${out}` });
    assert.equal(printed().some((e) => e.details?.preview === 'not me'), false, 'the filter applies to followed entries');

    // Rotation while following: the next entry lands in a fresh trace.jsonl, and is still seen.
    const rotating = new TraceWriter(dir, { maxBytes: 1, keep: 5 });
    rotating.append({ actor: 'server', action: 'exit', target: 'feat/echo', details: { preview: 'after rotation' }, outcome: 'exited' });
    assert.ok(existsSync(path.join(dir, 'trace.1.jsonl')), 'the trace was rotated');
    await waitUntil(() => printed().some((e) => e.details?.preview === 'after rotation'), { timeoutMs: 10_000, what: () => `the entry after rotation; out: ${out}` });
    const count = printed().length;
    assert.equal(count, 8, 'each entry printed once');

    child.kill('SIGINT');
    const res = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    assert.ok(res, 'log --follow exits after SIGINT');
    assert.equal(res!.code, 0, `exit code 0 (signal ${res!.signal}); stderr: ${err}`);
    assert.equal(err, '', 'nothing on stderr');
  });
});

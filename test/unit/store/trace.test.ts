/** The trace: append, rotation, torn lines, repair, parsing and filters. Real files in a temp dir. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { matchesFilter, parseTraceText, readTrace, TRACE_FILE, traceFiles, TraceWriter, type TraceEntry } from '../../../src/core/store/trace.js';
import { REDACTED } from '../../../src/core/store/redact.js';
import { tempDirs, fileMode } from '../../helpers/temp-dirs.js';

/** A fresh, empty directory per test. */
const freshDir = tempDirs('flower-store-');

function entry(over: Partial<TraceEntry> & { action: string; target: string }): Omit<TraceEntry, 'ts'> & { ts?: string } {
  return { actor: 'operator', outcome: 'ok', ...over };
}

describe('TraceWriter', () => {
  test('append: one JSON line per entry with every field, 0600, ts filled in', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir);
    const before = Date.now();
    const a = t.append(entry({ action: 'spawn', target: 'feat/echo', details: { profile: 'echo', pid: 42 } }));
    t.append(entry({ actor: 'server', action: 'restore', target: 'feat/x', outcome: 'skipped', error: 'worktree or profile missing', ts: '2026-01-01T00:00:00.000Z' }));
    assert.equal(t.file, path.join(dir, TRACE_FILE));
    assert.equal(fileMode(t.file), 0o600);
    const lines = fs.readFileSync(t.file, 'utf8').split('\n');
    assert.equal(lines.length, 3, 'two lines and the final newline');
    assert.equal(lines[2], '');
    const first = JSON.parse(lines[0]!) as TraceEntry;
    assert.deepEqual(first, a);
    assert.equal(first.actor, 'operator');
    assert.equal(first.action, 'spawn');
    assert.equal(first.target, 'feat/echo');
    assert.deepEqual(first.details, { profile: 'echo', pid: 42 });
    assert.equal(first.outcome, 'ok');
    assert.ok(Date.parse(first.ts) >= before - 1000 && Date.parse(first.ts) <= Date.now() + 1000, 'ts is now');
    const second = JSON.parse(lines[1]!) as TraceEntry;
    assert.deepEqual(second, { ts: '2026-01-01T00:00:00.000Z', actor: 'server', action: 'restore', target: 'feat/x', outcome: 'skipped', error: 'worktree or profile missing' });
  });

  test('append redacts secrets in details and keeps key names', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir);
    t.append(entry({ action: 'send', target: 'feat/echo', details: { preview: 'API_TOKEN=sk-live-abcdefghijklmnop1234', env: { SECRET_THING: 'hunter2hunter2' } } }));
    const text = fs.readFileSync(t.file, 'utf8');
    assert.equal(text.includes('sk-live-abcdefghijklmnop1234'), false, 'token not in the trace');
    assert.equal(text.includes('hunter2hunter2'), false, 'env value not in the trace');
    const e = parseTraceText(text)[0]!;
    assert.equal(e.details?.preview, `API_TOKEN=${REDACTED}`);
    assert.deepEqual(e.details?.env, { SECRET_THING: REDACTED });
  });

  test('rotation at maxBytes keeps N files: they shift, the oldest is dropped, readTrace reads oldest first', () => {
    const dir = freshDir();
    const keep = 2;
    // Each line is ~100 bytes; maxBytes 150 → rotate before every second append.
    const t = new TraceWriter(dir, { maxBytes: 150, keep });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = `e${String(i).padStart(2, '0')}`;
      ids.push(id);
      t.append(entry({ action: 'send', target: id, ts: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
    }
    const files = traceFiles(dir, keep);
    assert.deepEqual(files.map((f) => path.basename(f)), ['trace.jsonl', 'trace.1.jsonl', 'trace.2.jsonl']);
    const present = fs.readdirSync(dir).sort();
    assert.deepEqual(present, ['trace.1.jsonl', 'trace.2.jsonl', 'trace.jsonl'], 'no trace.3.jsonl: the oldest beyond keep is dropped');
    const inFile = (f: string) => parseTraceText(fs.readFileSync(path.join(dir, f), 'utf8')).map((e) => e.target);
    const current = inFile('trace.jsonl');
    const older = inFile('trace.1.jsonl');
    const oldest = inFile('trace.2.jsonl');
    assert.ok(current.length >= 1 && older.length >= 1 && oldest.length >= 1, 'every file holds entries');
    // Consecutive, newest at the end of trace.jsonl.
    assert.deepEqual([...oldest, ...older, ...current], ids.slice(ids.length - oldest.length - older.length - current.length));
    assert.equal(current[current.length - 1], 'e09');
    const all = readTrace(dir, {}, keep).map((e) => e.target);
    assert.deepEqual(all, [...oldest, ...older, ...current], 'readTrace: oldest file first, in order');
    assert.ok(!all.includes('e00'), 'the oldest entries were dropped');
    for (const f of present) assert.equal(fileMode(path.join(dir, f)), 0o600, `${f} is 0600`);
  });

  test('no rotation below maxBytes', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir, { maxBytes: 1_000_000, keep: 2 });
    for (let i = 0; i < 20; i++) t.append(entry({ action: 'send', target: `x${i}` }));
    assert.deepEqual(fs.readdirSync(dir), ['trace.jsonl']);
    assert.equal(readTrace(dir).length, 20);
  });

  test('repair(): closes a torn tail with a newline; nothing to do otherwise', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir);
    assert.equal(t.repair(), false, 'no file: nothing to repair');
    fs.writeFileSync(t.file, '', { mode: 0o600 });
    assert.equal(t.repair(), false, 'empty file: nothing to repair');
    t.append(entry({ action: 'spawn', target: 'a/1' }));
    assert.equal(t.repair(), false, 'complete file: nothing to repair');
    fs.appendFileSync(t.file, '{"ts":"2026-01-01T00:00:00.000Z","actor":"operator","act');
    assert.equal(t.repair(), true);
    assert.equal(t.repair(), false, 'repaired once is enough');
    t.append(entry({ action: 'kill', target: 'a/1' }));
    const text = fs.readFileSync(t.file, 'utf8');
    assert.ok(text.endsWith('\n'), 'ends with a newline');
    assert.deepEqual(parseTraceText(text).map((e) => e.action), ['spawn', 'kill'], 'the torn line is skipped, the next entry is not glued onto it');
  });

  test('without repair, an entry appended after a torn line is lost with it (why repair exists)', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir);
    t.append(entry({ action: 'spawn', target: 'a/1' }));
    fs.appendFileSync(t.file, '{"ts":"x","act');
    t.append(entry({ action: 'kill', target: 'a/1' }));
    assert.deepEqual(parseTraceText(fs.readFileSync(t.file, 'utf8')).map((e) => e.action), ['spawn']);
  });
});

describe('parseTraceText', () => {
  const line = (action: string, target = 'a/1') => JSON.stringify({ ts: '2026-01-01T00:00:00.000Z', actor: 'operator', action, target, outcome: 'ok' });

  test('skips malformed lines anywhere and a partial last line; blank lines are fine', () => {
    const text = [line('spawn'), '{"ts": "2026', '', 'not json at all', '{"no":"ts or action"}', '42', 'null', line('kill'), line('exit').slice(0, 30)].join('\n');
    assert.deepEqual(parseTraceText(text).map((e) => e.action), ['spawn', 'kill']);
  });

  test('a complete JSON last line without its newline is still treated as torn (it may be mid-write)', () => {
    assert.deepEqual(parseTraceText(`${line('spawn')}\n${line('kill')}`).map((e) => e.action), ['spawn']);
    assert.deepEqual(parseTraceText(`${line('spawn')}\n${line('kill')}\n`).map((e) => e.action), ['spawn', 'kill']);
    assert.deepEqual(parseTraceText(''), []);
  });
});

describe('trace filters', () => {
  const e = (over: Partial<TraceEntry>): TraceEntry => ({ ts: '2026-01-01T10:00:00.000Z', actor: 'operator', action: 'spawn', target: 'feat/echo', outcome: 'ok', ...over });
  const entries: TraceEntry[] = [
    e({ target: 'feat/echo', ts: '2026-01-01T09:00:00.000Z' }),
    e({ target: 'feat/echo-2', action: 'kill' }),
    e({ target: 'feature/echo', action: 'send', details: { preview: 'Hello World' } }),
    e({ target: '/repo', action: 'restore', details: { worktree: 'feat' }, outcome: 'discarded' }),
    e({ target: '/repo/.git/flower/state.json', actor: 'server', action: 'state.recover', ts: '2026-01-01T11:00:00.000Z' }),
    e({ target: 'other/shell', action: 'exit', outcome: 'exited', error: 'Something Broke' }),
  ];
  const pick = (f: Parameters<typeof matchesFilter>[1]) => entries.filter((x) => matchesFilter(x, f)).map((x) => `${x.action} ${x.target}`);

  test('agent: exact target only', () => {
    assert.deepEqual(pick({ agent: 'feat/echo' }), ['spawn feat/echo']);
  });
  test('worktree: its own name, its agents, or details.worktree — not a prefix of another name', () => {
    assert.deepEqual(pick({ worktree: 'feat' }), ['spawn feat/echo', 'kill feat/echo-2', 'restore /repo']);
  });
  test('action: exact, or a dotted family', () => {
    assert.deepEqual(pick({ action: 'kill' }), ['kill feat/echo-2']);
    assert.deepEqual(pick({ action: 'state' }), ['state.recover /repo/.git/flower/state.json']);
    assert.deepEqual(pick({ action: 'stat' }), [], 'no bare prefix match');
  });
  test('since: entries at or after the time', () => {
    assert.deepEqual(pick({ since: new Date('2026-01-01T10:00:00.000Z') }).length, 5);
    assert.deepEqual(pick({ since: new Date('2026-01-01T10:30:00.000Z') }), ['state.recover /repo/.git/flower/state.json']);
  });
  test('text: case-insensitive over actor, action, target, outcome, error and details', () => {
    assert.deepEqual(pick({ text: 'hello world' }), ['send feature/echo']);
    assert.deepEqual(pick({ text: 'something broke' }), ['exit other/shell']);
    assert.deepEqual(pick({ text: 'SERVER' }), ['state.recover /repo/.git/flower/state.json']);
    assert.deepEqual(pick({ text: 'discarded' }), ['restore /repo']);
  });
  test('filters combine', () => {
    assert.deepEqual(pick({ worktree: 'feat', action: 'kill' }), ['kill feat/echo-2']);
    assert.deepEqual(pick({}).length, entries.length);
  });
  test('readTrace applies the filter across files', () => {
    const dir = freshDir();
    const t = new TraceWriter(dir, { maxBytes: 200, keep: 5 });
    for (const x of entries) t.append(x);
    assert.ok(fs.existsSync(path.join(dir, 'trace.1.jsonl')), 'rotated at least once');
    assert.deepEqual(readTrace(dir, { worktree: 'feat' }).map((x) => x.target), ['feat/echo', 'feat/echo-2', '/repo']);
  });
});

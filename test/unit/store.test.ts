/**
 * The store layer in isolation: the atomic JSON adapter, the state file (corrupt / foreign files moved
 * aside, coalesced writes, redaction), the trace (append, rotation, torn lines, repair, filters),
 * redaction itself, rebuilding agents from the trace, session args, the restore plan and `--since`.
 * Real files in a temp dir; no processes, no timing beyond one event-loop tick.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LowSync } from 'lowdb';
import { AtomicJsonFile, CorruptFileError } from '../../src/core/store/atomic-json-file.js';
import { emptyState, StateStore, STATE_FILE, type AgentRecord, type FlowerState } from '../../src/core/store/state-store.js';
import { matchesFilter, parseTraceText, readTrace, TRACE_FILE, traceFiles, TraceWriter, type TraceEntry } from '../../src/core/store/trace.js';
import { isSecretKey, redactArgs, redactDeep, redactEnv, redactText, REDACTED } from '../../src/core/store/redact.js';
import { agentsFromTrace } from '../../src/core/store/rebuild-state.js';
import { sessionArgs } from '../../src/core/session-args.js';
import { planRestore } from '../../src/core/restore-plan.js';
import { parseSince } from '../../src/cli/commands/log-command.js';
import { traceDetails } from '../../src/core/trace-details.js';
import { FlowerError } from '../../src/shared/errors.js';
import type { Profile } from '../../src/config/schema.js';
import type { AgentInfo, WorktreeInfo } from '../../src/core/types.js';

let tmp: string;
let counter = 0;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flower-store-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh, empty directory per test. */
function freshDir(): string {
  const d = path.join(tmp, `d${++counter}`);
  fs.mkdirSync(d);
  return d;
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const tick = () => new Promise<void>((r) => setImmediate(r));

function agentRecord(over: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id: 'feat/echo',
    name: 'echo',
    worktree: 'feat',
    profile: 'echo',
    args: [],
    cwd: '/repo-feat',
    sessionId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    refreshCount: 0,
    running: true,
    ...over,
  };
}

/** Count the writes that reach the adapter (the store's lowdb instance is private). */
function countWrites(store: StateStore): { count: () => number; last: () => FlowerState | null } {
  const db = (store as unknown as { db: LowSync<FlowerState> }).db;
  const orig = db.adapter.write.bind(db.adapter);
  let n = 0;
  let last: FlowerState | null = null;
  db.adapter.write = (data: FlowerState) => {
    n++;
    last = JSON.parse(JSON.stringify(data)) as FlowerState;
    orig(data);
  };
  return { count: () => n, last: () => last };
}

describe('AtomicJsonFile', () => {
  test('round trip; the file is 0600 and no temp file is left behind', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    const a = new AtomicJsonFile<{ a: number; s: string[] }>(file);
    assert.equal(a.read(), null, 'a missing file reads as null');
    a.write({ a: 1, s: ['ü', 'x'] });
    assert.deepEqual(a.read(), { a: 1, s: ['ü', 'x'] });
    a.write({ a: 2, s: [] });
    assert.deepEqual(a.read(), { a: 2, s: [] });
    assert.equal(mode(file), 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['x.json'], 'only the target file remains');
  });

  test('an existing world-readable file is replaced by a 0600 one', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    new AtomicJsonFile<object>(file).write({ b: 1 });
    assert.equal(mode(file), 0o600);
  });

  test('bad JSON throws CorruptFileError naming the file; the file is left as it was', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{"a": 1,');
    const a = new AtomicJsonFile<object>(file);
    assert.throws(
      () => a.read(),
      (e: unknown) => e instanceof CorruptFileError && e.file === file && /not valid JSON/.test(e.reason),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 1,');
  });

  test('a directory in place of the file is "unreadable", not a crash', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.mkdirSync(file);
    assert.throws(() => new AtomicJsonFile<object>(file).read(), (e: unknown) => e instanceof CorruptFileError && /unreadable/.test(e.reason));
  });
});

describe('StateStore.open', () => {
  test('missing file → empty state, nothing moved aside, nothing written yet', () => {
    const dir = freshDir();
    const o = StateStore.open(dir);
    assert.equal(o.movedAside, null);
    assert.equal(o.reason, null);
    assert.deepEqual(o.store.data, emptyState());
    assert.equal(o.store.file, path.join(dir, STATE_FILE));
    assert.equal(fs.existsSync(o.store.file), false);
  });

  test('corrupt file → moved aside to state.json.corrupt-<timestamp>, byte for byte; empty state returned', async () => {
    const dir = freshDir();
    const file = path.join(dir, STATE_FILE);
    const garbage = Buffer.concat([Buffer.from('{"version": 1, "agents": [ \u00e9\u00e8 garbage'), Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x80])]);
    fs.writeFileSync(file, garbage);
    const now = new Date('2026-03-04T05:06:07.089Z');
    const o = StateStore.open(dir, now);
    assert.equal(o.movedAside, path.join(dir, 'state.json.corrupt-2026-03-04T05-06-07-089Z'));
    assert.match(o.reason ?? '', /not valid JSON/);
    assert.deepEqual(o.store.data, emptyState());
    assert.equal(fs.existsSync(file), false, 'the corrupt file is no longer at state.json');
    assert.ok(fs.readFileSync(o.movedAside!).equals(garbage), 'the moved file keeps its contents byte for byte');
    // The next write creates a fresh state.json and leaves the moved file alone.
    o.store.update((s) => s.agents.push(agentRecord()));
    o.store.flush();
    await tick();
    assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as FlowerState).agents.length, 1);
    assert.ok(fs.readFileSync(o.movedAside!).equals(garbage), 'the moved file is untouched by later writes');
  });

  test('an empty (0-byte) file counts as corrupt', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, STATE_FILE), '');
    const o = StateStore.open(dir);
    assert.ok(o.movedAside, 'moved aside');
    assert.equal(fs.readFileSync(o.movedAside!, 'utf8'), '');
  });

  test('foreign JSON (no version 1) → moved aside, empty state', () => {
    for (const foreign of ['{"agents": []}', '{"version": 2, "agents": []}', '[1,2,3]', '"hello"']) {
      const dir = freshDir();
      fs.writeFileSync(path.join(dir, STATE_FILE), foreign);
      const o = StateStore.open(dir);
      assert.ok(o.movedAside, `moved aside: ${foreign}`);
      assert.match(o.reason ?? '', /version 1/);
      assert.equal(fs.readFileSync(o.movedAside!, 'utf8'), foreign);
      assert.deepEqual(o.store.data, emptyState());
    }
  });

  test('a valid file is read back; missing parts are filled, bad agent entries dropped', () => {
    const dir = freshDir();
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify({ version: 1, agents: [agentRecord(), { id: 3 }, null, { id: 'x' }] }));
    const o = StateStore.open(dir);
    assert.equal(o.movedAside, null);
    assert.deepEqual(o.store.data.agents, [agentRecord()]);
    assert.deepEqual(o.store.data.worktrees, {});
    assert.deepEqual(o.store.data.ui, { focusLane: null, focusAgent: null });
  });

  test('several updates → one write on the next tick; the file is 0600 with no temp file left', async () => {
    const dir = freshDir();
    const { store } = StateStore.open(dir);
    const w = countWrites(store);
    store.update((s) => s.agents.push(agentRecord({ id: 'a/1' })));
    store.update((s) => s.agents.push(agentRecord({ id: 'a/2' })));
    store.update((s) => (s.ui.focusLane = 'a'));
    assert.equal(w.count(), 0, 'nothing written synchronously');
    assert.equal(fs.existsSync(store.file), false);
    await tick();
    await tick();
    assert.equal(w.count(), 1, 'one write for the burst');
    const onDisk = JSON.parse(fs.readFileSync(store.file, 'utf8')) as FlowerState;
    assert.deepEqual(onDisk.agents.map((a) => a.id), ['a/1', 'a/2']);
    assert.equal(onDisk.ui.focusLane, 'a');
    assert.equal(mode(store.file), 0o600);
    assert.deepEqual(fs.readdirSync(dir), [STATE_FILE], 'no temp file left');
    // A later update is another write.
    store.update((s) => (s.ui.focusAgent = 'a/1'));
    await tick();
    assert.equal(w.count(), 2);
  });

  test('flush() writes at once (shutdown), and a reopened store sees it', async () => {
    const dir = freshDir();
    const { store } = StateStore.open(dir);
    store.update((s) => s.agents.push(agentRecord({ sessionId: 'sess-1' })));
    store.flush();
    const again = StateStore.open(dir);
    assert.equal(again.movedAside, null);
    assert.deepEqual(again.store.data.agents, [agentRecord({ sessionId: 'sess-1' })]);
    await tick(); // the write scheduled by update() settles inside this test
  });

  test('flush() settles the pending write: the scheduled one does not write again', async () => {
    const dir = freshDir();
    const { store } = StateStore.open(dir);
    const w = countWrites(store);
    store.update((s) => s.agents.push(agentRecord()));
    store.flush();
    assert.equal(w.count(), 1, 'flush wrote');
    await tick();
    await tick();
    assert.equal(w.count(), 1, 'no second write for the same change');
  });

  test('a scheduled write that fails (disk full) is reported to onError, never thrown into the event loop', () => {
    const dir = freshDir();
    const errors: unknown[] = [];
    const { store } = StateStore.open(dir, new Date(), (e) => errors.push(e));
    // Capture the scheduled callback instead of letting it run on its own (an uncaught throw would crash this runner).
    const scheduled: (() => void)[] = [];
    const realSetImmediate = globalThis.setImmediate;
    globalThis.setImmediate = ((fn: () => void) => {
      scheduled.push(fn);
      return realSetImmediate(() => {});
    }) as unknown as typeof setImmediate;
    try {
      store.update((s) => s.agents.push(agentRecord()));
      store.update((s) => s.agents.push(agentRecord({ id: 'feat/two' })));
    } finally {
      globalThis.setImmediate = realSetImmediate;
    }
    assert.equal(scheduled.length, 1, 'one write scheduled for the burst');
    const db = (store as unknown as { db: LowSync<FlowerState> }).db;
    const realWrite = db.adapter.write.bind(db.adapter);
    db.adapter.write = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    assert.doesNotThrow(() => scheduled[0]!(), 'the scheduled write does not throw');
    assert.equal(errors.length, 1, 'the failure is reported once');
    assert.match(String((errors[0] as Error).message), /ENOSPC/);
    assert.equal(store.data.agents.length, 2, 'memory is intact');
    // Space again: the next change writes everything.
    db.adapter.write = realWrite;
    store.flush();
    assert.equal((JSON.parse(fs.readFileSync(store.file, 'utf8')) as FlowerState).agents.length, 2);
  });

  test('secrets are redacted on write, while memory keeps the real values', async () => {
    const dir = freshDir();
    const { store } = StateStore.open(dir);
    const secretArgs = ['--api-key=sk-live-abcdefghijklmnop1234', 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwx12', '--plain', 'NODE_ENV=production'];
    store.update((s) => {
      const rec = agentRecord({ args: secretArgs });
      // An env map on a record (e.g. from a newer version) must not reach disk either.
      (rec as unknown as { env: Record<string, string> }).env = { OPENAI_BASE: 'https://x.invalid', ANYTHING: 'value-not-on-disk' };
      s.agents.push(rec);
    });
    store.flush();
    const text = fs.readFileSync(store.file, 'utf8');
    for (const secret of ['sk-live-abcdefghijklmnop1234', 'ghp_abcdefghijklmnopqrstuvwx12', 'https://x.invalid', 'value-not-on-disk']) {
      assert.equal(text.includes(secret), false, `${secret} is not on disk`);
    }
    const onDisk = JSON.parse(text) as { agents: (AgentRecord & { env: Record<string, string> })[] };
    assert.deepEqual(onDisk.agents[0]!.env, { OPENAI_BASE: REDACTED, ANYTHING: REDACTED }, 'env keys kept, values redacted');
    assert.equal(onDisk.agents[0]!.args[1], `GITHUB_TOKEN=${REDACTED}`, 'key name kept');
    assert.equal(onDisk.agents[0]!.args[2], '--plain');
    assert.equal(onDisk.agents[0]!.args[3], 'NODE_ENV=production', 'a non-secret assignment is untouched');
    assert.deepEqual(store.data.agents[0]!.args, secretArgs, 'in memory the real args are kept (restore needs them)');
    await tick(); // the write scheduled by update() runs inside this test
  });
});

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
    assert.equal(mode(t.file), 0o600);
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
    for (const f of present) assert.equal(mode(path.join(dir, f)), 0o600, `${f} is 0600`);
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

describe('redact', () => {
  test('isSecretKey: secret-looking names yes, ordinary names no', () => {
    for (const k of ['API_KEY', 'api_key', 'apiKey', 'OPENAI_API_KEY', 'GITHUB_TOKEN', 'token', 'SECRET', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'password', 'PASS', 'CREDENTIALS', 'AUTH', 'PRIVATE_KEY']) {
      assert.equal(isSecretKey(k), true, `${k} is secret`);
    }
    for (const k of ['PATH', 'HOME', 'NODE_ENV', 'TERM', 'MONKEY', 'KEYBOARD', 'AUTHOR', 'PASSPORT', 'TOKENIZER_MODEL', 'profile', 'sessionId', 'cwd']) {
      assert.equal(isSecretKey(k), false, `${k} is not secret`);
    }
  });

  test('isSecretKey: camelCase names (JSON fields) too', () => {
    for (const k of ['apiToken', 'accessToken', 'clientSecret', 'githubToken']) assert.equal(isSecretKey(k), true, `${k} is secret`);
  });

  test('redactEnv: every value replaced, keys kept; undefined → {}', () => {
    assert.deepEqual(redactEnv({ A: '1', PATH: '/bin' }), { A: REDACTED, PATH: REDACTED });
    assert.deepEqual(redactEnv(undefined), {});
  });

  test('redactText: KEY=value and export KEY=… with secret-looking keys', () => {
    assert.equal(redactText('API_KEY=abc123'), `API_KEY=${REDACTED}`);
    assert.equal(redactText('export GITHUB_TOKEN=xyz789 && run'), `export GITHUB_TOKEN=${REDACTED} && run`);
    assert.equal(redactText(`DB_PASSWORD="two words" next`), `DB_PASSWORD=${REDACTED} next`);
    assert.equal(redactText(`SECRET='x y'`), `SECRET=${REDACTED}`);
    assert.equal(redactText('password: hunter2'), `password: ${REDACTED}`, 'YAML style');
    assert.equal(redactText('--api-key=abcdef'), `--api-key=${REDACTED}`, 'a flag named like a key');
  });

  test('redactText: non-secret keys are untouched', () => {
    for (const s of ['PATH=/usr/bin:/bin', 'NODE_ENV=production', 'MONKEY=banana', 'KEYBOARD=us', 'name: flower', 'see http://host:8080/x?a=b', 'agent feat/echo exited 0']) {
      assert.equal(redactText(s), s, s);
    }
  });

  test('redactText: credential-looking values whatever their key', () => {
    assert.equal(redactText('use sk-ant-api03-abcdefghijklmnop please'), `use ${REDACTED} please`);
    assert.equal(redactText('ghp_abcdefghijklmnopqrstuvwxyz0123'), REDACTED);
    assert.equal(redactText('github_pat_abcdefghijklmnopqrstuvwx_yz'), REDACTED);
    assert.equal(redactText('Authorization: Bearer abcdefghijklmnopqrstuvwxyz.12'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactText('id AKIAABCDEFGHIJKLMNOP ok'), `id ${REDACTED} ok`);
    assert.equal(redactText('x-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----y'), `x${REDACTED}y`);
    assert.equal(redactText('sk-short'), 'sk-short', 'too short to be a key');
  });

  test('redactText: a secret value after a secret key is removed entirely, the key kept', () => {
    const out = redactText('API_TOKEN=sk-live-abcdefghijklmnop1234');
    assert.equal(out, `API_TOKEN=${REDACTED}`);
  });

  test('redactText: JSON-ish "password": "…" in free text', () => {
    assert.equal(redactText('{"password": "hunter2", "user": "bob"}').includes('hunter2'), false, 'the JSON password value is redacted');
    assert.equal(redactText(`{'api_key': 'abc123'}`).includes('abc123'), false, 'a single-quoted JSON-ish key too');
    assert.ok(redactText('{"password": "hunter2"}').includes('password'), 'the key name is kept');
  });

  test('redactDeep: env maps, secret-named keys, nested strings; numbers/booleans kept; the input is not changed', () => {
    const input = {
      env: { HOME: '/home/x', OPENAI_API_KEY: 'abc' },
      password: 'hunter2',
      api_token: 'tok',
      list: ['plain', 'GITHUB_TOKEN=abc', { token: 'deep', n: 7 }],
      note: 'call sk-abcdefghijklmnopqrstu now',
      count: 3,
      ok: true,
      nothing: null,
    };
    const copy = JSON.parse(JSON.stringify(input)) as typeof input;
    const out = redactDeep(input);
    assert.deepEqual(out, {
      env: { HOME: REDACTED, OPENAI_API_KEY: REDACTED },
      password: REDACTED,
      api_token: REDACTED,
      list: ['plain', `GITHUB_TOKEN=${REDACTED}`, { token: REDACTED, n: 7 }],
      note: `call ${REDACTED} now`,
      count: 3,
      ok: true,
      nothing: null,
    });
    assert.deepEqual(input, copy, 'input untouched');
  });
});

describe('agentsFromTrace', () => {
  let n = 0;
  const t = (action: string, target: string, details?: Record<string, unknown>, outcome = 'ok'): TraceEntry => ({
    ts: `2026-01-01T00:00:${String(n++ % 60).padStart(2, '0')}.000Z`,
    actor: 'server',
    action,
    target,
    details,
    outcome,
  });
  const spawn = (id: string, extra: Record<string, unknown> = {}) => {
    const [worktree, name] = id.split('/');
    return t('spawn', id, { worktree, profile: 'echo', name, cwd: `/repo-${worktree}`, sessionId: null, state: 'running', ...extra });
  };

  test('spawn → a running record with the fields the trace gives', () => {
    const [r] = agentsFromTrace([spawn('feat/echo', { sessionId: 's1', profile: 'claude' })]);
    assert.deepEqual(r, {
      id: 'feat/echo',
      name: 'echo',
      worktree: 'feat',
      profile: 'claude',
      args: [],
      cwd: '/repo-feat',
      sessionId: 's1',
      createdAt: r!.createdAt,
      refreshCount: 0,
      running: true,
    });
  });

  test('kill / exit → not running; remove → gone; a failed spawn is not running', () => {
    const out = agentsFromTrace([
      spawn('a/killed'),
      spawn('a/exited'),
      spawn('a/removed'),
      spawn('a/live'),
      spawn('a/failed', { state: 'failed' }),
      t('kill', 'a/killed'),
      t('exit', 'a/exited', { state: 'exited 0' }, 'exited'),
      t('remove', 'a/removed'),
    ]);
    assert.deepEqual(
      out.map((r) => [r.id, r.running]),
      [
        ['a/killed', false],
        ['a/exited', false],
        ['a/live', true],
        ['a/failed', false],
      ],
    );
  });

  test('restore / respawn → running again, with their session id', () => {
    const out = agentsFromTrace([
      spawn('a/one', { sessionId: 's1' }),
      spawn('a/two'),
      t('kill', 'a/one'),
      t('exit', 'a/two', {}, 'exited'),
      t('respawn', 'a/one', { pid: 1, sessionId: 's1b', respawns: 1 }),
      t('restore', 'a/two', { how: 'fresh', sessionId: 's2', pid: 2 }),
    ]);
    assert.deepEqual(
      out.map((r) => [r.id, r.running, r.sessionId]),
      [
        ['a/one', true, 's1b'],
        ['a/two', true, 's2'],
      ],
    );
  });

  test('error outcomes change nothing; events for unknown agents are ignored', () => {
    const out = agentsFromTrace([
      spawn('a/one'),
      t('kill', 'a/one', undefined, 'error'),
      t('spawn', 'a/bad', { worktree: 'a', profile: 'echo' }, 'error'),
      t('kill', 'zzz/unknown'),
      t('restore', 'zzz/unknown', { sessionId: 'x' }),
      t('restore', 'a/one', undefined, 'skipped'),
    ]);
    assert.deepEqual(out.map((r) => [r.id, r.running]), [['a/one', true]]);
  });

  test('a later spawn of the same id (after a remove) starts a new record', () => {
    const out = agentsFromTrace([spawn('a/one', { sessionId: 'old' }), t('remove', 'a/one'), spawn('a/one', { sessionId: 'new' })]);
    assert.deepEqual(out.map((r) => [r.id, r.sessionId, r.running]), [['a/one', 'new', true]]);
  });

  test('a worktree with a slash in its name (branch feature/auth) is read from details', () => {
    const [r] = agentsFromTrace([t('spawn', 'feature/auth/echo', { worktree: 'feature/auth', name: 'echo', profile: 'echo', cwd: '/r' })]);
    assert.equal(r!.worktree, 'feature/auth');
    assert.equal(r!.name, 'echo');
  });

  test('an ask-mode restore that was discarded is not brought back by a rebuild', () => {
    const out = agentsFromTrace([spawn('a/one'), spawn('a/two'), t('restore', '/repo', { discarded: ['a/one'] }, 'discarded')]);
    assert.deepEqual(out.map((r) => [r.id, r.running]).filter(([, running]) => running), [['a/two', true]]);
  });

  test('a spawn addressed by worktree path rebuilds with the worktree name', () => {
    const info: AgentInfo = {
      id: 'feat/echo', name: 'echo', worktree: 'feat', profile: 'echo', command: 'node', args: [], cwd: '/tmp/repo-feat',
      state: { kind: 'running' }, pid: 10, cols: 80, rows: 24, startedAt: 0, respawns: 0, sessionId: null,
    };
    const details = traceDetails({ type: 'spawn', worktree: '/tmp/repo-feat', profile: 'echo' }, info);
    const [r] = agentsFromTrace([{ ts: '2026-01-01T00:00:00.000Z', actor: 'cli', action: 'spawn', target: info.id, details, outcome: 'ok' }]);
    assert.equal(r!.worktree, 'feat');
  });
});

const profile = (p: Partial<Profile> = {}): Profile => ({ command: 'agent', args: [], env: {}, ...p });
const claudeLike = profile({ session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] } });
const codexLike = profile({ session: { resumeArgs: ['resume', '{sessionId}'] } });

describe('sessionArgs', () => {
  test('fresh with newArgs: a new id, filled into every {sessionId}', () => {
    const r = sessionArgs(profile({ session: { newArgs: ['--session-id={sessionId}', '--log', '/x/{sessionId}.log'], resumeArgs: ['--resume', '{sessionId}'] } }), 'fresh', null, () => 'id-1');
    assert.deepEqual(r, { args: ['--session-id=id-1', '--log', '/x/id-1.log'], sessionId: 'id-1', resumed: false });
  });

  test('fresh with the default generator: a UUID', () => {
    const r = sessionArgs(claudeLike, 'fresh', null);
    assert.match(r.sessionId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(r.args, ['--session-id', r.sessionId]);
    assert.notEqual(sessionArgs(claudeLike, 'fresh', null).sessionId, r.sessionId, 'a new id every time');
  });

  test('fresh ignores a given id (a fresh start is a new conversation)', () => {
    const r = sessionArgs(claudeLike, 'fresh', 'old', () => 'new');
    assert.deepEqual(r, { args: ['--session-id', 'new'], sessionId: 'new', resumed: false });
  });

  test('resume uses resumeArgs with the recorded id', () => {
    let called = false;
    const r = sessionArgs(claudeLike, 'resume', 'abc', () => ((called = true), 'never'));
    assert.deepEqual(r, { args: ['--resume', 'abc'], sessionId: 'abc', resumed: true });
    assert.equal(called, false, 'no new id is generated');
    assert.deepEqual(sessionArgs(codexLike, 'resume', 'rollout-1'), { args: ['resume', 'rollout-1'], sessionId: 'rollout-1', resumed: true });
  });

  test('resume without a recorded id starts fresh', () => {
    assert.deepEqual(sessionArgs(claudeLike, 'resume', null, () => 'n1'), { args: ['--session-id', 'n1'], sessionId: 'n1', resumed: false });
    assert.deepEqual(sessionArgs(codexLike, 'resume', null), { args: [], sessionId: null, resumed: false });
  });

  test('a profile without session: no args, no id, whatever the mode', () => {
    assert.deepEqual(sessionArgs(profile(), 'fresh', null), { args: [], sessionId: null, resumed: false });
    assert.deepEqual(sessionArgs(profile(), 'resume', 'abc'), { args: [], sessionId: null, resumed: false });
  });

  test('codex-like (no newArgs): fresh has no args and no id', () => {
    let called = false;
    assert.deepEqual(sessionArgs(codexLike, 'fresh', null, () => ((called = true), 'x')), { args: [], sessionId: null, resumed: false });
    assert.equal(called, false);
  });
});

describe('planRestore', () => {
  const wt = (name: string, over: Partial<WorktreeInfo> = {}): WorktreeInfo => ({ name, path: `/repo-${name}`, branch: name, head: 'h', isMain: false, locked: false, prunable: false, ...over });
  const worktrees = [wt('MAIN', { isMain: true, path: '/r' }), wt('feat'), wt('gone-soon', { prunable: true })];
  const profiles = { claude: claudeLike, codex: codexLike, shell: profile() };

  test('resume / fresh / missing; agents that were not running are left out', () => {
    const plan = planRestore(
      [
        agentRecord({ id: 'feat/claude', profile: 'claude', sessionId: 's1' }),
        agentRecord({ id: 'feat/claude-2', profile: 'claude', sessionId: null }),
        agentRecord({ id: 'feat/codex', profile: 'codex', sessionId: 'r1' }),
        agentRecord({ id: 'feat/shell', profile: 'shell', sessionId: 'stale' }),
        agentRecord({ id: 'feat/stopped', profile: 'shell', running: false }),
        agentRecord({ id: 'deleted/shell', worktree: 'deleted', profile: 'shell' }),
        agentRecord({ id: 'gone-soon/shell', worktree: 'gone-soon', profile: 'shell' }),
        agentRecord({ id: 'MAIN/shell', worktree: 'MAIN', profile: 'shell' }),
        agentRecord({ id: 'feat/old', profile: 'no-such-profile' }),
      ],
      worktrees,
      profiles,
    );
    assert.deepEqual(
      plan.map((p) => [p.id, p.how]),
      [
        ['feat/claude', 'resume'],
        ['feat/claude-2', 'fresh'],
        ['feat/codex', 'resume'],
        ['feat/shell', 'fresh'],
        ['deleted/shell', 'missing'],
        ['gone-soon/shell', 'missing'],
        ['MAIN/shell', 'refused'],
        ['feat/old', 'missing'],
      ],
    );
    assert.deepEqual(plan[0], { id: 'feat/claude', worktree: 'feat', profile: 'claude', how: 'resume' });
  });

  test('nothing remembered → nothing planned', () => {
    assert.deepEqual(planRestore([], worktrees, profiles), []);
  });

  test('an edited state file is not obeyed: a cwd outside the worktree, args the server never started it with', () => {
    const real: Record<string, string[]> = { 'feat/keyed': ['--api-key=sk-ant-abcdefghijklmnopqrstuv'], 'feat/swapped': ['--model', 'x'] };
    const plan = planRestore(
      [
        agentRecord({ id: 'feat/etc', profile: 'shell', cwd: '/etc' }),
        agentRecord({ id: 'feat/other', profile: 'shell', cwd: '/repo-MAIN' }),
        agentRecord({ id: 'feat/injected', profile: 'shell', args: ['-c', 'touch /tmp/pwned'] }),
        agentRecord({ id: 'feat/swapped', profile: 'shell', args: ['-c', 'touch /tmp/pwned'] }),
        agentRecord({ id: 'feat/keyed', profile: 'shell', args: [`--api-key=${REDACTED}`] }),
        agentRecord({ id: 'feat/rebuilt', profile: 'shell', args: [] }),
        agentRecord({ id: 'feat/proto', profile: '__proto__' }),
      ],
      worktrees,
      profiles,
      (id) => real[id],
    );
    assert.deepEqual(
      plan.map((p) => [p.id, p.how]),
      [
        ['feat/etc', 'refused'],
        ['feat/other', 'refused'],
        ['feat/injected', 'refused'],
        ['feat/swapped', 'refused'],
        ['feat/keyed', 'fresh'],
        ['feat/rebuilt', 'fresh'],
        ['feat/proto', 'missing'],
      ],
    );
    assert.match(plan[0]!.reason!, /\/etc is not worktree feat/);
    assert.match(plan[2]!.reason!, /args/);
  });
});

describe('redactArgs and sent text in the trace', () => {
  test('secrets in args: inline values, the value after a secret flag, token shapes; other args kept', () => {
    assert.deepEqual(redactArgs(['--api-key=sk-ant-abcdefghijklmnopqrstuv', '--password', 'hunter2', '--model', 'opus', '--token=abc', '-p', 'hello', 'ghp_abcdefghijklmnopqrstuvwxyz0123']), [
      `--api-key=${REDACTED}`,
      '--password',
      REDACTED,
      '--model',
      'opus',
      `--token=${REDACTED}`,
      '-p',
      'hello',
      REDACTED,
    ]);
    assert.deepEqual(redactDeep({ args: ['--secret', 'hunter2'] }), { args: ['--secret', REDACTED] }, 'state and trace redact args the same way');
    assert.deepEqual(redactArgs(redactArgs(['--password', 'x', '--api-key=sk-ant-abcdefghijklmnopqrstuv'])), redactArgs(['--password', 'x', '--api-key=sk-ant-abcdefghijklmnopqrstuv']), 'idempotent');
  });

  test('a send is traced as its size and sha256 only, a preview only when configured', () => {
    const cmd = { type: 'send' as const, agent: 'feat/a', text: 'my password is hunter2', enter: true };
    const d = traceDetails(cmd)!;
    assert.equal(d.chars, 22);
    assert.match(String(d.sha256), /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(d).includes('hunter2'), false);
    assert.equal('preview' in d, false);
    assert.equal(traceDetails(cmd, undefined, { sentText: 'preview' })!.preview, 'my password is hunter2');
  });
});

describe('parseSince', () => {
  const now = Date.parse('2026-05-10T12:00:00.000Z');
  test('relative: s, m, h, d, w (spaces allowed)', () => {
    assert.equal(parseSince('30s', now).toISOString(), '2026-05-10T11:59:30.000Z');
    assert.equal(parseSince('10m', now).toISOString(), '2026-05-10T11:50:00.000Z');
    assert.equal(parseSince('2h', now).toISOString(), '2026-05-10T10:00:00.000Z');
    assert.equal(parseSince('1d', now).toISOString(), '2026-05-09T12:00:00.000Z');
    assert.equal(parseSince('1w', now).toISOString(), '2026-05-03T12:00:00.000Z');
    assert.equal(parseSince(' 5 m ', now).toISOString(), '2026-05-10T11:55:00.000Z');
  });
  test('absolute dates', () => {
    assert.equal(parseSince('2026-11-21T10:00:00Z', now).toISOString(), '2026-11-21T10:00:00.000Z');
    assert.equal(parseSince('2026-11-21', now).toISOString(), '2026-11-21T00:00:00.000Z');
  });
  test('nonsense → a bad-usage FlowerError naming the input', () => {
    for (const bad of ['yesterday-ish', '10x', '']) {
      assert.throws(() => parseSince(bad, now), (e: unknown) => e instanceof FlowerError && e.code === 'bad-usage' && e.message.includes(`"${bad}"`), bad);
    }
  });
});

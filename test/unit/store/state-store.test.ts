/** The state file: corrupt / foreign files moved aside, coalesced writes, redaction on write. Real files in a temp dir; no timing beyond one event-loop tick. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LowSync } from 'lowdb';
import { emptyState, StateStore, STATE_FILE, type AgentRecord, type FlowerState } from '../../../src/core/store/state-store.js';
import { REDACTED } from '../../../src/core/store/redact.js';
import { tempDirs, fileMode } from '../../helpers/temp-dirs.js';
import { agentRecord } from '../../helpers/agent-fixtures.js';

/** A fresh, empty directory per test. */
const freshDir = tempDirs('flower-store-');

const tick = () => new Promise<void>((r) => setImmediate(r));

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
    assert.equal(fileMode(store.file), 0o600);
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

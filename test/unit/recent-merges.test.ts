import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MainMonitor } from '../../src/core/monitor/main-monitor.js';
import { TraceWriter } from '../../src/core/store/trace.js';
import { parseConfig } from '../../src/config/config.js';

test("refused merge attempts stay out of MAIN's recent-merges line (they are in the trace)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flower-merges-'));
  try {
    const w = new TraceWriter(dir);
    w.append({ actor: 'operator', action: 'merge', target: 'feat', details: { message: 'merged feat' }, outcome: 'merged' });
    for (let i = 0; i < 6; i++) w.append({ actor: 'operator', action: 'merge', target: 'idle', details: { message: 'idle has nothing to merge' }, outcome: 'refused' });
    w.append({ actor: 'operator', action: 'merge', target: 'busy', outcome: 'locked' });
    w.append({ actor: 'operator', action: 'merge', target: 'bad', details: { message: 'gate failed (exit 1)' }, outcome: 'gate-failed' });
    const config = parseConfig({}, 'test');
    const m = new MainMonitor({ mainRoot: dir, stateDir: dir, config: () => config, busy: () => false, changed: () => {} });
    m.loadMerges();
    assert.deepEqual(m.snapshot([], null).merges.map((x) => `${x.worktree}:${x.outcome}`), ['bad:gate-failed', 'feat:merged']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

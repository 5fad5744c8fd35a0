import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printTrace } from '../../src/cli/commands/log-command.js';
import { TraceWriter, type TraceEntry } from '../../src/core/store/trace.js';
import { waitUntil } from '../helpers/wait-until.js';

// `log --follow` must not miss a line appended between its read of the trace and the start of its
// tail (issue 13.5): the tail starts first, and what the read printed is not printed again.
test('log --follow: a line appended right after the read is printed once; nothing is printed twice', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flower-follow-'));
  try {
    const w = new TraceWriter(dir);
    w.append({ actor: 'cli', action: 'spawn', target: 'feat/a', outcome: 'ok' });
    w.append({ actor: 'cli', action: 'kill', target: 'feat/a', outcome: 'ok' });
    const printed: TraceEntry[] = [];
    const tailer = printTrace(dir, {}, (e) => printed.push(e), {
      follow: true,
      // The window the old order lost: after the read, before the tail would have started.
      afterRead: () => w.append({ actor: 'cli', action: 'respawn', target: 'feat/a', outcome: 'ok' }),
    });
    try {
      await waitUntil(() => printed.length >= 3, { timeoutMs: 10_000, what: () => `three entries: ${printed.map((e) => e.action).join(',')}` });
      w.append({ actor: 'cli', action: 'send', target: 'feat/a', outcome: 'ok' });
      await waitUntil(() => printed.length >= 4, { timeoutMs: 10_000, what: 'the later entry' });
      assert.deepEqual(printed.map((e) => e.action), ['spawn', 'kill', 'respawn', 'send']);
    } finally {
      tailer?.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

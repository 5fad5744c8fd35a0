/**
 * NO_COLOR (no-color.org) in the cockpit (issue 13.6): the chrome carries no colour, but the alarm
 * and the focused header still stand out (reverse video, bold). The built binary in tmux.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoScratch } from '../helpers/demo-e2e.js';
import { TmuxSession, waitUntil } from '../helpers/tmux.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const { tmp, track } = demoScratch();

test('NO_COLOR: MAIN\'s strip and the pane borders carry no colour', { timeout: 120_000 }, async () => {
  const s = TmuxSession.start({ command: [process.execPath, BIN, 'demo', '--new'], cols: 100, rows: 30, cwd: ROOT, env: { TMPDIR: tmp, NO_COLOR: '1' } });
  track(s);
  // The demo agent impl is up (at this width its header may leave the profile out for its brief).
  await s.waitFor(/\bimpl · /, { timeoutMs: 30_000 });
  const rows = s.capture({ ansi: true }).split('\n');
  // Rows 0-2: MAIN's strip (chrome only, no agent output in it).
  for (const row of rows.slice(0, 3)) assert.doesNotMatch(row, /\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;|4[0-7]|10[0-7]|48;)[0-9;]*m/, `no colour in ${JSON.stringify(row)}`);
  assert.match(rows[1]!, /✓ clean/);
  s.sendKeys('q');
  await waitUntil(() => s.paneDead(), { timeoutMs: 15_000, message: 'q did not detach' });
});

/**
 * Attaching leaves the outer terminal's scrollback alone (issue 13.7), as tmux does: a line printed
 * before the cockpit opened is still in the terminal's history after an attach and a detach. The
 * built binary in tmux; the history is read with `capture-pane -S -`.
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

test('attach and detach keep what the terminal showed before the cockpit in its scrollback', { timeout: 120_000 }, async () => {
  const s = TmuxSession.start({
    command: ['/bin/sh', '-c', `printf 'MARKER-BEFORE-COCKPIT\\n'; exec "$0" "$@"`, process.execPath, BIN, 'demo', '--new'],
    cols: 80,
    rows: 24,
    cwd: ROOT,
    env: { TMPDIR: tmp },
  });
  track(s);
  const history = () => s.run(['capture-pane', '-p', '-S', '-', '-E', '-', '-t', s.panePid() ? (s as unknown as { pane: string }).pane : '']);
  // The demo agent impl is up (at this width its header may leave the profile out for its brief).
  await s.waitFor(/\bimpl · /, { timeoutMs: 30_000 });
  s.sendKeys('Enter');
  await s.waitForGone('1 MAIN · read-only');
  s.sendKeys('C-q');
  await s.waitFor('1 MAIN · read-only');
  s.sendKeys('q');
  await waitUntil(() => s.paneDead(), { timeoutMs: 15_000, message: 'the cockpit did not exit on q' });
  const all = history();
  assert.match(all, /MARKER-BEFORE-COCKPIT/, `the line printed before the cockpit is still in the scrollback:\n${all}`);
});

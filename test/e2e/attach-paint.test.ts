/**
 * Attaching paints the agent's screen exactly as the program drew it: colours and attributes
 * included. Issue 14.9: after Enter on a vim pane, the first rows came out bold+reverse (the pen
 * the screen copy left set), which vim in a plain tmux pane never shows. Compared cell by cell
 * through `tmux capture-pane -e`: vim attached in the cockpit, and the same vim in a plain pane.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { TmuxSession } from '../helpers/tmux.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const haveVim = spawnSync('vim', ['--version'], { stdio: 'ignore' }).status === 0;
const COLS = 80;
const ROWS = 24;

const repo = makeRepo({ worktrees: ['feat'] });
const sessions: TmuxSession[] = [];
after(() => {
  for (const s of sessions) s.kill();
  spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { timeout: 30_000 });
  repo.cleanup();
});

/** vim without any user config, a status line (bold+reverse), syntax colours, and no swap file. */
const VIM = ['vim', '-u', 'NONE', '-i', 'NONE', '-N', '-n', '-c', 'set laststatus=2 ruler', '-c', 'syntax on', 'app.sh'];

/** Rows of `capture-pane -e`, each normalised so equal-looking rows compare equal (SGR resets at line ends, trailing blanks). */
function rows(captured: string): string[] {
  return captured
    .split('\n')
    .slice(0, ROWS)
    .map((l) => l.replace(/(\x1b\[0?m|\s)+$/, ''));
}

test('vim attached in the cockpit looks exactly like vim in a plain tmux pane', { skip: !haveVim && 'vim not installed', timeout: 120_000 }, async () => {
  const lane = repo.worktreePaths.feat!;
  writeFileSync(path.join(lane, 'app.sh'), '#!/bin/sh\n# a comment\necho "hello" 42\nif true; then exit 0; fi\n');
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(configFile, JSON.stringify({ profiles: { vim: { command: VIM[0], args: VIM.slice(1) } }, worktrees: { feat: { agents: [{ profile: 'vim', name: 'vim' }] } } }));

  const plain = TmuxSession.start({ command: VIM, cols: COLS, rows: ROWS, cwd: lane, env: { TERM: 'xterm-256color' } });
  sessions.push(plain);
  await plain.waitFor(/app\.sh/);

  const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot, '--config', configFile], cols: COLS, rows: ROWS, cwd: ROOT });
  sessions.push(s);
  await s.waitFor(/feat/, { timeoutMs: 30_000 });
  await s.waitFor(/vim · vim/, { timeoutMs: 30_000 });
  s.sendKeys('Enter');
  await s.waitForGone('1 MAIN · read-only');
  // Once attached, the screen is vim's own at the full size: wait until it settles to the same text.
  // The last row is vim's message line: vim clears it when it redraws for the attach's new size.
  const want = rows(plain.capture({ ansi: true })).slice(0, ROWS - 1);
  let got: string[] = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    got = rows(s.capture({ ansi: true })).slice(0, ROWS - 1);
    if (JSON.stringify(got) === JSON.stringify(want)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const diff = want.flatMap((w, i) => (w === got[i] ? [] : [`row ${i}:\n  plain:    ${JSON.stringify(w)}\n  attached: ${JSON.stringify(got[i])}`]));
  assert.deepEqual(diff, [], `attached vim differs from plain vim:\n${diff.join('\n')}`);
  assert.doesNotMatch(got.slice(0, 3).join('\n'), /\x1b\[1;7m/, 'no bold+reverse in the first rows');
  s.sendKeys('C-q');
  await s.waitFor('1 MAIN · read-only');
});

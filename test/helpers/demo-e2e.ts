// For end-to-end tests of `flower-tui demo` under tmux: a private TMPDIR for the demo's scratch
// repositories, and after the file's tests the session killed, every demo server in it stopped
// (so no agent outlives the test) and the directory removed.
import { after } from 'node:test';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN } from './cli.js';
import { makeTempDir } from './git-repo.js';
import type { TmuxSession } from './tmux.js';

export function demoScratch(): { tmp: string; track(s: TmuxSession): TmuxSession } {
  const tmp = makeTempDir('flower-e2e-');
  const sessions: TmuxSession[] = [];
  after(() => {
    for (const s of sessions) s.kill();
    for (const d of readdirSync(tmp)) spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', path.join(tmp, d, 'shop')]);
    rmSync(tmp, { recursive: true, force: true });
  });
  return { tmp, track: (s) => (sessions.push(s), s) };
}

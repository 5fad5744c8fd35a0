import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRepo } from './git-repo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built binary, as a user runs it. */
export const BIN = path.join(ROOT, 'bin', 'flower-tui.js');

/** Run `flower-tui ARGS --repo <repo>` and collect what it printed. */
export function cli(repo: TestRepo, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--repo', repo.mainRoot], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A test file's clean-ups, run after its tests newest first (a server registered after its
 * repository is stopped before the repository is deleted), each even if another one failed.
 */
export function cleanupList(): (fn: () => void) => void {
  const list: (() => void)[] = [];
  after(() => {
    for (const c of list.reverse()) {
      try {
        c();
      } catch {
        /* keep cleaning */
      }
    }
  });
  return (fn) => void list.push(fn);
}

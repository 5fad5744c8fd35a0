import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRepo } from './git-repo.js';
import { isProcessAlive } from './processes.js';

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

/**
 * The same for clean-ups that may be async (a mock server closing, a supervisor shutting down): the
 * list tests push onto, awaited newest first after the file's tests, each even if another failed.
 */
export function asyncCleanups(): (() => unknown)[] {
  const list: (() => unknown)[] = [];
  after(async () => {
    for (const c of list.reverse()) {
      try {
        await c();
      } catch {
        /* keep cleaning */
      }
    }
  });
  return list;
}

/**
 * Register the clean-up of a test repository that may have a server: stop the server (waiting for
 * it to exit, so its agents are gone) and then remove the files. Returns the repository.
 */
export function removedAfterItsServer(repo: TestRepo, onCleanup: (fn: () => void) => void): TestRepo {
  onCleanup(() => rmSync(repo.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }));
  onCleanup(() => {
    const r = cli(repo, ['server', 'stop', '--json']);
    if (r.status !== 0) return;
    const pid = (JSON.parse(r.stdout) as { pid: number }).pid;
    for (let i = 0; i < 150 && isProcessAlive(pid); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  });
  return repo;
}

import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { FlowerError } from '../errors.js';

/**
 * One merge at a time, across processes (two cockpits, a CLI, an orchestrating agent): a lock in the
 * repository's state dir. The holder's pid is written beside it so a refusal can say who holds it.
 */
export async function acquireMergeLock(stateDir: string): Promise<() => Promise<void>> {
  const target = path.join(stateDir, 'merge');
  const pidFile = path.join(stateDir, 'merge.pid');
  try {
    const release = await lockfile.lock(target, { realpath: false, lockfilePath: `${target}.lock`, stale: 30_000, update: 5_000, onCompromised: () => {} });
    writeFileSync(pidFile, String(process.pid), { mode: 0o600 });
    return async () => {
      rmSync(pidFile, { force: true });
      await release();
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      // The holder writes its pid just after taking the lock: give it a moment to appear.
      let pid = readPid(pidFile);
      for (let i = 0; i < 25 && !pid; i++) {
        await new Promise((r) => setTimeout(r, 20));
        pid = readPid(pidFile);
      }
      throw new FlowerError('merge-locked', `locked by pid ${pid ?? '?'}: another merge is running`);
    }
    throw e;
  }
}

function readPid(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null; // not written yet, or the holder is gone
  }
}

import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { FlowerError } from '../../shared/errors.js';

/**
 * One merge at a time, across processes (two cockpits, a CLI, an orchestrating agent): a lock in the
 * repository's state dir. The holder's pid is written beside it so a refusal can say who holds it.
 */
export async function acquireMergeLock(stateDir: string, retried = false): Promise<() => Promise<void>> {
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
      // Its holder was killed (a server killed mid-merge): the lock would only go stale after 30 s,
      // and the next server's queue would wait for that. A dead holder holds nothing: take it over.
      if (!retried && pid && Number(pid) !== process.pid && !alive(Number(pid))) {
        rmSync(pidFile, { force: true });
        // proper-lockfile only unlocks its own locks; the lock is a directory.
        rmSync(`${target}.lock`, { recursive: true, force: true });
        return acquireMergeLock(stateDir, true);
      }
      throw new FlowerError('merge-locked', `locked by pid ${pid ?? '?'}: another merge is running`);
    }
    throw e;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unknown: assume held
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null; // not written yet, or the holder is gone
  }
}

// Process checks for integration tests, read straight from /proc so they do not depend on the
// code under test (src/core/agents/process-tree.ts).
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Whether a process still exists as a running process. A zombie counts as gone: it has exited and
 * only waits for a parent to reap it (in containers, pid 1 may never reap reparented orphans, so
 * `process.kill(pid, 0)` alone would report dead grandchildren as alive forever).
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: kill(0) said it exists
  }
}

/** Last resort for test teardown: SIGKILL whatever of `pids` is still alive. */
export function killLeftovers(pids: Iterable<number>): number[] {
  const left: number[] = [];
  for (const pid of pids) {
    if (pid > 1 && isProcessAlive(pid)) {
      left.push(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return left;
}

/** ppid of every live process, from /proc (empty off Linux). */
function parentLinks(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list) list.push(Number(e));
      else children.set(ppid, [Number(e)]);
    } catch {
      /* exited while reading */
    }
  }
  return children;
}

/** `pid` and all its current descendants. */
export function processAndDescendants(pid: number): number[] {
  const children = parentLinks();
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Session id of a live process (null when gone or off Linux). */
export function sessionOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  } catch {
    return null;
  }
}

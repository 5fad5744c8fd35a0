import { after } from 'node:test';
import { killLeftovers } from './processes.js';

/** What a test file shuts down after its tests: any supervisor (kept structural, so this helper follows it wherever it lives). */
interface Stoppable {
  shutdown(): Promise<unknown>;
}

/**
 * The after-all of a test file that opens supervisors: every one still open is shut down, then
 * any pid a test saw that is still alive is SIGKILLed (and named: a leak is a bug to look at),
 * then the file's own cleanups run.
 */
export function supervisorCleanup<S extends Stoppable>(file: string): { seenPids: Set<number>; liveSupervisors: Set<S>; cleanups: (() => void)[] } {
  const seenPids = new Set<number>();
  const liveSupervisors = new Set<S>();
  const cleanups: (() => void)[] = [];
  after(async () => {
    for (const s of liveSupervisors) await s.shutdown().catch(() => {});
    const leaked = killLeftovers(seenPids);
    for (const c of cleanups) c();
    if (leaked.length) console.error(`${file}: SIGKILLed leftover pids ${leaked.join(', ')}`);
  });
  return { seenPids, liveSupervisors, cleanups };
}

import { after } from 'node:test';

export type Cleanup = () => void | Promise<void>;

/**
 * What a test file pushes here is undone after all its tests, newest first (a server stops before
 * its repository is removed), each step tried even when one before it threw. `last` runs after
 * them all (e.g. killing processes the steps may have left).
 */
export function cleanupsAfterAll(last?: () => void): Cleanup[] {
  const cleanups: Cleanup[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        /* keep cleaning */
      }
    }
    last?.();
  });
  return cleanups;
}

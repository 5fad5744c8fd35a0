// Condition polling for tests with real processes: wait for what matters, never for a fixed time.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolve with the first truthy value `cond` returns; reject after `timeoutMs` with `what` and the
 * last value (or error) seen, so a failure says what was awaited and what there was instead.
 */
export async function waitUntil<T>(
  cond: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string | (() => string) } = {},
): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const what = typeof opts.what === 'function' ? opts.what() : opts.what ?? String(cond);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Whether to refresh an agent now. Pure. The traps it guards against (reference/agent-usage.md):
 * refreshing mid-turn loses work (so only when idle or waiting), and a refresh that re-crosses the
 * threshold at once becomes a restart treadmill (so a cool-down and a cap per hour).
 */
export interface RefreshPolicy {
  mode: 'manual' | 'auto';
  action: 'respawn' | 'command' | 'notify';
  cooldownMs: number;
  maxPerHour: number;
}

export type RefreshDecision =
  | { go: true }
  | { go: false; reason: 'not-rotten' | 'manual' | 'busy' | 'cooldown' | 'cap' | 'not-running' };

export function decideRefresh(opts: {
  level: 'ok' | 'warn' | 'rot' | 'unknown';
  activity: 'working' | 'waiting' | 'idle' | 'exited' | 'unknown';
  policy: RefreshPolicy;
  /** Times of earlier refreshes (ms). */
  history: number[];
  now: number;
  /** The operator asked (R, flower-tui refresh): thresholds and mode do not apply, safety does. */
  manual: boolean;
}): RefreshDecision {
  const { policy, history, now } = opts;
  if (opts.activity === 'exited') return { go: false, reason: 'not-running' };
  if (!opts.manual) {
    if (opts.level !== 'rot') return { go: false, reason: 'not-rotten' };
    if (policy.mode !== 'auto') return { go: false, reason: 'manual' };
  }
  if (opts.activity === 'working') return { go: false, reason: 'busy' };
  if (!opts.manual) {
    const last = history.length ? Math.max(...history) : -Infinity;
    if (now - last < policy.cooldownMs) return { go: false, reason: 'cooldown' };
    if (history.filter((t) => now - t < 3_600_000).length >= policy.maxPerHour) return { go: false, reason: 'cap' };
  }
  return { go: true };
}

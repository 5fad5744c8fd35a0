/**
 * From a token count and a window to what the header shows. Pure. Never a guessed percentage: an
 * unknown window gives a null percent (shown as "?"). Thresholds are a fraction of the window (≤ 1)
 * or absolute tokens (> 1), as the profile's refresh policy says.
 */
export interface UsageLevel {
  tokens: number | null;
  window: number | null;
  percent: number | null;
  level: 'ok' | 'warn' | 'rot' | 'unknown';
}

export function thresholdTokens(t: number | undefined, window: number | null): number | null {
  if (t === undefined) return null;
  if (t > 1) return t;
  return window ? Math.round(t * window) : null;
}

/**
 * The window: the profile's, else the probe's (Codex reports it), else — for Claude — at least 1M
 * once an observed context exceeds 200k (a 200k window cannot hold more).
 */
export function effectiveWindow(tokens: number | null, configured: number | undefined, reported: number | null, claudeDefault: boolean): number | null {
  if (configured) return tokens !== null && tokens > configured && claudeDefault ? 1_000_000 : configured;
  if (reported) return reported;
  if (claudeDefault) return tokens !== null && tokens > 200_000 ? 1_000_000 : 200_000;
  return null;
}

export function usageLevel(tokens: number | null, window: number | null, policy: { warnAt?: number; refreshAt?: number }): UsageLevel {
  if (tokens === null) return { tokens: null, window, percent: null, level: 'unknown' };
  const percent = window ? Math.round((tokens / window) * 1000) / 10 : null;
  const rot = thresholdTokens(policy.refreshAt, window);
  const warn = thresholdTokens(policy.warnAt, window);
  const level = rot !== null && tokens >= rot ? 'rot' : warn !== null && tokens >= warn ? 'warn' : 'ok';
  return { tokens, window, percent, level };
}

/** "412k/1M 41%", "41.1k/200k 21%", "12k/? ?" — what a header has room for. */
export function formatUsage(u: { tokens: number | null; window: number | null; percent: number | null }): string {
  if (u.tokens === null) return 'ctx ?';
  const pct = u.percent === null ? '?' : `${Math.round(u.percent)}%`;
  return `ctx ${compact(u.tokens)}/${u.window ? compact(u.window) : '?'} ${pct}`;
}

export function compact(n: number): string {
  if (n >= 1_000_000) return `${trim(n / 1_000_000)}M`;
  if (n >= 1000) return `${trim(n / 1000)}k`;
  return String(n);
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(1).replace(/\.0$/, '');
}

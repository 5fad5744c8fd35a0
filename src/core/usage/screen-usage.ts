/**
 * Context usage read off an agent's rendered screen (Gemini's "(NN% context left)", aider's
 * "Tokens: 18k sent"): a regex per profile over the emulator's rows, never over raw bytes. Pure.
 */
export interface ScreenUsage {
  tokens: number | null;
  percentLeft: number | null;
}

/** "18k" → 18000, "1.2M" → 1200000, "41,100" → 41100. */
export function parseTokenCount(s: string): number | null {
  const m = /^([\d.,]+)\s*([kKmM])?$/.exec(s.trim());
  if (!m) return null;
  const n = Number(m[1]!.replace(/,/g, ''));
  if (!Number.isFinite(n)) return null;
  const mult = m[2] ? (m[2].toLowerCase() === 'k' ? 1000 : 1_000_000) : 1;
  return Math.round(n * mult);
}

/** The last match on screen wins (the newest status line is lowest). */
export function readScreenUsage(rows: string[], pattern: RegExp, kind: 'percentLeft' | 'tokens'): ScreenUsage | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const m = pattern.exec(rows[i]!);
    if (!m || m[1] === undefined) continue;
    if (kind === 'percentLeft') {
      const p = Number(m[1]);
      if (Number.isFinite(p) && p >= 0 && p <= 100) return { tokens: null, percentLeft: p };
    } else {
      const t = parseTokenCount(m[1]);
      if (t !== null) return { tokens: t, percentLeft: null };
    }
  }
  return null;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';

// A demo server stops itself (and its agents) once no cockpit has been attached for a while, so a
// demo whose terminal was closed does not leave a server and its agents running for good. Only demo
// repositories carry the marker (`<git common dir>/flower/demo.json`, written by `flower-tui demo`).

export const DEMO_MARKER = 'demo.json';
/** Ten minutes without a cockpit; FLOWER_DEMO_IDLE_MS overrides it (tests use a short one). */
export const DEMO_IDLE_MS = 10 * 60_000;

/** The unattended period after which this repository's server stops, or null (not a demo). */
export function unattendedStopMs(stateDir: string, env: NodeJS.ProcessEnv = process.env): number | null {
  try {
    readFileSync(path.join(stateDir, DEMO_MARKER), 'utf8');
  } catch {
    return null;
  }
  const fromEnv = Number(env.FLOWER_DEMO_IDLE_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? Math.min(fromEnv, 2 ** 31 - 1) : DEMO_IDLE_MS;
}

/** Fires `onUnattended` once no cockpit has been attached for `ms` (counted from start, or the last detach). */
export class UnattendedStop {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onUnattended: () => void,
  ) {
    this.attached(0);
  }

  attached(cockpits: number): void {
    if (cockpits > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.onUnattended();
      }, this.ms);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

import type { StatusState } from '../core/status/agent-status.js';
import { formatUptime } from '../shared/format-duration.js';

/**
 * How long an agent has been in its state, as its header shows it, and when that text next changes.
 *
 * Seconds matter while the agent is busy or waiting for the operator (working 42s, needs-you 12s);
 * a calm agent (idle, ended) shows minutes only ("idle <1m", "idle 3m"), so a cockpit of quiet
 * agents redraws its headers once a minute at most, not every second; an agent only known to be
 * running shows none.
 */
const BY_THE_SECOND: ReadonlySet<StatusState> = new Set(['working', 'needs-you', 'compacting', 'starting']);

export function headerDuration(state: StatusState, ms: number): string | null {
  // "running" says only that the process is alive: its duration would be the uptime, not how long
  // it has been doing anything (and a cockpit of such agents never has to wake for it).
  if (state === 'running') return null;
  const d = Math.max(0, ms);
  return !BY_THE_SECOND.has(state) && d < 60_000 ? '<1m' : formatUptime(d);
}

/**
 * Milliseconds until `headerDuration(state, ms)` reads differently (Infinity: it never shows one).
 * "seconds": a duration shown as m:ss all along (the merge queue's step in MAIN's monitor).
 */
export function msUntilChange(state: StatusState | 'seconds', ms: number): number {
  if (state === 'running') return Infinity;
  const d = Math.max(0, ms);
  if (state === 'seconds' || (BY_THE_SECOND.has(state) && d < 60_000)) return 1000 - (d % 1000);
  return 60_000 - (d % 60_000);
}

/** Less than a second: no duration shown by the second changes twice within it. */
const COALESCE_MS = 999;

export interface ClockDeps {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ClockDeps = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * One timer for every duration on screen: it fires when the first of them changes, the cockpit
 * redraws its chrome and tells the clock again what is shown. Nothing shown, no timer: a cockpit
 * showing no header (attached, too small) never wakes for this.
 */
export class HeaderClock {
  private timer: unknown = null;
  private due = Infinity;

  constructor(
    private readonly onTick: () => void,
    private readonly clock: ClockDeps = realClock,
  ) {}

  /** The states (with their since) whose durations are on screen now. */
  show(shown: readonly { state: StatusState | 'seconds'; since: string }[]): void {
    const now = this.clock.now();
    const dues: number[] = [];
    for (const s of shown) {
      const since = Date.parse(s.since);
      const left = Number.isNaN(since) ? Infinity : msUntilChange(s.state, now - since);
      if (left !== Infinity) dues.push(now + left);
    }
    // Agents started a few ms apart change a few ms apart: one redraw for every change due within a
    // second of the first (each text at most that late), not one per agent.
    const first = Math.min(...dues);
    const next = dues.reduce((m, d) => (d <= first + COALESCE_MS ? Math.max(m, d) : m), first);
    if (next === this.due) return;
    this.stop();
    if (next === Infinity) return;
    this.due = next;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.due = Infinity;
      this.onTick();
      // A few ms late rather than early: the wall clock and the timers' clock may disagree by one.
    }, next - now + 5);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.due = Infinity;
  }

  /** Whether a tick is scheduled (for tests and the idle check). */
  get pending(): boolean {
    return this.timer !== null;
  }
}

/**
 * What an agent is doing: working, waiting for input, idle, exited — or, honestly, unknown. Pure.
 * The transcript's turn state is the best evidence; then the screen (a prompt pattern); then output
 * activity (something printed in the last moments = working).
 */
export type Activity = 'working' | 'waiting' | 'idle' | 'exited' | 'unknown';

export const OUTPUT_QUIET_MS = 2000;
export const IDLE_AFTER_MS = 5 * 60_000;

export function activityOf(opts: {
  live: boolean;
  now: number;
  lastOutputAt: number;
  /** From the transcript (claude/codex), when there is one. */
  turn: 'working' | 'waiting' | 'unknown';
  /** The profile's prompt pattern is visible on screen (null: no pattern configured). */
  promptVisible: boolean | null;
}): Activity {
  if (!opts.live) return 'exited';
  const quietFor = opts.now - opts.lastOutputAt;
  const printing = quietFor < OUTPUT_QUIET_MS;
  if (opts.turn === 'working') return 'working';
  if (opts.turn === 'waiting') return quietFor >= IDLE_AFTER_MS ? 'idle' : printing ? 'working' : 'waiting';
  if (opts.promptVisible === true && !printing) return quietFor >= IDLE_AFTER_MS ? 'idle' : 'waiting';
  if (printing) return 'working';
  if (opts.promptVisible === false) return 'unknown';
  return quietFor >= IDLE_AFTER_MS ? 'idle' : 'unknown';
}

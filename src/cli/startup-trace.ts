import { appendFileSync } from 'node:fs';

// Opt-in startup timing: FLOWER_TRACE_STARTUP=FILE appends one line per step, in ms since this process
// began (performance.now() counts from process start). Costs nothing when unset. Used to find where the
// time to the first frame goes (see bench/run.mjs, section startup).
const file = process.env.FLOWER_TRACE_STARTUP;

export function startupMark(step: string): void {
  if (!file) return;
  try {
    appendFileSync(file, `${process.pid} ${performance.now().toFixed(1).padStart(7)} ms  ${step}\n`);
  } catch {
    /* a diagnostic must never break startup */
  }
}

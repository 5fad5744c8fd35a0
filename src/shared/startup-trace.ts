import { appendFileSync } from 'node:fs';

// Opt-in startup timing: FLOWER_TRACE_STARTUP=FILE appends one line per step, in ms since this process
// began (performance.now() counts from process start) and the CPU time used so far, which is what
// matters on a busy machine. Costs nothing when unset. Used to find where the
// time to the first frame goes (see bench/sections/startup.mjs).
const file = process.env.FLOWER_TRACE_STARTUP;

export function startupMark(step: string): void {
  if (!file) return;
  try {
    const cpu = process.cpuUsage();
    appendFileSync(file, `${process.pid} ${performance.now().toFixed(1).padStart(7)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(4)} ms)  ${step}\n`);
  } catch {
    /* a diagnostic must never break startup */
  }
}

// Processes as /proc sees them: CPU, RSS, liveness, and waiting for a condition or for quiet.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** /proc/<pid>/stat: CPU ticks (own and reaped children), state, RSS. null when gone. */
export function procStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], utime: +f[11], stime: +f[12], cutime: +f[13], cstime: +f[14] };
  } catch {
    return null;
  }
}
/** CPU seconds of a set of pids (own), and of their reaped children. */
export function cpuOf(pids) {
  let own = 0;
  let children = 0;
  for (const pid of pids) {
    const s = procStat(pid);
    if (!s) continue;
    own += s.utime + s.stime;
    children += s.cutime + s.cstime;
  }
  return { own: own / CLK_TCK, children: children / CLK_TCK };
}
export function rssMB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
export function alive(pid) {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}
export function killPid(pid, sig = 'SIGKILL') {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}
export async function waitUntil(fn, timeoutMs, what, stepMs = 20) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}
/** Wait until a set of processes uses (almost) no CPU: nothing left to parse or draw. */
export async function quiesce(pids, { maxMs = 20_000, quietTicks = 1, stepMs = 500 } = {}) {
  const end = performance.now() + maxMs;
  let last = cpuOf(pids).own;
  let quiet = 0;
  while (performance.now() < end) {
    await sleep(stepMs);
    const now = cpuOf(pids).own;
    if ((now - last) * CLK_TCK <= quietTicks) {
      if (++quiet >= 2) return;
    } else quiet = 0;
    last = now;
  }
}

/** Whole-machine CPU busy % (all cores, everything running, the bench included) between two /proc/stat reads. */
export function cpuTotals() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

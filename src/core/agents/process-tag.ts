import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

/**
 * Every process an agent starts carries `FLOWER_TUI_PROCESS_TAG=<server tag>.<n>` in its
 * environment, inherited by every descendant. Parent links and sessions miss what double-forked
 * away (`(setsid sleep 100 &)` is reparented to init, in a session of its own), the environment does
 * not: /proc/<pid>/environ finds it. The server's tag is unique per process, so the watchdog of a
 * server that died kills its agents' leftovers and nothing of the next server's.
 */
export const PROCESS_TAG_VAR = 'FLOWER_TUI_PROCESS_TAG';

/** This process's tag prefix: pid plus randomness, so a recycled pid never matches an old tag. */
export const SERVER_TAG = `${process.pid}-${randomBytes(6).toString('hex')}`;

let counter = 0;

/** A fresh tag for one start of one agent (a respawn gets a new one: an old sweep never hits it). */
export function nextProcessTag(): string {
  counter += 1;
  return `${SERVER_TAG}.${counter}`;
}

/** Pids (not ours) whose environment carries exactly `tag`, or any tag under prefix `prefix.` when `prefix` is set. */
export function pidsWithTag(match: { tag?: string; prefix?: string }): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const exact = match.tag ? `${PROCESS_TAG_VAR}=${match.tag}` : null;
  const under = match.prefix ? `${PROCESS_TAG_VAR}=${match.prefix}.` : null;
  const needle = Buffer.from(`${PROCESS_TAG_VAR}=`);
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${e}/environ`);
    } catch {
      continue; // gone, or not ours to read (another user's: not ours to kill either)
    }
    if (env.indexOf(needle) === -1) continue;
    for (const v of env.toString('utf8').split('\0')) {
      if ((exact && v === exact) || (under && v.startsWith(under))) {
        out.push(Number(e));
        break;
      }
    }
  }
  return out;
}

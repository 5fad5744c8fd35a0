import { readFileSync, readdirSync } from 'node:fs';
import { pidsWithTag } from './process-tag.js';

/**
 * Killing an agent means killing everything it started. node-pty's kill() signals only the direct
 * child, while agents leave grandchildren (dev servers, `nohup`, subshells that called setsid). The
 * pty child is a session leader, so its session id equals its pid: we kill that session, its process
 * group, and every descendant found by walking parent links — the union catches both daemonised
 * children (new session, but still descendants until reparented) and reparented ones (same session).
 * What left both (a double fork into a new session: `(setsid cmd &)`) is found by the agent's
 * process tag in its environment (process-tag.ts).
 */
interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  state: string;
}

function readProcStats(): ProcStat[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null; // not Linux: fall back to process groups only
  }
  const out: ProcStat[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'utf8');
      // The command name is in parentheses and may itself contain spaces or ")".
      const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(e), state: rest[0] ?? '?', ppid: Number(rest[1]), pgrp: Number(rest[2]), session: Number(rest[3]) });
    } catch {
      // The process exited while we were reading: nothing to kill.
    }
  }
  return out;
}

/** Pids belonging to the agent rooted at `root` (root included when still alive), or carrying its `tag`. Zombies excluded. */
export function processTreeOf(root: number, tag?: string): number[] {
  const stats = readProcStats();
  if (!stats) return isAlive(root) ? [root] : [];
  const byParent = new Map<number, number[]>();
  for (const p of stats) {
    const list = byParent.get(p.ppid);
    if (list) list.push(p.pid);
    else byParent.set(p.ppid, [p.pid]);
  }
  const found = new Set<number>();
  for (const p of stats) if (p.pid === root || p.session === root || p.pgrp === root) found.add(p.pid);
  if (tag) for (const pid of pidsWithTag({ tag })) found.add(pid);
  const stack = [...found];
  while (stack.length) {
    const pid = stack.pop()!;
    for (const child of byParent.get(pid) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        stack.push(child);
      }
    }
  }
  const zombies = new Set(stats.filter((p) => p.state === 'Z').map((p) => p.pid));
  return [...found].filter((pid) => !zombies.has(pid));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill(0) said it exists
  }
}

function signalAll(pids: number[], root: number, sig: NodeJS.Signals): void {
  // The group signal reaches members we could not see (no /proc) or that forked meanwhile.
  try {
    process.kill(-root, sig);
  } catch {
    /* group already gone */
  }
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGHUP + SIGTERM to the whole tree, then SIGKILL to whatever is left after `graceMs`.
 * Resolves when nothing of the tree is alive (or after the SIGKILL pass).
 */
export async function killProcessTree(root: number, graceMs: number, tag?: string, opts: { sandboxed?: boolean } = {}): Promise<void> {
  let pids = processTreeOf(root, tag);
  if (pids.length === 0) return;
  if (opts.sandboxed) {
    // bwrap dies at SIGTERM and, dying, SIGKILLs the sandbox (--die-with-parent): the agent would get
    // no grace at all. So the polite signals go to the programs only; bwrap ends when they have.
    const programs = pids.filter((p) => commOf(p) !== 'bwrap');
    signalEach(programs, 'SIGHUP');
    signalEach(programs, 'SIGTERM');
  } else {
    signalAll(pids, root, 'SIGHUP');
    signalAll(pids, root, 'SIGTERM');
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(25);
    pids = pids.filter(isAlive);
    if (pids.length === 0) return;
  }
  killProcessTreeNow(root, pids, tag);
}

function signalEach(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Synchronous SIGKILL of the tree: for `process.on('exit')`, where nothing asynchronous runs. */
export function killProcessTreeNow(root: number, known: number[] = [], tag?: string): void {
  const pids = [...new Set([...known, ...processTreeOf(root, tag)])];
  signalAll(pids, root, 'SIGKILL');
}

import { spawn, type ChildProcess } from 'node:child_process';
import { withoutInheritedFds } from '../core/agents/inherited-fds.js';
import { PROCESS_TAG_VAR, SERVER_TAG } from '../core/agents/process-tag.js';

/**
 * Whatever way the server ends — `server stop`, a crash, `kill -9`, the OOM killer — nothing its agents
 * started may outlive it. A clean stop kills every agent's processes itself; for the other ways, a
 * tiny detached `sh` is started with the server: its stdin is a pipe whose only write end the server
 * holds, so when the server dies, however it dies, the kernel closes that end and `read` returns.
 * The watchdog then sends SIGTERM to every process carrying one of this server's process tags
 * (process-tag.ts; double-forked setsid children included), waits the agents' grace period, and
 * SIGKILLs what is left. The tag is passed as a positional arg, never as script text.
 */
const SCRIPT = [
  'tag=$1 grace=$2',
  'while read -r _; do :; done',
  'sweep() {',
  `  for e in $(grep -lsz "^${PROCESS_TAG_VAR}=$tag\\." /proc/[0-9]*/environ); do`,
  '    p=${e#/proc/}; kill "-$1" "${p%/environ}" 2>/dev/null',
  '  done',
  '}',
  'sweep TERM',
  'sleep "$grace"',
  'sweep KILL',
].join('\n');

let watchdog: ChildProcess | null = null;

/** Start the watchdog for this process's tag (once). Best effort: without it, the next server still kills stragglers. */
export function startWatchdog(graceMs: number, log: (line: string) => void): void {
  if (watchdog || process.platform !== 'linux') return;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== PROCESS_TAG_VAR) env[k] = v;
  const cmd = withoutInheritedFds('/bin/sh', ['-c', SCRIPT, 'flower-tui-watchdog', SERVER_TAG, (Math.max(graceMs, 50) / 1000).toFixed(3)]);
  try {
    watchdog = spawn(cmd.file, cmd.args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env, cwd: '/' });
  } catch (e) {
    log(`watchdog not started: ${(e as Error).message}`);
    return;
  }
  watchdog.on('error', (e) => log(`watchdog: ${e.message}`));
  // Never keeps the server alive, and is never written to: only its end-of-file matters.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog.stdin?.on('error', () => {});
}

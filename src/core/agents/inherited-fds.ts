import { accessSync, constants } from 'node:fs';

/**
 * Start a program with no file descriptor of ours but stdin, stdout and stderr.
 *
 * node-pty opens pty masters without close-on-exec, so every later child (the next agent, a gate, a
 * health check) inherited the masters of every earlier agent. One agent that ignored SIGHUP then kept
 * all those ptys open after the server died, so none of them hung up and their agents lived on. The
 * fork happens inside node-pty's native code, where we cannot mark or close anything; instead the
 * first program in the child is a tiny bash that closes every descriptor above 2 (listed from
 * /proc/self/fd) and then execs the real command — same pid, same session, nothing else changes.
 *
 * The command and its args travel as bash's positional parameters ("$@"), never inside the script
 * text: nothing a user or a config supplies is ever parsed by the shell.
 */
const SWEEP = [
  'for f in /proc/self/fd/*; do',
  '  n=${f##*/}',
  '  case $n in ""|*[!0-9]*) continue ;; esac',
  '  [ "$n" -gt 2 ] || continue',
  // The directory the glob read is gone already (its fd number may be listed): ignore that one.
  '  { exec {n}>&-; } 2>/dev/null',
  'done',
  'exec "$@"',
].join('\n');

let bashPath: string | null | undefined;

function findBash(): string | null {
  if (bashPath !== undefined) return bashPath;
  bashPath = null;
  // Only bash closes a descriptor named by a variable (`exec {n}>&-`); dash cannot go past fd 9.
  for (const p of ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash']) {
    try {
      accessSync(p, constants.X_OK);
      bashPath = p;
      break;
    } catch {
      /* next */
    }
  }
  return bashPath;
}

/** True on systems where the sweep can run (Linux /proc and a bash). */
export function canCloseInheritedFds(): boolean {
  return process.platform === 'linux' && findBash() !== null;
}

/**
 * `file args…` as a command line that first closes inherited descriptors. Where that is impossible
 * (no bash, no /proc) the command is returned unchanged: the agent still runs, as before.
 */
export function withoutInheritedFds(file: string, args: readonly string[]): { file: string; args: string[] } {
  const bash = canCloseInheritedFds() ? findBash() : null;
  if (!bash) return { file, args: [...args] };
  return { file: bash, args: ['--norc', '--noprofile', '-c', SWEEP, 'flower-tui-exec', file, ...args] };
}

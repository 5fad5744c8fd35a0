import { loadExeca } from './lazy-execa.js';
import { withoutInheritedFds } from '../agents/inherited-fds.js';
import { nextProcessTag, PROCESS_TAG_VAR } from '../agents/process-tag.js';
import { wrapCommand } from '../sandbox/bwrap-args.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';

export interface CheckResult {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  /** The last lines of output (stdout and stderr interleaved), for the operator. */
  tail: string[];
  durationMs: number;
}

/**
 * Run a gate or health command (a shell string from the operator's own config) with a timeout,
 * streaming each output line as it comes. The whole process group is killed on timeout.
 */
export async function runCheck(
  command: string,
  opts: { cwd: string; timeoutMs: number; onLine?: (line: string) => void; env?: Record<string, string>; signal?: AbortSignal; sandbox?: SandboxDecision },
): Promise<CheckResult> {
  const started = Date.now();
  const sb = opts.sandbox;
  // sandbox.mode "required" without a working bubblewrap: the check fails, saying why; nothing runs.
  if (sb?.kind === 'refused') return { ok: false, code: null, timedOut: false, tail: [sb.reason], durationMs: 0 };
  const tail: string[] = [];
  const push = (line: string) => {
    tail.push(line);
    if (tail.length > 200) tail.shift();
    opts.onLine?.(line);
  };
  // No pty master of an agent leaks into it, and a server that dies mid-check takes it along (watchdog);
  // the sandbox sits inside the fd sweep: sh -c (fd sweep) → exec bwrap … -- /bin/sh -c command.
  const run = sb?.kind === 'bwrap' ? wrapCommand(sb.bwrap, sb.args, '/bin/sh', ['-c', command]) : { file: '/bin/sh', args: ['-c', command] };
  const cmd = withoutInheritedFds(run.file, run.args);
  const baseEnv = { ...(process.env as Record<string, string>), ...opts.env };
  const execa = await loadExeca();
  const child = execa(cmd.file, cmd.args, {
    cwd: opts.cwd,
    reject: false,
    all: true,
    detached: true, // its own process group, so a timeout kills what it started too
    env: { ...(sb ? sb.env(baseEnv, opts.env) : baseEnv), [PROCESS_TAG_VAR]: nextProcessTag() },
    extendEnv: false,
    stdin: 'ignore',
  });
  // Timeout and cancel kill the whole group at once: a grandchild (the shell's `sleep`, npm's node)
  // holds the output pipe, and `await child` would otherwise wait for it to end by itself.
  let timedOut = false;
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, opts.timeoutMs);
  if (opts.signal?.aborted) killGroup();
  else opts.signal?.addEventListener('abort', killGroup, { once: true });
  let partial = '';
  child.all?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const l of lines) push(l);
  });
  const r = await child;
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', killGroup);
  if (partial) push(partial);
  return { ok: r.exitCode === 0 && !timedOut && !opts.signal?.aborted, code: r.exitCode ?? null, timedOut, tail, durationMs: Date.now() - started };
}

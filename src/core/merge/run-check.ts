import { execa } from 'execa';

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
export async function runCheck(command: string, opts: { cwd: string; timeoutMs: number; onLine?: (line: string) => void; env?: Record<string, string>; signal?: AbortSignal }): Promise<CheckResult> {
  const started = Date.now();
  const tail: string[] = [];
  const push = (line: string) => {
    tail.push(line);
    if (tail.length > 200) tail.shift();
    opts.onLine?.(line);
  };
  const child = execa('/bin/sh', ['-c', command], {
    cwd: opts.cwd,
    reject: false,
    all: true,
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    detached: true, // its own process group, so a timeout kills what it started too
    env: { ...process.env, ...opts.env },
    stdin: 'ignore',
    cancelSignal: opts.signal,
  });
  let partial = '';
  child.all?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const l of lines) push(l);
  });
  const r = await child;
  if (partial) push(partial);
  if ((r.timedOut || r.isCanceled) && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  return { ok: r.exitCode === 0 && !r.timedOut, code: r.exitCode ?? null, timedOut: Boolean(r.timedOut), tail, durationMs: Date.now() - started };
}

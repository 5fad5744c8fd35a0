// Drives the built flower-tui as a script would (spawn, send, wait, log), asynchronously: a test's
// loopback mocks (mock-anthropic, mock-openai) live in the test's own process, so a blocking
// spawnSync of `flower-tui wait` would freeze them and the agent's request would never be answered.
import { execFile } from 'node:child_process';
import { BIN } from './cli.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One state transition as the trace records it (`flower-tui log --action state --json`). */
export interface StateLine {
  ts: string;
  details: { state: string; reason: string | null; source: string; from: string };
}

export interface AgentStatusJson {
  state: string;
  reason: string | null;
  source: string;
  since: string;
}

export interface FlowerDriver {
  run(args: string[], timeoutMs?: number): Promise<CliResult>;
  /** run, and fail (with what it printed) unless it exits 0. */
  ok(args: string[], timeoutMs?: number): Promise<string>;
  /** The agent's transitions so far, oldest first. */
  states(agent: string): Promise<StateLine[]>;
  /** `state/source` of each transition from index `from`. */
  seq(agent: string, from?: number): Promise<string[]>;
  /** `wait AGENT --for STATE --since-input`: the status, or an error saying what it is instead. */
  waitFor(agent: string, state: string, timeoutS?: number): Promise<AgentStatusJson>;
}

export function flowerDriver(opts: { repo: string; config: string; env: Record<string, string> }): FlowerDriver {
  const run = (args: string[], timeoutMs = 120_000): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args, '--repo', opts.repo, '--config', opts.config], { encoding: 'utf8', env: opts.env, timeout: timeoutMs }, (err, stdout, stderr) => {
        const code = err && typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as unknown as { code: number }).code) : err ? null : 0;
        resolve({ status: code, stdout, stderr });
      });
    });
  const ok = async (args: string[], timeoutMs?: number) => {
    const r = await run(args, timeoutMs);
    if (r.status !== 0) throw new Error(`flower-tui ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const states = async (agent: string) => {
    const out = (await run(['log', '--json', '--action', 'state', '--agent', agent])).stdout.trim();
    return out ? out.split('\n').map((l) => JSON.parse(l) as StateLine) : [];
  };
  const seq = async (agent: string, from = 0) => (await states(agent)).slice(from).map((s) => `${s.details.state}/${s.details.source}`);
  const waitFor = async (agent: string, state: string, timeoutS = 90) => {
    const r = await run(['wait', agent, '--for', state, '--since-input', '--timeout', String(timeoutS), '--json'], (timeoutS + 30) * 1000);
    if (r.status !== 0) throw new Error(`wait ${agent} --for ${state}: exit ${r.status}: ${r.stderr.trim()}; transitions: ${(await seq(agent)).join(' ')}`);
    return (JSON.parse(r.stdout) as { status: AgentStatusJson }).status;
  };
  return { run, ok, states, seq, waitFor };
}

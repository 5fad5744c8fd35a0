import { FlowerError } from '../../core/errors.js';
import type { AgentInfo, ReportState } from '../../core/types.js';
import { statusLabel, type WaitTarget } from '../../core/status/agent-status.js';
import { reportForHook } from '../../core/status/hook-events.js';
import { FlowerClient } from '../../server/client.js';
import { flowerVersion } from '../../server/flower-version.js';
import { print, withClient, type RepoArgs } from './common.js';

/**
 * A client for an agent reporting about itself: straight to the socket its server gave it
 * (FLOWER_SOCKET: no repository lookup, no git — hooks run on every tool call), else the
 * repository's server found from the current directory.
 */
async function withAgentClient<T>(args: RepoArgs, fn: (c: FlowerClient) => Promise<T>): Promise<T> {
  const socket = process.env.FLOWER_SOCKET;
  if (!socket || args.repo) return withClient(args, false, fn);
  let c: FlowerClient;
  try {
    c = await FlowerClient.connect(socket, { role: 'cli', version: flowerVersion() });
  } catch (e) {
    throw new FlowerError('no-server', `cannot reach the flower-tui server at ${socket}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

function agentFromEnv(agent: string | undefined): string {
  const id = agent ?? process.env.FLOWER_AGENT;
  if (!id) throw new FlowerError('bad-usage', 'which agent? FLOWER_AGENT is not set (run this from an agent flower-tui started, or pass --agent)');
  return id;
}

/** `flower-tui report STATE [--reason TEXT]`: an agent (any CLI, a script) says what it is doing. */
export async function reportCommand(args: RepoArgs & { state: string; reason?: string; agent?: string }): Promise<void> {
  const agent = agentFromEnv(args.agent);
  await withAgentClient(args, async (c) => {
    const info = (await c.request({ type: 'report', agent, state: args.state as ReportState, reason: args.reason ?? null })) as AgentInfo;
    print(args, `${agent}: ${statusLabel(info.status)}${info.status.reason ? ` (${info.status.reason})` : ''}`, { agent, status: info.status });
  });
}

/**
 * `flower-tui hook claude|codex`: run by the agent's hooks with the event's JSON on stdin. It must
 * never get in the agent's way: nothing on stdout (Claude adds a UserPromptSubmit hook's output to
 * the prompt), exit 0 whatever happens, a problem said in one line on stderr.
 */
export async function hookCommand(args: RepoArgs & { kind: string }): Promise<void> {
  try {
    const agent = process.env.FLOWER_AGENT;
    if (!agent) return;
    const input = await readStdin();
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(input) as Record<string, unknown>;
    } catch {
      throw new FlowerError('bad-usage', `hook ${args.kind}: stdin is not the hook's JSON`);
    }
    const r = reportForHook(event, args.kind === 'codex' ? 'codex' : 'claude');
    if (!r) return;
    await withAgentClient(args, (c) => c.request({ type: 'report', agent, state: r.state, reason: r.reason, keepReason: r.keepReason }));
  } catch (e) {
    process.stderr.write(`flower-tui hook: ${(e as Error).message.split('\n')[0]}\n`);
  }
}

/** `flower-tui wait AGENT --for STATE [--timeout S]`: exit 0 once reached, 124 on timeout. */
export async function waitCommand(args: RepoArgs & { agent: string; for: WaitTarget; timeout?: number; sinceInput?: boolean }): Promise<void> {
  const timeoutMs = args.timeout !== undefined ? Math.max(0, args.timeout * 1000) : undefined;
  await withClient(args, false, async (c) => {
    const info = (await c.request({ type: 'wait', agent: args.agent, for: args.for, sinceInput: args.sinceInput, timeoutMs })) as AgentInfo;
    print(args, `${info.id}: ${statusLabel(info.status)}${info.status.reason ? ` (${info.status.reason})` : ''}`, { agent: info.id, status: info.status });
  });
}

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => resolve(''));
  });
}

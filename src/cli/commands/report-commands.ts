import { FlowerError } from '../../shared/errors.js';
import type { AgentInfo, ReportState } from '../../core/types.js';
import { statusLabel, type WaitTarget } from '../../core/status/agent-status.js';
import { FlowerClient } from '../../client/client.js';
import { flowerVersion } from '../../protocol/flower-version.js';
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

/** `flower-tui hook claude|codex` (also taken straight from bin/flower-tui.js: see hook-run.ts). */
export async function hookCommand(args: { kind: string }): Promise<void> {
  await (await import('../hook-run.js')).runHook(args.kind);
}

/** `flower-tui wait AGENT --for STATE [--timeout S]`: exit 0 once reached, 124 on timeout. */
export async function waitCommand(args: RepoArgs & { agent: string; for: WaitTarget; timeout?: number; sinceInput?: boolean }): Promise<void> {
  const timeoutMs = args.timeout !== undefined ? Math.max(0, args.timeout * 1000) : undefined;
  await withClient(args, false, async (c) => {
    const info = (await c.request({ type: 'wait', agent: args.agent, for: args.for, sinceInput: args.sinceInput, timeoutMs })) as AgentInfo;
    print(args, `${info.id}: ${statusLabel(info.status)}${info.status.reason ? ` (${info.status.reason})` : ''}`, { agent: info.id, status: info.status });
  });
}


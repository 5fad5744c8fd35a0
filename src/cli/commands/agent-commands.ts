import { readFileSync } from 'node:fs';
import { nextStartRestore } from '../../core/store/deliberate-stop.js';
import { FlowerError, isFlowerError } from '../../shared/errors.js';
import type { AgentInfo, Snapshot } from '../../core/types.js';
import type { ServerInfo } from '../../protocol/messages.js';
import { formatStatus } from '../format-status.js';
import { locate, print, withClient, type RepoArgs } from './common.js';

type StatusResult = { snapshot: Snapshot; server: ServerInfo };

/** `status`: never starts a server — "none running" is the answer (exit 3). */
export async function statusCommand(args: RepoArgs): Promise<void> {
  try {
    await withClient(args, false, async (c) => {
      const r = (await c.request({ type: 'status' })) as StatusResult;
      print(args, formatStatus(r.snapshot, r.server), { server: r.server, ...r.snapshot });
    });
  } catch (e) {
    if (!isFlowerError(e) || e.code !== 'no-server') throw e;
    // Still exit 3, but say what the next start would bring back (one line).
    const next = nextStartRestore((await locate(args)).stateDir);
    const what = next.stop
      ? `; the next start restores nothing (stopped deliberately by ${next.stop.by})`
      : next.restores.length
        ? `; remembered for restore at the next start: ${next.restores.join(', ')}`
        : '';
    throw new FlowerError('no-server', `${e.message}${what}`);
  }
}

export async function spawnCommand(args: RepoArgs & { worktree: string; profile: string; name?: string; prompt?: string; promptFile?: string }): Promise<void> {
  if (args.prompt !== undefined && args.promptFile !== undefined) throw new FlowerError('bad-usage', '--prompt and --prompt-file cannot be used together');
  let prompt = args.prompt;
  if (args.promptFile !== undefined) {
    try {
      prompt = readFileSync(args.promptFile, 'utf8');
    } catch (e) {
      throw new FlowerError('bad-usage', `cannot read --prompt-file ${args.promptFile}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
  await withClient(args, true, async (c) => {
    const info = (await c.request({ type: 'spawn', worktree: args.worktree, profile: args.profile, name: args.name })) as AgentInfo;
    if (info.state.kind === 'failed') throw new FlowerError('spawn-failed', `${info.id}: ${info.state.reason}`);
    let delivered = false;
    if (prompt !== undefined && prompt.trim() !== '') {
      await c.request({ type: 'send', agent: info.id, text: prompt.replace(/\n+$/, ''), enter: true });
      delivered = true;
    }
    print(args, `started ${info.id} (${info.profile}, pid ${info.pid})${delivered ? ', prompt delivered' : ''}`, { agent: info, promptDelivered: delivered });
  });
}

/** The longest wait a timer can hold, in whole seconds (2^31-1 ms): a longer one would fire at once. */
const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

export async function sendCommand(args: RepoArgs & { agent: string; text: string; enter: boolean; timeout: number }): Promise<void> {
  if (!Number.isFinite(args.timeout) || args.timeout <= 0 || args.timeout > MAX_TIMEOUT_S) {
    throw new FlowerError('bad-usage', `--timeout ${args.timeout}: seconds, more than 0 and at most ${MAX_TIMEOUT_S} (about 24.8 days, the longest a timer can wait)`);
  }
  await withClient(args, true, async (c) => {
    const r = (await c.request({ type: 'send', agent: args.agent, text: args.text, enter: args.enter, timeoutMs: args.timeout * 1000 })) as { agent?: string } | null;
    const id = r?.agent ?? args.agent;
    print(args, `delivered to ${id}`, { delivered: true, agent: id });
  });
}

export async function killCommand(args: RepoArgs & { agent: string }): Promise<void> {
  await withClient(args, true, async (c) => {
    const info = (await c.request({ type: 'kill', agent: args.agent })) as AgentInfo | null;
    const id = info?.id ?? args.agent;
    print(args, `killed ${id}`, { killed: id });
  });
}

export async function refreshCommand(args: RepoArgs & { agent: string; cancel?: boolean }): Promise<void> {
  await withClient(args, true, async (c) => {
    const info = (await c.request({ type: 'refresh', agent: args.agent, cancel: args.cancel })) as AgentInfo;
    if (args.cancel) return print(args, `refresh of ${info.id} cancelled`, { agent: info, cancelled: true });
    // Queued is not done: say so, and how to take it back.
    if (info.refreshQueued) return print(args, `queued until idle: ${info.id} is working; it is refreshed as soon as it is idle (cancel: flower-tui refresh --cancel ${info.id})`, { agent: info, queued: true });
    print(args, `refreshed ${info.id} (pid ${info.pid}${info.sessionId ? `, session ${info.sessionId}` : ''}) — see flower-tui log --agent ${info.id}`, { agent: info, queued: false });
  });
}

export async function respawnCommand(args: RepoArgs & { agent: string }): Promise<void> {
  await withClient(args, true, async (c) => {
    const info = (await c.request({ type: 'respawn', agent: args.agent })) as AgentInfo;
    print(args, `respawned ${info.id} (pid ${info.pid})`, { agent: info });
  });
}

import type { AgentInfo } from '../types.js';
import { defineCommand, type CommandOf, type TraceOptions } from './command.js';

/** A spawn's trace details: the worktree's name (whatever the caller addressed it by) and what started. */
export function spawnDetails(cmd: Pick<CommandOf<'spawn'>, 'worktree' | 'profile'>, result?: AgentInfo, _opts: TraceOptions = {}): Record<string, unknown> {
  return {
    worktree: result?.worktree ?? cmd.worktree,
    profile: cmd.profile,
    ...(result ? { name: result.name, pid: result.pid, cwd: result.cwd, args: result.args, sessionId: result.sessionId, state: result.state.kind } : {}),
  };
}

/** Start an agent of a profile in a worktree (never MAIN). */
export const spawn = defineCommand({
  name: 'spawn',
  trace: { action: 'spawn', target: (cmd) => cmd.worktree, details: spawnDetails },
  run: async (ctx, cmd): Promise<AgentInfo> => ctx.agents.spawn(cmd.worktree, cmd.profile, { name: cmd.name, args: cmd.args, cols: cmd.cols, rows: cmd.rows }),
});

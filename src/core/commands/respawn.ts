import { sessionArgs } from '../agents/session-args.js';
import type { AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** Start an agent again in place, resuming its conversation where its profile can. */
export const respawn = defineCommand({
  name: 'respawn',
  targetsAgent: true,
  trace: { action: 'respawn', details: (_cmd, result?: AgentInfo) => (result ? { pid: result.pid, sessionId: result.sessionId, respawns: result.respawns } : undefined) },
  run: async (ctx, cmd): Promise<AgentInfo> => {
    const a = ctx.agents.require(cmd.agent);
    const profile = ctx.config().profiles[a.info.profile];
    await ctx.agents.respawn(a, profile ? sessionArgs(profile, 'resume', a.info.sessionId) : { args: [], sessionId: null });
    ctx.agents.remember(a.info, true);
    return a.info;
  },
});

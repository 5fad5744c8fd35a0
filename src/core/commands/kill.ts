import { FlowerError } from '../../shared/errors.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';
import { agentStateLabel, type AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** Stop an agent's whole process tree; its pane stays (respawn or remove it). */
export const kill = defineCommand({
  name: 'kill',
  targetsAgent: true,
  trace: { action: 'kill' },
  run: async (ctx, cmd): Promise<AgentInfo> => {
    const a = ctx.agents.require(cmd.agent);
    // Saying "killed" again would hide that it was already gone (and how it ended).
    if (!a.isLive) throw new FlowerError('agent-not-running', `${cleanForTerminal(cmd.agent)} is not running (${agentStateLabel(a.info.state)}): nothing to kill; respawn it, or remove it with x in the cockpit`);
    await a.kill();
    return a.info;
  },
});

import type { AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** An agent reporting its own state (its hooks, or `flower-tui report`); the status hub traces it. */
export const report = defineCommand({
  name: 'report',
  trace: 'own',
  run: async (ctx, cmd): Promise<AgentInfo> => ctx.services.status.report(cmd.agent, cmd.state, cmd.reason ?? null, cmd.keepReason),
});

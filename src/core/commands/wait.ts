import type { AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** Resolves once the agent is in that state (`sinceInput`: entered after the last text sent to it). */
export const wait = defineCommand({
  name: 'wait',
  run: (ctx, cmd): Promise<AgentInfo> => ctx.services.status.wait(cmd.agent, cmd.for, { sinceInput: cmd.sinceInput, timeoutMs: cmd.timeoutMs }),
});

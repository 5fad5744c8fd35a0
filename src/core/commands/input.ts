import { defineCommand } from './command.js';

/** Keystrokes for an agent (never one in MAIN); not an action of the trace. */
export const input = defineCommand({
  name: 'input',
  run: async (ctx, cmd): Promise<void> => {
    ctx.agents.requireWritable(cmd.agent).write(cmd.data);
  },
});

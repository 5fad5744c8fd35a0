import { defineCommand } from './command.js';

/** Stop an agent and forget it: no pane, no state record. */
export const remove = defineCommand({
  name: 'remove',
  targetsAgent: true,
  trace: { action: 'remove' },
  run: async (ctx, cmd): Promise<void> => {
    await ctx.agents.remove(cmd.agent);
    ctx.changed();
  },
});

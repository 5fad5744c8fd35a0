import { defineCommand } from './command.js';

/** A pty's new size (its pane's); not an action of the trace. */
export const resize = defineCommand({
  name: 'resize',
  run: async (ctx, cmd): Promise<void> => {
    ctx.agents.require(cmd.agent).resize(cmd.cols, cmd.rows);
  },
});

import { defineCommand } from './command.js';

/** Run a failed lane setup again, then start the lane's agents. */
export const retrySetup = defineCommand({
  name: 'retrySetup',
  trace: 'own',
  run: (ctx, cmd, actor) => ctx.lanes.retrySetup(cmd.name, actor),
});

import { defineCommand } from './command.js';

/** Bring a removed lane back from its saved ref. */
export const restoreLane = defineCommand({
  name: 'restoreLane',
  trace: 'own',
  run: (ctx, cmd, actor) => ctx.lanes.restore(cmd.name, actor),
});

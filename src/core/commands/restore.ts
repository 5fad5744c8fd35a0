import { defineCommand } from './command.js';

/** Bring back the agents pending restore (all, or those named), or forget them (`discard`); the restorer traces it. */
export const restore = defineCommand({
  name: 'restore',
  trace: 'own',
  run: async (ctx, cmd, actor): Promise<void> => {
    if (cmd.discard) ctx.restorer.discard(actor);
    else ctx.restorer.restore(actor, cmd.agents);
  },
});

import { defineCommand } from './command.js';

/** Take a finished merge's lines off MAIN's pane. */
export const dismissMerge = defineCommand({
  name: 'dismissMerge',
  run: async (ctx): Promise<null> => {
    const merges = ctx.services.merges;
    if (!merges.view?.running) merges.view = null;
    ctx.changed();
    return null;
  },
});

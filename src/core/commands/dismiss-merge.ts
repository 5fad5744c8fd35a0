import { defineCommand } from './command.js';

/** Take a finished merge's lines off MAIN's pane. */
export const dismissMerge = defineCommand({
  name: 'dismissMerge',
  run: async (ctx): Promise<null> => {
    ctx.dismissMerge();
    ctx.changed();
    return null;
  },
});

import { defineCommand } from './command.js';

/** Removed lanes saved under refs/flower/removed/. */
export const removedLanes = defineCommand({
  name: 'removedLanes',
  run: async (ctx) => ({ removed: await ctx.lanes.removed() }),
});

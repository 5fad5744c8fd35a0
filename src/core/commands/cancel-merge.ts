import { defineCommand } from './command.js';

/** Stop the running merge's current step (it rolls back as a failed step would). */
export const cancelMerge = defineCommand({
  name: 'cancelMerge',
  run: async (ctx) => ({ cancelled: ctx.services.merges.cancel() }),
});

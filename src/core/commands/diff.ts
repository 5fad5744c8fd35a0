import { defineCommand } from './command.js';

/** A lane's changes against MAIN, for the diff view. */
export const diff = defineCommand({
  name: 'diff',
  run: async (ctx, cmd) => ({ diff: await ctx.services.merges.diff(cmd.worktree) }),
});

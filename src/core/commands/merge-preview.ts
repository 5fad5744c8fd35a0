import { defineCommand } from './command.js';

/** What merging a lane would do: commits, conflicts, flagged paths. */
export const mergePreview = defineCommand({
  name: 'mergePreview',
  run: (ctx, cmd) => ctx.services.merges.preview(cmd.worktree),
});

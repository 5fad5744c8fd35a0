import { defineCommand } from './command.js';

/** What removing a lane would lose (unmerged commits, changes, stashes, agents): the confirm dialog's text. */
export const checkRemoval = defineCommand({
  name: 'checkRemoval',
  run: (ctx, cmd) => ctx.lanes.checkRemoval(cmd.name),
});

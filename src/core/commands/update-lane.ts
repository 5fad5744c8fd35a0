import { updateOne } from '../merge/lane-keeper.js';
import { defineCommand } from './command.js';

/** Bring a lane up to date with MAIN in its own worktree (clean, agents idle; merge.update). */
export const updateLane = defineCommand({
  name: 'updateLane',
  trace: 'own',
  run: (ctx, cmd, actor) => updateOne(ctx.services.mergeQueue.keeper, cmd.worktree, actor),
});

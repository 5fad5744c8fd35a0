import { defineCommand } from './command.js';

/** Remove a lane: its agents, its worktree, its branch once merged (work not in MAIN is saved or refused). */
export const removeWorktree = defineCommand({
  name: 'removeWorktree',
  trace: 'own',
  run: (ctx, cmd, actor) => ctx.lanes.remove(cmd.name, cmd.force, actor),
});

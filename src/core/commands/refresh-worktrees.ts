import { defineCommand } from './command.js';

/** Re-read worktrees and MAIN's status now (tests, and where watching is off). */
export const refreshWorktrees = defineCommand({
  name: 'refreshWorktrees',
  run: async (ctx): Promise<void> => ctx.refreshGit(),
});

import type { MergeResult } from '../merge/merge-pipeline.js';
import { defineCommand } from './command.js';

/** The pipeline that brings a lane into MAIN (gate, merge, health check, rollback); it traces each step. */
export const merge = defineCommand({
  name: 'merge',
  trace: 'own',
  run: async (ctx, cmd, actor): Promise<MergeResult> => {
    const r = await ctx.services.merges.merge(cmd.worktree, actor, { commitMessage: cmd.commitMessage });
    ctx.afterMerge(r);
    return r;
  },
});

import type { AddLaneResult } from '../lanes/lane-manager.js';
import { defineCommand } from './command.js';

/** A new lane: worktree, provisioning, setup, its agents (LaneManager traces each step). */
export const addWorktree = defineCommand({
  name: 'addWorktree',
  trace: 'own',
  run: (ctx, cmd, actor): Promise<AddLaneResult> => ctx.lanes.add(cmd, actor),
});

import type { FlowerConfig } from '../../config/config.js';
import type { TraceEntry } from '../store/trace.js';
import type { AgentInfo, WorktreeInfo } from '../types.js';

/**
 * What the queue, its runner and the lane keeper all read of the supervisor: plain callbacks, so
 * none of them sees the supervisor itself. Each adds the few powers of its own (queue-host.ts,
 * merge-queue-runner.ts, lane-keeper.ts).
 */
export interface LaneContext {
  mainRoot: string;
  config(): FlowerConfig;
  worktrees(): WorktreeInfo[];
  agents(): AgentInfo[];
  laneKind(name: string): 'standing' | 'ephemeral';
  record(e: Omit<TraceEntry, 'ts'>): void;
  refreshGit(): Promise<void>;
}

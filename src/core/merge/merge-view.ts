import type { MergeProgress, MergeResult } from './merge-pipeline.js';

/** The merge everyone sees: its steps as they happen and the last lines of output. */
export interface MergeView {
  worktree: string;
  running: boolean;
  steps: { step: MergeProgress['step']; status: MergeProgress['status']; line?: string }[];
  lines: string[];
  result: MergeResult | null;
  /** An ephemeral lane that was merged: the cockpit offers to remove it. */
  offerRemoval: boolean;
}

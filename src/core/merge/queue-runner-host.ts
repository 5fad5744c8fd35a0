import type { MergeProgress, MergeResult } from './merge-pipeline.js';
import type * as Q from './merge-queue.js';
import type { LaneContext } from './lane-context.js';

/** What the runner needs of the supervisor: plain callbacks, so the queue never sees the supervisor. */
export interface QueueHost extends LaneContext {
  notify(text: string, level: 'info' | 'error'): void;
  changed(): void;
  /** The existing pipeline (lock, gate, merge, health, rollback), as a manual merge runs it. */
  merge(lane: string, onProgress: (p: MergeProgress) => void): Promise<MergeResult>;
  /** A merge is running (a manual one): the queue waits for it. */
  mergeRunning(): boolean;
  /** Text to an agent, through the same path as `send`. */
  send(agent: string, text: string): Promise<void>;
  /** Remove an ephemeral lane after it landed — refused (thrown) when lane-safety says work would be lost. */
  removeLane(name: string): Promise<void>;
  load(): Q.QueueState;
  /** Persist now (synchronously): a restart reads back the step the queue was in. */
  save(q: Q.QueueState): void;
}

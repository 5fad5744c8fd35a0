import type { FlowerConfig } from '../../config/config.js';
import type { RepoLocation } from '../git/repo.js';
import type { LaneManager } from '../lanes/lane-manager.js';
import type { MergeResult } from '../merge/merge-pipeline.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceEntry } from '../store/trace.js';
import type { AgentRegistry } from '../supervisor/agent-registry.js';
import type { Restorer } from '../supervisor/restore.js';
import type { Services } from '../supervisor/services.js';
import type { Notice } from '../types.js';

/** What a command runs against: the supervisor's parts, never the Supervisor itself. */
export interface CommandContext {
  repo: RepoLocation;
  config(): FlowerConfig;
  agents: AgentRegistry;
  services: Services;
  restorer: Restorer;
  lanes: LaneManager;
  store: StateStore | null;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  notify(text: string, level?: Notice['level']): void;
  /** Derived state changed: a snapshot goes to every cockpit. */
  changed(): void;
  refreshGit(): Promise<void>;
  /** Every merge that ends: briefs link it, other lanes are kept current. */
  afterMerge(r: MergeResult): void;
}

import type { Profile } from '../../config/schema.js';
import type { Agent } from '../agents/agent.js';
import type { WorktreeRecord } from '../store/state-store.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import type { AgentInfo, Snapshot } from '../types.js';

/**
 * What LaneManager needs of the supervisor, and no more (as MergeHost is for merges): the repository,
 * the lane records, a few agent actions, and where its steps are told.
 */
export interface LaneHost {
  readonly repo: { mainRoot: string };
  snapshot(): Pick<Snapshot, 'worktrees' | 'agents'>;
  stateWorktrees(): Record<string, WorktreeRecord>;
  rememberLane(name: string, rec: WorktreeRecord): void;
  forgetLane(name: string): void;
  refreshGit(): Promise<void>;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  /** Derived state changed (a lane's setup progress): tell every cockpit. */
  changed(): void;
  /** A lane's setup run, shown like an agent. */
  spawnInternal(worktree: string, name: string, profile: Profile): Promise<Agent>;
  /** The traced agent commands a lane starts, feeds and stops its agents with. */
  spawnAgent(cmd: { worktree: string; profile: string; name?: string; args?: string[] }, actor: TraceActor): Promise<AgentInfo>;
  sendText(agent: string, text: string, actor: TraceActor): Promise<void>;
  removeAgent(agent: string, actor: TraceActor): Promise<void>;
}

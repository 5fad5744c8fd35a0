import type { Profile } from '../../config/schema.js';
import type { Agent } from '../agents/agent.js';
import type { ResultOf } from '../commands/table.js';
import type { LaneHost } from '../lanes/lane-host.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import type { Snapshot, SupervisorCommand } from '../types.js';
import type { LaneRecords } from './lane-records.js';

/** The supervisor's parts a lane's life uses. */
export interface LaneHostParts {
  repo: { mainRoot: string };
  snapshot(): Pick<Snapshot, 'worktrees' | 'agents'>;
  records: LaneRecords;
  /** A lane is gone: out of the merge queue too. */
  laneRemoved(name: string): void;
  refreshGit(): Promise<void>;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  changed(): void;
  spawnInternal(worktree: string, name: string, profile: Profile): Promise<Agent>;
  dispatch<C extends SupervisorCommand>(cmd: C, actor: TraceActor): Promise<ResultOf<C>>;
}

/** The narrow host LaneManager sees (lanes/lane-host.ts): its agent actions are traced commands. */
export function laneHostOf(p: LaneHostParts): LaneHost {
  return {
    repo: p.repo,
    snapshot: () => p.snapshot(),
    stateWorktrees: () => p.records.all(),
    rememberLane: (name, rec) => p.records.remember(name, rec),
    forgetLane: (name) => {
      p.laneRemoved(name);
      p.records.forget(name);
    },
    refreshGit: () => p.refreshGit(),
    record: (e) => p.record(e),
    changed: () => p.changed(),
    spawnInternal: (worktree, name, profile) => p.spawnInternal(worktree, name, profile),
    spawnAgent: (cmd, actor) => p.dispatch({ type: 'spawn', ...cmd }, actor),
    sendText: async (agent, text, actor) => void (await p.dispatch({ type: 'send', agent, text, enter: true }, actor)),
    removeAgent: async (agent, actor) => void (await p.dispatch({ type: 'remove', agent }, actor)),
  };
}

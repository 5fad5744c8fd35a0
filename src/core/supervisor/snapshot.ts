import type { FlowerConfig } from '../../config/config.js';
import type { RepoLocation } from '../git/repo.js';
import type { LaneManager } from '../lanes/lane-manager.js';
import type { StateStore } from '../store/state-store.js';
import type { MainInfo, Notice, Snapshot, WorktreeInfo } from '../types.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Restorer } from './restore.js';
import type { Services } from './services.js';

/** The ops process shown in MAIN's pane. */
export const OPS_AGENT = 'MAIN/ops';

export interface SnapshotParts {
  repo: RepoLocation;
  config: FlowerConfig;
  worktrees: WorktreeInfo[];
  main: MainInfo;
  agents: AgentRegistry;
  lanes: LaneManager;
  services: Services;
  notices: Notice[];
  restorer: Restorer;
  store: StateStore | null;
  configIssue: string | null;
}

/** Everything a cockpit draws, as plain data: what the `snapshot` event carries and `status` returns. */
export function buildSnapshot(p: SnapshotParts): Snapshot {
  const { services: s } = p;
  return {
    repo: { mainRoot: p.repo.mainRoot, commonDir: p.repo.commonDir },
    // Setup progress changes between git polls: always report the current one.
    worktrees: p.worktrees.map((w) => (w.lane ? { ...w, lane: { ...w.lane, setup: p.lanes.setupOf(w.name) } } : w)),
    agents: p.agents.infos().map((a) => (s.refresher.isQueued(a.id) ? { ...a, refreshQueued: true } : a)),
    main: p.main,
    profiles: Object.entries(p.config.profiles).map(([name, prof]) => ({ name, command: prof.command, description: prof.description })),
    notices: p.notices,
    pendingRestore: p.restorer.pending,
    restore: p.restorer.view(),
    savedFocus: p.store ? { lane: p.store.data.ui.focusLane, agent: p.store.data.ui.focusAgent } : null,
    merge: s.merges.view,
    monitor: { ...s.mainMonitor.snapshot(p.main.changed, p.agents.has(OPS_AGENT) ? OPS_AGENT : null), config: { file: p.config.source, problem: p.configIssue } },
    briefs: s.briefs.open(),
    queue: s.mergeQueue.runner.state,
  };
}

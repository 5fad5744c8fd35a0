import { FlowerError } from '../../shared/errors.js';
import { agentIsLive, type AgentInfo, type WorktreeInfo } from '../types.js';
import type { Brief } from './brief.js';

/** What choosing where a brief goes needs to know. */
export interface TargetView {
  agents: AgentInfo[];
  worktrees: WorktreeInfo[];
  /** The brief an agent is on already (dispatched or claimed), if any. */
  briefOf(agentId: string): Brief | undefined;
}

/** Agents a brief can go to: live, in a lane (MAIN takes no briefs), not a lane's setup. */
function laneAgents(agents: AgentInfo[]): AgentInfo[] {
  return agents.filter((a) => a.worktree !== 'MAIN' && a.name !== 'setup' && agentIsLive(a.state));
}

/** The lane a brief names, by worktree name or branch; never MAIN. */
export function requireLane(worktrees: WorktreeInfo[], name: string): WorktreeInfo {
  const w = worktrees.find((x) => x.name === name || x.branch === name);
  if (!w) throw new FlowerError('unknown-worktree', `no lane "${name}" (see flower-tui worktree ls)`);
  if (w.isMain) throw new FlowerError('main-read-only', 'MAIN takes no briefs: dispatch to a lane');
  return w;
}

/** The agent to dispatch to: the one named, else the lane's first live agent (one on no brief first). */
export function pickAgent(view: TargetView, agentId: string | undefined, lane: string | null): AgentInfo {
  const agents = laneAgents(view.agents);
  if (agentId) {
    const a = agents.find((x) => x.id === agentId) ?? view.agents.find((x) => x.id === agentId);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${agentId}" (see flower-tui status)`);
    if (a.worktree === 'MAIN') throw new FlowerError('main-read-only', 'MAIN takes no briefs: dispatch to a lane');
    if (!agentIsLive(a.state)) throw new FlowerError('agent-not-running', `${a.id} is not running`);
    if (lane && a.worktree !== lane) throw new FlowerError('bad-usage', `${a.id} is not in lane ${lane}`);
    return a;
  }
  if (!lane) throw new FlowerError('bad-usage', 'where to? pass --lane LANE, --agent AGENT or --ephemeral [NAME]');
  requireLane(view.worktrees, lane);
  const inLane = agents.filter((a) => a.worktree === lane);
  if (!inLane.length) throw new FlowerError('bad-usage', `lane ${lane} has no running agent: start one (flower-tui spawn ${lane} PROFILE) or dispatch with --ephemeral`);
  return inLane.find((a) => !view.briefOf(a.id)) ?? inLane[0]!;
}

/**
 * Where an --auto brief may go: an idle agent of a standing lane (its own lane, if it names one)
 * that is on no other brief. Never a busy agent or one that needs the operator.
 */
export function freeAgentsFor(b: Brief, view: TargetView, laneKind: (name: string) => 'standing' | 'ephemeral', isIdle: (a: AgentInfo) => boolean): AgentInfo[] {
  return laneAgents(view.agents)
    .filter((a) => laneKind(a.worktree) === 'standing')
    .filter((a) => !b.lane || a.worktree === b.lane)
    .filter((a) => !view.briefOf(a.id) && isIdle(a));
}

import type { AgentInfo } from '../types.js';
import { agentIsLive } from '../types.js';
import { agentIsIdle } from '../briefs/brief-host.js';

/** An agent in the middle of a turn: anything live that is not idle between turns. */
export function busyAgents(agents: AgentInfo[], lane: string): AgentInfo[] {
  return agents.filter((a) => a.worktree === lane && agentIsLive(a.state) && !(a.name === 'setup' && a.profile === 'setup') && !agentIsIdle(a));
}

/**
 * Why a lane at the head of the queue cannot go yet (shown as its step's detail), or null: a merge
 * must not catch an agent mid-turn, and only one merge runs at a time.
 */
export function waitReason(agents: AgentInfo[], lane: string, mergeRunning: boolean): string | null {
  const busy = busyAgents(agents, lane);
  if (busy.length) return busy.map((a) => `${a.id} ${a.status.state}`).join(', ');
  return mergeRunning ? 'another merge is running' : null;
}

/** The pause reason for a MAIN with uncommitted tracked changes (`git status --porcelain` lines): the first three paths. */
export function dirtyMainReason(porcelain: string[]): string {
  return `MAIN has uncommitted changes (${porcelain.map((l) => l.slice(3)).slice(0, 3).join(', ')})`;
}

import type { AgentState } from '../types.js';
import { applyObservation, type AgentStatus, type StatusObservation } from '../status/agent-status.js';

/**
 * The status after the process reached `state`. Signs of life ('running') say nothing about what
 * the agent is doing, so they only end 'starting', and never override what a hook said.
 */
export function statusForProcessState(before: AgentStatus, state: AgentState): AgentStatus {
  if (state.kind === 'starting') return applyObservation(before, { state: 'starting', source: 'process' }) ?? before;
  if (state.kind === 'running') {
    if (before.state === 'starting' && before.hookAt === null) return applyObservation(before, { state: 'running', source: 'process' }) ?? before;
    return before;
  }
  return applyObservation(before, processStatus(state)) ?? before;
}

function processStatus(state: AgentState): StatusObservation {
  switch (state.kind) {
    case 'exited':
      return { state: 'exited', reason: state.signal ?? String(state.code), source: 'process' };
    case 'failed':
      return { state: 'failed', reason: state.reason, source: 'process' };
    default:
      return { state: state.kind === 'killed' ? 'killed' : 'running', source: 'process' };
  }
}

export function signalName(n: number): string {
  const names: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM' };
  return names[n] ?? `signal ${n}`;
}

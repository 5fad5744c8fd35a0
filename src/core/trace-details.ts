import type { AgentInfo, SupervisorCommand } from './types.js';

/** Which commands the trace records, under which action name. Keystrokes and resizes are not actions. */
export const TRACED: Partial<Record<SupervisorCommand['type'], string>> = {
  spawn: 'spawn',
  kill: 'kill',
  respawn: 'respawn',
  remove: 'remove',
  send: 'send',
};
// refresh traces itself (trigger, numbers, action, outcome): see Refresher.

/** What a trace line says about a command: enough to know what happened, never the secrets. */
export function traceDetails(cmd: SupervisorCommand, result?: AgentInfo): Record<string, unknown> | undefined {
  switch (cmd.type) {
    case 'spawn':
      return {
        // The worktree's name, whatever the caller addressed it by (a path, a branch).
        worktree: result?.worktree ?? cmd.worktree,
        profile: cmd.profile,
        ...(result ? { name: result.name, pid: result.pid, cwd: result.cwd, args: result.args, sessionId: result.sessionId, state: result.state.kind } : {}),
      };
    case 'respawn':
      return result ? { pid: result.pid, sessionId: result.sessionId, respawns: result.respawns } : undefined;
    case 'send':
      // The text itself may be long or sensitive: its size and a redacted beginning are enough.
      return { chars: cmd.text.length, lines: cmd.text.split('\n').length, preview: cmd.text.slice(0, 80), enter: cmd.enter };
    default:
      return undefined;
  }
}

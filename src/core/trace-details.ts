import { createHash } from 'node:crypto';
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
export function traceDetails(cmd: SupervisorCommand, result?: AgentInfo, opts: { sentText?: 'hash' | 'preview' } = {}): Record<string, unknown> | undefined {
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
      // What an operator types to an agent may be a password: by default only its size and a hash
      // (enough to tell two sends apart or match one to a file); a redacted beginning if configured.
      return {
        chars: cmd.text.length,
        lines: cmd.text.split('\n').length,
        sha256: createHash('sha256').update(cmd.text).digest('hex'),
        ...(opts.sentText === 'preview' ? { preview: cmd.text.slice(0, 80) } : {}),
        enter: cmd.enter,
      };
    default:
      return undefined;
  }
}

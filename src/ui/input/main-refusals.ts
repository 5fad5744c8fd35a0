import type { KeyAction } from '../../config/schema.js';

// MAIN is read-only: it only receives merges. What each grid key says when MAIN is focused and the
// key has nothing to act on there — the reason goes to the status line, nothing else happens.

export const MAIN_REFUSAL = 'MAIN is read-only: nothing typed here reaches a process (it only receives merges)';

/** Grid actions refused with MAIN focused, each with its reason; any other unbound key gets MAIN_REFUSAL. */
export const REFUSED_IN_MAIN: Partial<Record<KeyAction, string>> = {
  merge: 'focus a worktree to merge it into MAIN',
  ready: 'focus a worktree to mark it ready for the merge queue',
  queueUp: 'focus a queued worktree to move it in the merge queue',
  queueDown: 'focus a queued worktree to move it in the merge queue',
  update: 'MAIN is not updated: it receives merges — focus a worktree',
  diff: 'focus a worktree to see its diff against MAIN',
  removeWorktree: 'MAIN can never be removed',
  attach: MAIN_REFUSAL,
  newAgent: 'MAIN is read-only: agents run in worktrees, MAIN only receives merges',
  // These act on the focused agent: refused in MAIN because no agent is focused there.
  refresh: MAIN_REFUSAL,
  kill: MAIN_REFUSAL,
  respawn: MAIN_REFUSAL,
  scroll: MAIN_REFUSAL,
};

/** The actions among those whose MAIN refusal applies only when no agent is focused. */
export const AGENT_ACTIONS: ReadonlySet<KeyAction> = new Set(['refresh', 'kill', 'respawn', 'scroll']);

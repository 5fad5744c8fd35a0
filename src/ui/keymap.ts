import type { KeyAction } from '../config/schema.js';

// The bindings themselves (defaults, overrides, checks) live with the config: src/config/keymap.ts.
export { DEFAULT_KEYS, buildKeymap, keyNameProblem, type Keymap } from '../config/keymap.js';

export const ACTION_HELP: Record<KeyAction, string> = {
  next: 'focus next agent / pane',
  prev: 'focus previous agent / pane',
  left: 'focus pane to the left',
  right: 'focus pane to the right',
  up: 'focus agent / pane above',
  down: 'focus agent / pane below',
  attach: 'attach: every key goes to the agent',
  detach: 'detach back to the grid (while attached)',
  newAgent: 'new agent in the focused worktree',
  kill: 'kill the focused agent (remove it once exited)',
  respawn: 'respawn the focused agent',
  quit: 'quit (with a server: detach, agents keep running)',
  stop: 'stop every agent and the server',
  help: 'this help',
  scroll: 'scroll mode: scrollback and / search',
  trace: 'the trace: everything done, newest first',
  newWorktree: 'new worktree (a lane): branch, provisioning, setup',
  removeWorktree: 'remove the focused worktree',
  refresh: 'refresh the focused agent (its context has rotted)',
  merge: 'merge the focused worktree into MAIN (preview first)',
  diff: 'diff of the focused worktree against MAIN',
  briefs: 'briefs: list, show (Enter), dispatch to the focused lane (D), add (a)',
  inbox: 'jump to who needs you (again: the next)',
  ready: 'mark the focused worktree ready: it joins the merge queue',
  update: 'update the focused worktree onto MAIN (clean, agents idle; merge.update)',
  queueUp: 'move the focused worktree earlier in the merge queue',
  queueDown: 'move the focused worktree later in the merge queue',
};

/** "ctrl-q" → "Ctrl-Q", "shift-tab" → "Shift-Tab", "enter" → "Enter": for help and hints. */
export function keyLabel(key: string): string {
  if (key === ' ') return 'Space';
  if (key.length === 1) return key;
  return key
    .split('-')
    .map((p) => (p.length === 1 ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join('-')
    .replace('Pageup', 'PgUp')
    .replace('Pagedown', 'PgDn');
}

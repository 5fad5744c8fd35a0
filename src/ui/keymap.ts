import { KEY_ACTIONS, type KeyAction } from '../config/schema.js';
import { FlowerError } from '../core/errors.js';

/** Default bindings. Key names are those of key-tokens.ts ("enter", "shift-tab", "ctrl-q", "?"). */
export const DEFAULT_KEYS: Record<KeyAction, string[]> = {
  next: ['tab'],
  prev: ['shift-tab'],
  left: ['left'],
  right: ['right'],
  up: ['up'],
  down: ['down'],
  attach: ['enter'],
  detach: ['ctrl-q'],
  newAgent: ['n'],
  kill: ['x'],
  respawn: ['r'],
  quit: ['q', 'ctrl-c'],
  stop: ['Q'],
  help: ['?'],
  scroll: ['[', 'pageup'],
  trace: ['l'],
  newWorktree: ['w'],
  removeWorktree: ['W'],
  refresh: ['R'],
  merge: ['m'],
  diff: ['d'],
};

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
};

export interface Keymap {
  bindings: Record<KeyAction, string[]>;
  /** key name → action */
  lookup: Map<string, KeyAction>;
  /** The detach key's letter ("q" for ctrl-q): passthrough matches it in every encoding. */
  detachLetter: string;
}

/** Defaults overridden per action by the config's `keys`. Rejects a key bound to two actions. */
export function buildKeymap(overrides: Partial<Record<KeyAction, string | string[]>> = {}): Keymap {
  const bindings = { ...DEFAULT_KEYS };
  for (const [action, keys] of Object.entries(overrides) as [KeyAction, string | string[]][]) {
    bindings[action] = (Array.isArray(keys) ? keys : [keys]).map((k) => (k.length === 1 ? k : k.toLowerCase()));
  }
  const lookup = new Map<string, KeyAction>();
  for (const action of KEY_ACTIONS) {
    if (action === 'detach') continue; // only meaningful while attached, where nothing else is bound
    for (const key of bindings[action]) {
      if (/^[1-9]$/.test(key)) throw new FlowerError('config-invalid', `invalid config: keys.${action}: "${key}" is reserved (1–9 focus panes)`);
      const other = lookup.get(key);
      if (other) throw new FlowerError('config-invalid', `invalid config: keys.${action}: "${key}" is already bound to ${other}`);
      lookup.set(key, action);
    }
  }
  const detach = bindings.detach[0] ?? 'ctrl-q';
  const m = /^ctrl-([a-z])$/.exec(detach);
  if (!m) throw new FlowerError('config-invalid', `invalid config: keys.detach: must be a Ctrl+letter such as "ctrl-q" (got "${detach}")`);
  // Ctrl-H/I/J/M are the very bytes of Backspace, Tab, newline and Enter: detaching on Enter would be a trap.
  if ('hijm'.includes(m[1]!)) {
    throw new FlowerError('config-invalid', `invalid config: keys.detach: "${detach}" is the same byte as Backspace/Tab/Enter; choose another Ctrl+letter`);
  }
  return { bindings, lookup, detachLetter: m[1]! };
}

/** "ctrl-q" → "Ctrl-Q", "shift-tab" → "Shift-Tab", "enter" → "Enter": for help and hints. */
export function keyLabel(key: string): string {
  if (key.length === 1) return key;
  return key
    .split('-')
    .map((p) => (p.length === 1 ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join('-')
    .replace('Pageup', 'PgUp')
    .replace('Pagedown', 'PgDn');
}

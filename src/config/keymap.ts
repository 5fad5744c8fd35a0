import { KEY_ACTIONS, type KeyAction } from './schema.js';
import { FlowerError } from '../shared/errors.js';

// Key bindings are part of the config: checked with the rest of it, in every process (the server
// and every CLI command too, not only the cockpit), so a config is valid or invalid everywhere alike.

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
  briefs: ['b'],
  // The space bar: the key reader names it by its character.
  inbox: [' '],
  ready: ['M'],
  update: ['u'],
  queueUp: ['<'],
  queueDown: ['>'],
};

export interface Keymap {
  bindings: Record<KeyAction, string[]>;
  /** key name → action */
  lookup: Map<string, KeyAction>;
  /** The detach key's letter ("q" for ctrl-q): passthrough matches it in every encoding. */
  detachLetter: string;
}

/** Named keys the key reader produces (src/ui/input/key-tokens.ts); anything else is one character. */
const NAMED_KEYS = new Set([
  'enter', 'tab', 'shift-tab', 'escape', 'backspace', 'up', 'down', 'left', 'right', 'home', 'end', 'insert', 'delete', 'pageup', 'pagedown', 'space',
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
]);

/**
 * Why a key name can never be typed ("banana", "ctrl-"), or null when it can. Names are those of the
 * key reader: one character (case matters), a named key, or either after `ctrl-`, `alt-`, `shift-`
 * in that order (`ctrl-q`, `alt-enter`, `ctrl-alt-x`).
 */
export function keyNameProblem(key: string): string | null {
  if ([...key].length === 1) {
    const code = key.codePointAt(0)!;
    return code < 32 || code === 127 ? 'a control character; write e.g. "ctrl-a" or "enter"' : null;
  }
  const m = /^(ctrl-)?(alt-)?(shift-)?(.+)$/.exec(key);
  const base = m?.[4] ?? '';
  if (m && (m[1] || m[2] || m[3]) && ([...base].length === 1 || NAMED_KEYS.has(base)) && (base !== 'space' || m[1])) return null;
  if (NAMED_KEYS.has(key) && key !== 'space') return null;
  return 'not a key name: one character ("n", "?", "G"), a named key (enter, tab, escape, up, pageup, f1…), or ctrl-/alt-/shift- before one ("ctrl-q")';
}

/**
 * Defaults overridden per action by the config's `keys`. Rejects names no key produces, a key bound
 * to two actions, digits (they focus panes) and a detach key that is not a usable Ctrl+letter.
 * `source` names the config file in the message.
 */
export function buildKeymap(overrides: Partial<Record<KeyAction, string | string[]>> = {}, source: string | null = null): Keymap {
  const fail = (msg: string): never => {
    throw new FlowerError('config-invalid', `invalid config ${source ?? '(built-in)'}: ${msg}`);
  };
  const bindings = { ...DEFAULT_KEYS };
  for (const [action, keys] of Object.entries(overrides) as [KeyAction, string | string[]][]) {
    bindings[action] = (Array.isArray(keys) ? keys : [keys]).map((k, i) => {
      // "space" is how people write the space bar; the key reader names it ' '.
      const name = [...k].length === 1 ? k : k.toLowerCase() === 'space' ? ' ' : k.toLowerCase();
      const problem = keyNameProblem(name);
      if (problem) fail(`keys.${action}${Array.isArray(keys) ? `.${i}` : ''}: "${k}" is ${problem}`);
      return name;
    });
  }
  const lookup = new Map<string, KeyAction>();
  for (const action of KEY_ACTIONS) {
    if (action === 'detach') continue; // only meaningful while attached, where nothing else is bound
    for (const key of bindings[action]) {
      if (/^[1-9]$/.test(key)) fail(`keys.${action}: "${key}" is reserved (1–9 focus panes)`);
      const other = lookup.get(key);
      if (other) fail(`keys.${action}: "${key}" is already bound to ${other}`);
      lookup.set(key, action);
    }
  }
  const detach = bindings.detach[0] ?? 'ctrl-q';
  const m = /^ctrl-([a-z])$/.exec(detach);
  if (!m) return fail(`keys.detach: must be a Ctrl+letter such as "ctrl-q" (got "${detach}")`);
  // Ctrl-H/I/J/M are the very bytes of Backspace, Tab, newline and Enter: detaching on Enter would be a trap.
  if ('hijm'.includes(m[1]!)) fail(`keys.detach: "${detach}" is the same byte as Backspace/Tab/Enter; choose another Ctrl+letter`);
  return { bindings, lookup, detachLetter: m[1]! };
}

import { handleKey, type Effect, type KeyContext, type KeyResult } from '../../src/ui/input/grid-keys.js';
import { tokenizeKeys, type Key } from '../../src/ui/input/key-tokens.js';
import { buildKeymap, type Keymap } from '../../src/ui/keymap.js';
import { computeLayout } from '../../src/layout/layout.js';
import { initialUiState, lanesOf, type UiState } from '../../src/ui/ui-state.js';
import type { Snapshot } from '../../src/core/types.js';

/** Keys through the grid's handler, tokenized like the TUI does, the layout recomputed for the focus each key. */
export interface KeyHarness {
  snapshot: Snapshot;
  ui: UiState;
  /** Every effect so far. */
  effects: Effect[];
  /** Feed raw input; returns the state after it and the effects of this input. */
  press(input: string): KeyResult;
  key(k: Key): KeyResult;
  ctx(): KeyContext;
}

export interface KeyHarnessOpts {
  snapshot: Snapshot;
  ui?: Partial<UiState>;
  cols: number;
  rows: number;
  keymap?: Keymap;
  /** The rest of the key context (mode, buffer sizes, search, lane defaults). */
  context?: Partial<Omit<KeyContext, 'snapshot' | 'layout' | 'keymap'>>;
}

export function keyHarness(o: KeyHarnessOpts): KeyHarness {
  const { snapshot } = o;
  const keymap = o.keymap ?? buildKeymap();
  const h: KeyHarness = {
    snapshot,
    ui: { ...initialUiState(), ...o.ui },
    effects: [],
    ctx() {
      const layout = computeLayout({ cols: o.cols, rows: o.rows, lanes: lanesOf(snapshot), focusLane: h.ui.focusLane, focusAgent: h.ui.focusAgent });
      return { snapshot, layout, keymap, bufferSize: () => null, search: () => [], ...o.context };
    },
    key(k) {
      const r = handleKey(h.ui, k, h.ctx());
      h.ui = r.ui;
      h.effects.push(...r.effects);
      return r;
    },
    press(input) {
      const effects: Effect[] = [];
      for (const k of tokenizeKeys(input)) effects.push(...h.key(k).effects);
      return { ui: h.ui, effects };
    },
  };
  return h;
}

// Raw input as a terminal sends it.
export const TAB = '\t';
export const SHIFT_TAB = '\x1b[Z';
export const ENTER = '\r';
export const ESC = '\x1b';
export const BACKSPACE = '\x7f';
export const UP = '\x1b[A';
export const DOWN = '\x1b[B';
export const RIGHT = '\x1b[C';
export const LEFT = '\x1b[D';
export const PGUP = '\x1b[5~';
export const PGDN = '\x1b[6~';
export const paste = (t: string) => `\x1b[200~${t}\x1b[201~`;
export const click = (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M`;
export const wheelUp = (x: number, y: number) => `\x1b[<64;${x + 1};${y + 1}M`;
export const wheelDown = (x: number, y: number) => `\x1b[<65;${x + 1};${y + 1}M`;

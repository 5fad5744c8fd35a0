import type { Layout } from '../../layout/layout.js';
import { handleKey } from '../input/grid-keys.js';
import type { Effect } from '../input/key-result.js';
import type { Key } from '../input/key-tokens.js';
import type { Keymap } from '../keymap.js';
import type { CockpitState } from './cockpit-state.js';
import { runEffects, type EffectHost } from './effect-runner.js';
import type { FocusMemory } from './focus-memory.js';
import { keyContextOf } from './key-context.js';
import type { ScrollHistory } from './scroll-history.js';

/** The parts of the cockpit typed keys go through. */
export interface KeyHost {
  state: CockpitState;
  history: ScrollHistory;
  focus: FocusMemory;
  effects: EffectHost;
  keymap: Keymap;
  layout(): Layout;
  finished(): boolean;
}

/**
 * Keys through the grid's pure reducer, in order, then drawn once and their effects run. A key that
 * starts scroll mode on a remote agent waits, with the keys after it, for the agent's scrollback.
 */
export function runKeys(h: KeyHost, keys: Key[]): void {
  if (h.history.hold(keys)) return;
  const s = h.state;
  const effects: Effect[] = [];
  for (let i = 0; i < keys.length; i++) {
    const r = handleKey(s.ui, keys[i]!, keyContextOf(s, h.layout(), h.keymap, h.history));
    const starts = r.ui.scroll && r.ui.scroll.agent !== s.ui.scroll?.agent ? r.ui.scroll.agent : null;
    if (starts && h.history.mustFetch(starts)) {
      // Scroll mode needs the scrollback, which only the server has: fetch it, then run this key
      // (and any typed meanwhile) against it.
      void h.history.fetch(starts, keys.slice(i), {
        failed: (text) => (s.ui = { ...s.ui, message: { text, level: 'error' } }),
        finished: h.finished,
        run: (held) => runKeys(h, held),
      });
      break;
    }
    s.ui = r.ui;
    effects.push(...r.effects);
    // A later key in this chunk entering scroll mode again must fetch a fresh history.
    h.history.dropStale(s.ui);
  }
  s.update();
  h.focus.saveSoon();
  runEffects(h.effects, effects);
}

import type { Layout } from '../../layout/layout.js';
import type { Keymap } from '../keymap.js';
import type { KeyContext } from '../input/key-result.js';
import { searchBuffer } from '../scrollback-search.js';
import type { CockpitState } from './cockpit-state.js';
import type { ScrollHistory } from './scroll-history.js';

/** What the pure key reducers may know of the world: state, layout, keymap, and what scroll mode reads. */
export function keyContextOf(s: CockpitState, layout: Layout, keymap: Keymap, history: ScrollHistory): KeyContext {
  const screen = (agent: string) => history.screen(agent)?.term;
  return {
    snapshot: s.snapshot,
    layout,
    keymap,
    mode: s.backend.kind,
    laneDefaults: { lane: s.config.lanes.defaultLane, kind: s.config.lanes.defaultKind },
    bufferSize: (agent) => {
      const t = screen(agent);
      return t ? { length: t.buffer.active.length, rows: t.rows } : null;
    },
    search: (agent, query) => {
      const t = screen(agent);
      return t ? searchBuffer(t, query) : [];
    },
  };
}

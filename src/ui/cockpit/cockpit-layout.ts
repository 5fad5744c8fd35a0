import type { Snapshot } from '../../core/types.js';
import { computeLayout, type Layout } from '../../layout/layout.js';
import { lanesOf, type UiState } from '../ui-state.js';

/** MAIN's strip grows with the terminal (and with a dirty alarm to show): the ops loop needs to see it. */
export function mainHeightFor(rows: number, snapshot: Snapshot): number {
  const base = rows >= 40 ? 7 : rows >= 24 ? 5 : 3;
  return snapshot.main.changes > 0 && rows >= 20 ? Math.max(base, 5) : base;
}

/** The grid for this terminal size, these lanes and this focus. */
export function cockpitLayout(cols: number, rows: number, snapshot: Snapshot, ui: UiState): Layout {
  return computeLayout({ cols, rows, lanes: lanesOf(snapshot), focusLane: ui.focusLane, focusAgent: ui.focusAgent, mainHeight: mainHeightFor(rows, snapshot), ops: snapshot.monitor.ops });
}

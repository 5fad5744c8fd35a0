import type { SizeHint } from '../core/supervisor/supervisor.js';
import { computeLayout } from './layout.js';

/**
 * The screen size each agent will get in a terminal of `cols`×`rows`, from the very layout the
 * cockpit draws: agents started before any cockpit is attached then draw for the right size at once.
 */
export function sizeHintFor(cols: number, rows: number): SizeHint {
  return (lanes) => {
    const layout = computeLayout({ cols, rows, lanes, focusLane: lanes[0]?.name ?? null, focusAgent: null });
    const sizes = new Map<string, { cols: number; rows: number }>();
    for (const lane of layout.lanes) for (const slot of lane.slots) sizes.set(slot.id, { cols: slot.screen.width, rows: slot.screen.height });
    return sizes;
  };
}

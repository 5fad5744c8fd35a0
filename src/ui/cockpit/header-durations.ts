import type { Snapshot } from '../../core/types.js';
import type { Layout } from '../../layout/layout.js';
import type { HeaderClock } from '../header-clock.js';

type Shown = { state: Parameters<HeaderClock['show']>[0][number]['state']; since: string }[];

/** The durations on screen that move on between snapshots: each visible agent's state, and the queue head's step. */
export function shownDurations(layout: Layout, snapshot: Snapshot): Shown {
  const shown: Shown = layout.lanes.flatMap((l) => l.slots.map((s) => snapshot.agents.find((a) => a.id === s.id)?.status).filter((s) => s !== undefined));
  // MAIN's monitor shows the queue head's step as m:ss ("gate 0:42"): it moves every second.
  const head = snapshot.queue?.entries[0];
  if (head && head.step !== 'queued' && head.stepAt) shown.push({ state: 'seconds', since: head.stepAt });
  return shown;
}

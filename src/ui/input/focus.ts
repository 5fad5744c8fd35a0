import type { Snapshot } from '../../core/types.js';
import type { Layout, Rect } from '../../layout/layout.js';
import { MAIN_LANE, lanesOf, type UiState } from '../ui-state.js';
import type { KeyContext } from './key-result.js';

// Focus navigation: Tab order, arrows by pane geometry, the inbox. Pure: a UI state in, one out.

/** The inbox: agents waiting on the operator, the one waiting longest first. */
export function needsYou(snapshot: Snapshot): Snapshot['agents'] {
  return snapshot.agents.filter((a) => a.status.state === 'needs-you').sort((a, b) => Date.parse(a.status.since) - Date.parse(b.status.since) || a.id.localeCompare(b.id));
}

/** Focus targets in Tab order: MAIN, then each lane's agents (or the lane itself when it has none). */
function focusTargets(snapshot: Snapshot): { lane: string; agent: string | null }[] {
  const out: { lane: string; agent: string | null }[] = [{ lane: MAIN_LANE, agent: null }];
  for (const l of lanesOf(snapshot)) {
    if (l.agents.length === 0) out.push({ lane: l.name, agent: null });
    else for (const a of l.agents) out.push({ lane: l.name, agent: a });
  }
  return out;
}

export function focus(ui: UiState, lane: string, agent: string | null): UiState {
  const lastAgentByLane = agent ? { ...ui.lastAgentByLane, [lane]: agent } : ui.lastAgentByLane;
  return { ...ui, focusLane: lane, focusAgent: agent, lastAgentByLane, message: null };
}

export function focusLane(ui: UiState, snapshot: Snapshot, lane: string): UiState {
  const agents = lanesOf(snapshot).find((l) => l.name === lane)?.agents ?? [];
  const remembered = ui.lastAgentByLane[lane];
  return focus(ui, lane, remembered && agents.includes(remembered) ? remembered : (agents[0] ?? null));
}

function laneRect(layout: Layout, lane: string): Rect | null {
  if (lane === MAIN_LANE) return layout.main;
  return layout.lanes.find((l) => l.name === lane)?.rect ?? null;
}

/** The nearest lane (or MAIN) in a direction, by rectangle centres. */
function laneInDirection(layout: Layout, from: string, dir: 'left' | 'right' | 'up' | 'down'): string | null {
  const r = laneRect(layout, from);
  if (!r) return null;
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const candidates = [{ name: MAIN_LANE, rect: layout.main }, ...layout.lanes.map((l) => ({ name: l.name, rect: l.rect }))];
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    if (c.name === from) continue;
    const ox = c.rect.x + c.rect.width / 2;
    const oy = c.rect.y + c.rect.height / 2;
    const ok =
      dir === 'left' ? c.rect.x + c.rect.width <= r.x : dir === 'right' ? c.rect.x >= r.x + r.width : dir === 'up' ? c.rect.y + c.rect.height <= r.y : c.rect.y >= r.y + r.height;
    if (!ok) continue;
    // Prefer alignment on the axis we are not moving along.
    const d = dir === 'left' || dir === 'right' ? Math.abs(ox - cx) + 3 * Math.abs(oy - cy) : Math.abs(oy - cy) + 3 * Math.abs(ox - cx);
    if (d < bestDist) {
      bestDist = d;
      best = c.name;
    }
  }
  return best;
}

export function cycle(ui: UiState, snapshot: Snapshot, step: number): UiState {
  const targets = focusTargets(snapshot);
  const i = targets.findIndex((t) => t.lane === ui.focusLane && t.agent === ui.focusAgent);
  const next = targets[(((i === -1 ? 0 : i) + step) % targets.length + targets.length) % targets.length]!;
  return focus(ui, next.lane, next.agent);
}

export function move(ui: UiState, ctx: KeyContext, dir: 'left' | 'right' | 'up' | 'down'): UiState {
  const lanes = lanesOf(ctx.snapshot);
  const lane = lanes.find((l) => l.name === ui.focusLane);
  if ((dir === 'up' || dir === 'down') && lane && ui.focusAgent) {
    const i = lane.agents.indexOf(ui.focusAgent);
    const j = i + (dir === 'down' ? 1 : -1);
    if (j >= 0 && j < lane.agents.length) return focus(ui, lane.name, lane.agents[j]!);
  }
  const target = laneInDirection(ctx.layout, ui.focusLane, dir);
  if (target) {
    const s = focusLane(ui, ctx.snapshot, target);
    // Entering a lane from below lands on its last agent, from above on its first: what the eye expects.
    const agents = lanes.find((l) => l.name === target)?.agents ?? [];
    if (dir === 'up' && agents.length > 1 && !ui.lastAgentByLane[target]) return focus(s, target, agents[agents.length - 1]!);
    return s;
  }
  // Lanes scrolled out of view are still reachable with left/right.
  if (dir === 'left' || dir === 'right') {
    const order = [MAIN_LANE, ...lanes.map((l) => l.name)];
    const i = order.indexOf(ui.focusLane);
    const j = i + (dir === 'right' ? 1 : -1);
    if (i !== -1 && j >= 0 && j < order.length) return focusLane(ui, ctx.snapshot, order[j]!);
  }
  return ui;
}

export function focusedAgent(ui: UiState, snapshot: Snapshot) {
  return ui.focusAgent ? snapshot.agents.find((a) => a.id === ui.focusAgent) : undefined;
}

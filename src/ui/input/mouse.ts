import type { Key } from './key-tokens.js';
import { MAIN_LANE, type UiState } from '../ui-state.js';
import { none, type KeyContext, type KeyResult } from './key-result.js';
import { focus, focusLane } from './focus.js';
import { scrollBy, startScroll } from './scroll-keys.js';

// The mouse in the grid: a click focuses what it lands on; the wheel over an agent scrolls it.

function agentAt(ctx: KeyContext, x: number, y: number): { lane: string; agent: string } | null {
  for (const lane of ctx.layout.lanes) {
    for (const slot of lane.slots) {
      const r = { x: slot.header.x, y: slot.header.y, width: slot.screen.width, height: slot.screen.height + 1 };
      if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return { lane: lane.name, agent: slot.id };
    }
  }
  return null;
}

export function handleMouse(ui: UiState, key: Extract<Key, { kind: 'mouse' }>, ctx: KeyContext): KeyResult {
  const hit = agentAt(ctx, key.x, key.y);
  if (key.button === 64 && hit) {
    // Wheel up over an agent: scroll mode on it, three lines up.
    return none(scrollBy(startScroll(focus(ui, hit.lane, hit.agent), hit.agent, ctx, 'none'), -3, ctx));
  }
  if (key.button === 0 && !key.release) {
    if (hit) return none(focus(ui, hit.lane, hit.agent));
    const m = ctx.layout.main;
    if (key.y >= m.y && key.y < m.y + m.height) return none(focus(ui, MAIN_LANE, null));
    const lane = ctx.layout.lanes.find((l) => key.x >= l.rect.x && key.x < l.rect.x + l.rect.width && key.y >= l.rect.y && key.y < l.rect.y + l.rect.height);
    if (lane) return none(focusLane(ui, ctx.snapshot, lane.name));
  }
  return none(ui);
}

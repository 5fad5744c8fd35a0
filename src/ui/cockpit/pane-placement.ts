import type { AgentView, CockpitBackend } from '../../core/backend/cockpit-backend.js';
import type { TerminalScreen } from '../../core/agents/terminal-screen.js';
import type { Snapshot } from '../../core/types.js';
import type { Layout } from '../../layout/layout.js';
import type { PanePlacement } from '../compositor/compositor.js';
import type { UiState } from '../ui-state.js';
import { hostDown } from '../host-status.js';

/**
 * The pane size this client last asked for, per agent: we only ask again when our layout changes,
 * so two clients of different sizes cannot ping-pong resizes through snapshot events.
 */
export class PaneSizes {
  private readonly requested = new Map<string, string>();

  /** The pty gets exactly the space it is shown in, so full-screen programs lay out for it. */
  fit(id: string, agent: AgentView, width: number, height: number): void {
    const want = `${width}x${height}`;
    if (this.requested.get(id) === want) return;
    this.requested.set(id, want);
    agent.resize(width, height);
  }

  /** Ask again for this agent (attaching gave it the whole terminal). */
  forget(id: string): void {
    this.requested.delete(id);
  }

  /** Ask again for every agent (a new connection: the server knows none of our sizes). */
  clear(): void {
    this.requested.clear();
  }
}

/**
 * Where the compositor draws each visible agent (and MAIN's ops agent), sizing each pty to its pane
 * on the way. An agent in scroll mode is drawn from `scrollScreen` (its history copy) at its scroll top.
 */
export function panePlacements(
  layout: Layout,
  snapshot: Snapshot,
  ui: UiState,
  backend: CockpitBackend,
  sizes: PaneSizes,
  scrollScreen: (agent: string) => TerminalScreen | undefined,
): PanePlacement[] {
  const placements: PanePlacement[] = [];
  for (const lane of layout.lanes) {
    const greyed = hostDown(snapshot, snapshot.worktrees.find((w) => w.name === lane.name)) !== null;
    for (const slot of lane.slots) {
      const agent = backend.agent(slot.id);
      if (!agent) continue;
      sizes.fit(slot.id, agent, slot.screen.width, slot.screen.height);
      const scroll = ui.scroll?.agent === slot.id ? ui.scroll : null;
      placements.push({
        agent: slot.id,
        rect: slot.screen,
        term: (scroll ? scrollScreen(slot.id) : agent.screen)?.term ?? agent.screen.term,
        top: scroll ? scroll.top : null,
        matches: scroll?.matches,
        currentMatch: scroll?.current,
        focused: ui.focusAgent === slot.id,
        greyed,
      });
    }
  }
  const opsId = snapshot.monitor.ops;
  if (layout.ops && opsId) {
    const ops = backend.agent(opsId);
    const r = layout.ops;
    if (ops) {
      sizes.fit(opsId, ops, r.width, r.height);
      placements.push({ agent: opsId, rect: r, term: ops.screen.term, top: null, focused: false });
    }
  }
  return placements;
}

import type { BackendEvent } from '../../core/backend/cockpit-backend.js';
import type { SupervisorEvent } from '../../core/types.js';
import { reconcileFocus } from '../ui-state.js';
import type { CockpitState } from './cockpit-state.js';
import type { FocusMemory } from './focus-memory.js';
import type { LaneCommands } from './lane-commands.js';
import type { PaneSizes } from './pane-placement.js';
import type { RestoreOffer } from './restore-offer.js';
import type { TraceLoading } from './trace-loading.js';

/** The parts of the cockpit a backend event reaches. */
export interface EventHost {
  state: CockpitState;
  sizes: PaneSizes;
  focus: FocusMemory;
  lanes: LaneCommands;
  restore: RestoreOffer;
  trace: TraceLoading;
  /** The agent the operator is attached to, if any. */
  attachedAgent(): string | null;
  endAttach(reason: 'exit' | 'server'): void;
  /** An agent's screen changed: its pane is drawn in the next frame. */
  markAgentDirty(agent: string): void;
  /** Every cell is drawn again (a new connection's screens). */
  invalidate(): void;
  /** An agent wants the operator (bell, notification). */
  ring(agent: string, reason: string, needsYou: boolean): void;
  quit(): Promise<void>;
}

/** What the supervisor (or the connection to its server) tells the cockpit, applied. */
export function onBackendEvent(h: EventHost, e: SupervisorEvent | BackendEvent): void {
  const s = h.state;
  if (e.type === 'screen') h.markAgentDirty(e.agent);
  else if (e.type === 'snapshot') {
    s.snapshot = e.snapshot;
    h.lanes.focusPending();
    s.ui = reconcileFocus(s.ui, s.snapshot);
    const attached = h.attachedAgent();
    if (attached && !s.backend.agent(attached)?.isLive) h.endAttach('exit');
    h.restore.offer(h.attachedAgent() !== null);
    if (s.ui.dialog?.kind === 'trace') h.trace.soon();
    s.update();
  } else if (e.type === 'error') {
    s.setMessage(e.message, 'error');
  } else if (e.type === 'notice') {
    s.setMessage(e.notice.text, e.notice.level);
  } else if (e.type === 'attention') {
    h.ring(e.agent, e.reason, e.needsYou === true);
  } else if (e.type === 'hostDown') {
    // Another host's link dropped: its agents run on there; an attach to one of them ends here.
    const attached = h.attachedAgent();
    if (attached?.startsWith(`${e.host}:`)) h.endAttach('server');
    // Node's word for a stream cut short ("Premature close") says nothing to the operator.
    const why = /premature close/i.test(e.reason) ? '' : ` (${e.reason})`;
    s.setMessage(`${e.host}: disconnected${why} — its agents keep running there; reconnecting`, 'error');
    s.update();
  } else if (e.type === 'disconnected') {
    if (s.stopping) {
      // We asked the server to stop: its going away is the success, not an accident.
      void h.quit();
      return;
    }
    if (h.attachedAgent() !== null) h.endAttach('server');
    h.sizes.clear();
    s.ui = { ...s.ui, dialog: { kind: 'server-gone', reason: e.reason } };
    s.update();
  } else if (e.type === 'reconnected') {
    h.sizes.clear();
    h.focus.forgetSent();
    s.snapshot = s.backend.snapshot();
    s.ui = reconcileFocus({ ...s.ui, dialog: null, message: { text: 'server restarted — agents were restored from the config', level: 'info' } }, s.snapshot);
    h.invalidate();
    s.update();
  }
}

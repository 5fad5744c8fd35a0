import { lanesOf, reconcileFocus } from '../ui-state.js';
import type { CockpitState } from './cockpit-state.js';

const focusKey = (lane: string, agent: string | null): string => `${lane}\0${agent ?? ''}`;

/**
 * Where the operator looks, as the server should know it: the focused agent (whose output a server
 * sends at once) and the saved focus (state: "layout and focus") the next cockpit starts on.
 */
export class FocusMemory {
  /** The focus this client last told the server about (undefined: not yet, or a new connection). */
  private sent: string | null | undefined = undefined;
  private timer: NodeJS.Timeout | null = null;
  private saved = '';

  constructor(private readonly s: CockpitState) {}

  /** Start where the operator left off; else on the first lane's first agent: that is where the work is (MAIN is one Tab away). */
  startFocus(): void {
    const s = this.s;
    s.ui = reconcileFocus(s.ui, s.snapshot);
    const lanes = lanesOf(s.snapshot);
    const saved = s.snapshot.savedFocus;
    const savedLane = saved && lanes.find((l) => l.name === saved.lane);
    if (savedLane) s.ui = { ...s.ui, focusLane: savedLane.name, focusAgent: saved!.agent && savedLane.agents.includes(saved!.agent) ? saved!.agent : (savedLane.agents[0] ?? null) };
    else if (lanes[0]) s.ui = { ...s.ui, focusLane: lanes[0].name, focusAgent: lanes[0].agents[0] ?? null };
    this.saved = focusKey(s.ui.focusLane, s.ui.focusAgent);
  }

  /** Tell the server which agent is focused, when that changed. */
  sendFocus(): void {
    const agent = this.s.ui.focusAgent;
    if (agent === this.sent) return;
    this.sent = agent;
    this.s.backend.setFocus?.(agent);
  }

  /** A new connection: the server knows nothing of our focus yet. */
  forgetSent(): void {
    this.sent = undefined;
  }

  /** Remember where the operator was looking, without a write per keystroke. */
  saveSoon(): void {
    const s = this.s;
    if (focusKey(s.ui.focusLane, s.ui.focusAgent) === this.saved || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.saved = focusKey(s.ui.focusLane, s.ui.focusAgent);
      void s.backend.dispatch({ type: 'saveFocus', lane: s.ui.focusLane, agent: s.ui.focusAgent }).catch(() => {});
    }, 1000);
    this.timer.unref();
  }
}

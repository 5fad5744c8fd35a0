import { describeError } from '../../shared/errors.js';
import type { CockpitState } from './cockpit-state.js';

/** The open trace view's entries: read when it opens or its filter changes, and again as the trace grows. */
export class TraceLoading {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly s: CockpitState) {}

  /** While the trace view is open, new entries appear (at most once a second: reading is not free). */
  soon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.s.ui.dialog?.kind === 'trace') {
        this.load();
        this.s.update();
      }
    }, 1000);
  }

  /** Read the trace into the open view, with its filter (not drawn: the caller updates). */
  load(): void {
    const d = this.s.ui.dialog;
    if (d?.kind !== 'trace') return;
    const filter =
      d.scope === 'agent' ? { agent: d.agent ?? '\0none', text: d.text || undefined } : d.scope === 'worktree' ? { worktree: d.lane, text: d.text || undefined } : { text: d.text || undefined };
    let entries;
    try {
      entries = this.s.backend.readTrace(filter).reverse();
    } catch (err) {
      this.s.setMessage(`cannot read the trace: ${describeError(err)}`, 'error');
      return;
    }
    this.s.ui = { ...this.s.ui, dialog: { ...d, entries, offset: Math.min(d.offset, Math.max(0, entries.length - 1)) } };
  }
}

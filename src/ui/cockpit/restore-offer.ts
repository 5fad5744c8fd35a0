import type { CockpitState } from './cockpit-state.js';

/** Agents waiting to be restored ("restore": "ask"): asked about once per cockpit, without covering another dialog. */
export class RestoreOffer {
  private offered = false;

  constructor(private readonly s: CockpitState) {}

  /** Open the restore dialog if it is due (`attached`: the operator is in an agent, not the grid). */
  offer(attached: boolean): void {
    const pending = this.s.snapshot.pendingRestore;
    if (this.offered || pending.length === 0 || this.s.ui.dialog || attached) return;
    this.offered = true;
    this.s.ui = { ...this.s.ui, dialog: { kind: 'restore', agents: pending } };
  }
}

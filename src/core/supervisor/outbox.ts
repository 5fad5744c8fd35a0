import { describeError } from '../../shared/errors.js';
import type { TraceEntry, TraceWriter } from '../store/trace.js';
import type { Notice, Snapshot } from '../types.js';

export interface OutboxHost {
  trace: TraceWriter | null;
  /** The supervisor's own emit: its 'event's are what every cockpit and the server receive. */
  emit(event: string | symbol, ...args: unknown[]): boolean;
  closed(): boolean;
  snapshot(): Snapshot;
  /** Before a snapshot goes out. */
  poke(): void;
}

/** What the supervisor sends out: snapshots (coalesced), notices, and trace lines. */
export class Outbox {
  private snapshotQueued = false;
  /** The latest notices, kept in the snapshot for cockpits that attach later. */
  notices: Notice[] = [];

  constructor(private readonly host: OutboxHost) {}

  queueSnapshot(): void {
    if (this.snapshotQueued || this.host.closed()) return;
    this.snapshotQueued = true;
    this.host.poke();
    // Coalesce: a burst of changes (several agents starting) becomes one snapshot event.
    queueMicrotask(() => {
      this.snapshotQueued = false;
      if (!this.host.closed()) this.host.emit('event', { type: 'snapshot', snapshot: this.host.snapshot() });
    });
  }

  /** A line every cockpit shows (and keeps in the snapshot for cockpits that attach later). */
  notify(text: string, level: Notice['level'] = 'info'): void {
    const notice: Notice = { ts: new Date().toISOString(), level, text };
    this.notices = [...this.notices, notice].slice(-20);
    this.host.emit('event', { type: 'notice', notice });
    this.queueSnapshot();
  }

  /** Append to the trace; never lets a full disk or a permission error take an action down. */
  record(entry: Omit<TraceEntry, 'ts'>): void {
    try {
      this.host.trace?.append(entry);
    } catch (e) {
      this.host.emit('event', { type: 'error', message: `trace: ${describeError(e)}` });
    }
  }
}

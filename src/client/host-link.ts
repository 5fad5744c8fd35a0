import type { HostConfig } from '../config/hosts-schema.js';
import type { BackendEvent } from '../core/backend/cockpit-backend.js';
import type { HostLinkView, Snapshot, SupervisorEvent } from '../core/types.js';
import { describeError, isFlowerError } from '../shared/errors.js';
import type { FlowerClient } from './client.js';
import { onHost } from './host-names.js';
import { RemoteBackend } from './remote-backend.js';

/** Waits between attempts: quick at first (a blip), then every half minute. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000, 30_000];

/** Failures no retry mends: the operator must change the host or its config. */
function isPermanent(e: unknown): boolean {
  return isFlowerError(e) && (e.code === 'protocol-mismatch' || /is not a clone of this project/.test(e.message));
}

export interface HostLinkOptions {
  connect: () => Promise<FlowerClient>;
  scrollback: number;
  /** The link's state or the host's snapshot changed. */
  changed: () => void;
  /** An event of the host's server, already in cockpit names. */
  event: (e: SupervisorEvent | BackendEvent) => void;
  /** Connected (again). */
  up?: () => void;
  delays?: number[];
}

/**
 * One configured host, as the cockpit keeps it: connected over ssh, or trying again with backoff.
 * The remote agents do not depend on it (their server is on their host); what it last showed stays
 * until a reconnect replaces it with the host's current screens.
 */
export class HostLink {
  backend: RemoteBackend | null = null;
  /** What the host last sent (kept while disconnected, so its panes stay, greyed). */
  last: Snapshot | null = null;
  view: HostLinkView;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly delays: number[];

  constructor(
    readonly name: string,
    readonly config: HostConfig,
    private readonly o: HostLinkOptions,
  ) {
    this.view = { name, state: 'connecting', message: null, retryAt: null };
    this.delays = o.delays ?? RETRY_DELAYS_MS;
  }

  start(): void {
    void this.tryConnect();
  }

  private set(view: Omit<HostLinkView, 'name'>): void {
    this.view = { name: this.name, ...view };
    this.o.changed();
  }

  private async tryConnect(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    try {
      if (this.backend) await this.backend.reconnect(); // emits 'reconnected' (below)
      else {
        const backend = await RemoteBackend.open(await this.o.connect(), { scrollback: this.o.scrollback, reconnect: this.o.connect });
        if (this.closed) return void backend.close();
        this.backend = backend;
        backend.subscribe((e) => this.onEvent(e));
        this.up();
      }
    } catch (e) {
      if (this.closed) return;
      const message = describeError(e);
      if (isPermanent(e)) return this.set({ state: 'unreachable', message, retryAt: null });
      const delay = this.delays[Math.min(this.attempt++, this.delays.length - 1)]!;
      this.timer = setTimeout(() => void this.tryConnect(), delay);
      this.timer.unref?.();
      // Connected once: the lanes are known and greyed; never connected: the host is unreachable.
      this.set({ state: this.last ? 'disconnected' : 'unreachable', message: this.last ? `${this.name}: disconnected` : message, retryAt: Date.now() + delay });
    }
  }

  private up(): void {
    if (this.view.state === 'disconnected') this.o.event({ type: 'notice', notice: { ts: new Date().toISOString(), level: 'info', text: `${this.name}: reconnected` } });
    this.attempt = 0;
    this.last = this.backend!.snapshot();
    this.set({ state: 'connected', message: null, retryAt: null });
    this.o.up?.();
    // Every screen is the host's current one: draw them all again.
    for (const a of this.last.agents) this.o.event({ type: 'screen', agent: onHost(this.name, a.id) });
  }

  private onEvent(e: SupervisorEvent | BackendEvent): void {
    if (this.closed) return;
    const name = this.name;
    switch (e.type) {
      case 'snapshot':
        this.last = e.snapshot;
        return this.o.changed();
      case 'screen':
        return this.o.event({ type: 'screen', agent: onHost(name, e.agent) });
      case 'attention':
        return this.o.event({ ...e, agent: onHost(name, e.agent) });
      case 'error':
        return this.o.event({ type: 'error', message: `${name}: ${e.message}` });
      case 'notice':
        return this.o.event({ type: 'notice', notice: { ...e.notice, text: `${name}: ${e.notice.text}` } });
      case 'disconnected': {
        this.o.event({ type: 'hostDown', host: name, reason: e.reason });
        const delay = this.delays[0]!;
        this.attempt = 1;
        this.timer = setTimeout(() => void this.tryConnect(), delay);
        this.timer.unref?.();
        return this.set({ state: 'disconnected', message: `${name}: disconnected`, retryAt: Date.now() + delay });
      }
      case 'reconnected':
        return this.up();
      case 'hostDown':
        return;
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    void this.backend?.close();
  }

  closeNow(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.backend?.closeNow();
  }
}

import type { AgentView, BackendEvent, CockpitBackend, CockpitCommand, CockpitReply } from '../core/backend/cockpit-backend.js';
import type { Snapshot, SupervisorEvent } from '../core/types.js';
import type { FlowerClient } from './client.js';
import { RemoteAgentView } from './remote-agent-view.js';
import type { ServerMessage } from '../protocol/messages.js';
import { readTrace, type TraceEntry, type TraceFilter } from '../core/store/trace.js';
import { stateDir } from '../core/store/private-dir.js';

type Listener = (e: SupervisorEvent | BackendEvent) => void;
/** What arrived between subscribing and the backend's own handlers: output or a message, in order. */
type Early = { a: string; d: Buffer; seq: number } | { m: ServerMessage };

/**
 * The cockpit's view of a server: keeps a snapshot and a mirror emulator per agent, current from the
 * server's events and byte stream. Mirrors never answer terminal queries: the server's emulator does.
 */
export class RemoteBackend implements CockpitBackend {
  readonly kind = 'remote' as const;
  client!: FlowerClient;
  private snap: Snapshot;
  private readonly views = new Map<string, RemoteAgentView>();
  private readonly listeners = new Set<Listener>();
  private closing = false;

  private constructor(
    client: FlowerClient,
    initial: Snapshot,
    private readonly scrollback: number,
    private readonly reconnectFn: (() => Promise<FlowerClient>) | null,
  ) {
    this.snap = initial;
    this.attachClient(client);
  }

  /** Subscribe on a connected client and wait for the first snapshot and every agent's screen. */
  static async open(client: FlowerClient, opts: { scrollback: number; reconnect?: () => Promise<FlowerClient> }): Promise<RemoteBackend> {
    const first = await RemoteBackend.subscribe(client);
    const b = new RemoteBackend(client, first.snapshot, opts.scrollback, opts.reconnect ?? null);
    first.release(); // b's own handlers are on: nothing more to collect
    // Mirrors are ready (parsed) when open() resolves: a caller may read them at once.
    await Promise.all(first.screens.map((s) => b.loadScreen(s)));
    b.replay(first.early);
    return b;
  }

  /**
   * Subscribe and collect the initial snapshot plus one screen per agent it lists. Whatever follows
   * (output, messages) is kept, in order, until the caller's own handlers are on and it calls release():
   * frames in the same socket read as the last screen are emitted before the caller runs.
   */
  private static subscribe(client: FlowerClient): Promise<{ snapshot: Snapshot; screens: Extract<ServerMessage, { t: 'screen' }>[]; early: Early[]; release: () => void }> {
    return new Promise((resolve, reject) => {
      let snapshot: Snapshot | null = null;
      let done = false;
      const screens: Extract<ServerMessage, { t: 'screen' }>[] = [];
      const early: Early[] = [];
      const release = () => {
        client.off('message', onMsg);
        client.off('output', onEarly);
      };
      const check = () => {
        if (snapshot && snapshot.agents.every((a) => screens.some((s) => s.agent === a.id))) {
          done = true;
          client.off('close', onClose);
          resolve({ snapshot, screens, early, release });
        }
      };
      const onMsg = (m: ServerMessage) => {
        if (done) return void early.push({ m });
        if (m.t === 'event' && m.event.type === 'snapshot' && !snapshot) snapshot = m.event.snapshot;
        else if (m.t === 'screen') screens.push(m);
        check();
      };
      const onEarly = (a: string, d: Buffer, seq: number) => early.push({ a, d, seq });
      const onClose = (reason: string) => {
        release();
        reject(new Error(`server closed: ${reason}`));
      };
      client.on('message', onMsg);
      client.on('output', onEarly);
      client.once('close', onClose);
      client.sendMessage({ t: 'subscribe' });
    });
  }

  private replay(early: Early[]): void {
    for (const e of early) {
      if ('m' in e) this.onMessage(e.m);
      else this.onOutput(e.a, e.d, e.seq);
    }
  }

  private attachClient(client: FlowerClient): void {
    this.client = client;
    client.on('message', (m: ServerMessage) => this.onMessage(m));
    client.on('output', (agent: string, data: Buffer, seq: number) => this.onOutput(agent, data, seq));
    client.on('close', (reason: string) => {
      if (this.closing || client !== this.client) return;
      this.emit({ type: 'disconnected', reason });
    });
  }

  private onOutput(agent: string, data: Buffer, seq = 0): void {
    const v = this.views.get(agent);
    // Bytes as they came: the server cuts its stream on character boundaries, xterm decodes UTF-8.
    if (v) v.feed(data, seq, () => this.emit({ type: 'screen', agent }));
  }

  private loadScreen(m: Extract<ServerMessage, { t: 'screen' }>): Promise<void> {
    const info = this.snap.agents.find((a) => a.id === m.agent);
    if (!info) return Promise.resolve();
    let v = this.views.get(m.agent);
    if (!v) {
      v = new RemoteAgentView(this, info, m.cols, m.rows, this.scrollback);
      this.views.set(m.agent, v);
    }
    const view = v;
    return new Promise((resolve) =>
      view.load(m.cols, m.rows, m.data, () => {
        this.emit({ type: 'screen', agent: m.agent });
        resolve();
      }),
    );
  }

  private onMessage(m: ServerMessage): void {
    if (m.t === 'screen') void this.loadScreen(m);
    else if (m.t === 'ttyOpened' || m.t === 'ttyClosed') this.views.get(m.agent)?.tty(m);
    else if (m.t === 'event') {
      if (m.event.type === 'snapshot') this.applySnapshot(m.event.snapshot);
      this.emit(m.event);
    }
  }

  private applySnapshot(s: Snapshot): void {
    this.snap = s;
    for (const info of s.agents) {
      const v = this.views.get(info.id);
      if (v) v.info = info;
      // A new agent's mirror starts empty at its size; its output follows in order.
      else this.views.set(info.id, new RemoteAgentView(this, info, info.cols, info.rows, this.scrollback));
    }
    for (const [id, v] of this.views) {
      if (!s.agents.some((a) => a.id === id)) {
        v.dispose();
        this.views.delete(id);
      }
    }
  }

  private emit(e: SupervisorEvent | BackendEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  dispatch<C extends CockpitCommand>(cmd: C): Promise<CockpitReply<C>> {
    return this.client.request(cmd);
  }

  setFocus(agent: string | null): void {
    this.client.sendMessage({ t: 'focus', agent });
  }

  agent(id: string): AgentView | undefined {
    return this.views.get(id);
  }

  readTrace(filter: TraceFilter): TraceEntry[] {
    return readTrace(stateDir(this.snap.repo.commonDir), filter);
  }

  async reconnect(): Promise<void> {
    if (!this.reconnectFn) throw new Error('cannot reconnect');
    const client = await this.reconnectFn();
    const first = await RemoteBackend.subscribe(client);
    for (const v of this.views.values()) v.dispose();
    this.views.clear();
    this.snap = first.snapshot;
    this.attachClient(client);
    first.release();
    await Promise.all(first.screens.map((s) => this.loadScreen(s)));
    this.replay(first.early);
    this.emit({ type: 'reconnected' });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.client.close();
    for (const v of this.views.values()) v.dispose();
  }

  closeNow(): void {
    this.closing = true;
    this.client.close();
  }
}

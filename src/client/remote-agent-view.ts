import { TerminalScreen } from '../core/agents/terminal-screen.js';
import type { AgentHistory, AgentView, OwnTty } from '../core/backend/agent-view.js';
import type { ServerMessage } from '../protocol/messages.js';
import type { AgentInfo } from '../core/types.js';
import { agentIsLive } from '../core/types.js';
import type { FlowerClient } from './client.js';

/** An agent as a client sees it: a mirror emulator fed by the server's stream, commands sent over the socket. */
export class RemoteAgentView implements AgentView {
  /**
   * The mirror: the visible screen only. Scrollback lives on the server (history() fetches it), so a
   * client does not hold every agent's history a second time, and a flood can be sent as frames.
   */
  readonly screen: TerminalScreen;
  info: AgentInfo;
  private readonly outputListeners = new Set<(d: Uint8Array) => void>();
  private readonly reloadListeners = new Set<() => void>();
  /** While history requests are out: output with its stream position, to replay after the copy's point. */
  private recent: { seq: number; data: Uint8Array }[] | null = null;
  private historyRequests = 0;
  /** Waiting for the server's answer to a hand-over or a take-back of the terminal. */
  private onOpened: ((m: Extract<ServerMessage, { t: 'ttyOpened' }>) => void) | null = null;
  private onClosed: (() => void) | null = null;

  constructor(
    /** Read on each use: a reconnect gives the backend a new client. */
    private readonly backend: { readonly client: FlowerClient },
    info: AgentInfo,
    cols: number,
    rows: number,
    private readonly historyLines: number,
  ) {
    this.info = info;
    this.screen = new TerminalScreen(cols, rows, 0);
  }

  get isLive(): boolean {
    return agentIsLive(this.info.state);
  }

  /**
   * The server's view of the screen replaces the mirror's (subscribe, resync, frames during a flood).
   * Same emulator object, reset: whoever draws from it keeps a valid reference.
   */
  load(cols: number, rows: number, data: string, done: () => void): void {
    this.screen.term.reset();
    this.screen.resize(cols, rows);
    this.screen.write(data, () => {
      for (const fn of this.reloadListeners) fn();
      done();
    });
  }

  onReload(fn: () => void): () => void {
    this.reloadListeners.add(fn);
    return () => this.reloadListeners.delete(fn);
  }

  feed(data: Uint8Array, seq: number, done: () => void): void {
    // Listeners first: an attached terminal shows the bytes before our mirror parses them (echo latency).
    for (const fn of this.outputListeners) fn(data);
    this.screen.write(data, done);
    this.recent?.push({ seq, data });
  }

  async history(): Promise<AgentHistory> {
    this.historyRequests++;
    this.recent ??= [];
    const recent = this.recent;
    try {
      const { result, seq } = await this.backend.client.requestAt({ type: 'history', agent: this.info.id });
      const h = result as { cols: number; rows: number; data: string };
      // Room for everything the server kept, even if its scrollback setting differs from ours.
      let lines = 0;
      for (let i = h.data.indexOf('\n'); i >= 0; i = h.data.indexOf('\n', i + 1)) lines++;
      const copy = new TerminalScreen(h.cols, h.rows, Math.max(this.historyLines, lines));
      copy.write(h.data);
      // Output that arrived after the server took the copy belongs below it. Replay until nothing new
      // came in while parsing, so the copy is current when we resolve (and an attach can go live).
      let next = recent.findIndex((r) => r.seq > seq);
      if (next < 0) next = recent.length;
      for (;;) {
        while (next < recent.length) copy.write(recent[next++]!.data);
        await new Promise<void>((r) => copy.write('', r));
        if (next === recent.length) break;
      }
      return { screen: copy, release: () => copy.dispose() };
    } finally {
      if (--this.historyRequests === 0) this.recent = null;
    }
  }

  handOver(tty: OwnTty, direct: (on: boolean) => void): Promise<boolean> {
    const client = this.backend.client;
    const agent = this.info.id;
    return new Promise((resolve) => {
      let answered = false;
      // No answer in time: this client writes on; an answer after that is declined.
      const timer = setTimeout(() => {
        answered = true;
        this.onOpened = (m) => {
          this.onOpened = null;
          if (!m.error) client.sendMessage({ t: 'ttyClose', agent });
        };
        resolve(false);
      }, 1000);
      this.onOpened = (m) => {
        this.onOpened = null;
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        if (m.error) return resolve(false);
        // Every frame before the mark has been written by us (in order, synchronously): from here the server writes.
        direct(true);
        client.sendMessage({ t: 'ttyGo', agent });
        resolve(true);
      };
      client.sendMessage({ t: 'ttyOpen', agent, path: tty.path, rdev: tty.rdev });
    });
  }

  takeBack(): Promise<void> {
    const client = this.backend.client;
    if (client.closed) return Promise.resolve(); // a server that is gone writes nothing more
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onClosed = null;
        resolve();
      }, 2500);
      this.onClosed = () => {
        this.onClosed = null;
        clearTimeout(timer);
        resolve();
      };
      client.sendMessage({ t: 'ttyClose', agent: this.info.id });
    });
  }

  /** The server's answer about the terminal, in the stream's order. */
  tty(m: Extract<ServerMessage, { t: 'ttyOpened' | 'ttyClosed' }>): void {
    if (m.t === 'ttyOpened') this.onOpened?.(m);
    else this.onClosed?.();
  }

  write(data: string): void {
    this.backend.client.sendMessage({ t: 'input', agent: this.info.id, data });
  }

  resize(cols: number, rows: number): void {
    void this.backend.client.request({ type: 'resize', agent: this.info.id, cols, rows }).catch(() => {});
  }

  /** Called exactly around an attach: the terminal answers queries then, and the stream must be raw bytes. */
  setRepliesEnabled(on: boolean): void {
    this.backend.client.sendMessage({ t: 'pin', agent: this.info.id, on: !on });
    void this.backend.client.request({ type: 'setReplies', agent: this.info.id, on }).catch(() => {});
  }

  onOutput(fn: (data: Uint8Array) => void): () => void {
    this.outputListeners.add(fn);
    return () => this.outputListeners.delete(fn);
  }

  dispose(): void {
    this.screen.dispose();
    this.outputListeners.clear();
    this.reloadListeners.clear();
  }
}

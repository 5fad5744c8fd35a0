import type { TerminalScreen } from '../core/agents/terminal-screen.js';
import type { Supervisor } from '../core/supervisor/supervisor.js';
import { encodeOutput } from '../protocol/frames.js';
import type { ServerMessage } from '../protocol/messages.js';
import { LAG_BYTES, type ClientConnection } from './client-connection.js';

/**
 * What each client gets of the agents' screens: their live bytes (batched, or screen frames while an
 * agent floods, paused while the client lags), each screen in-band where the client's mirror can
 * follow it (subscribe, a resize, a pin, a lagging client that drained), and history on request.
 */
export class AgentStreams {
  constructor(
    private readonly agents: Pick<Supervisor, 'agent' | 'snapshot'>,
    private readonly clients: ReadonlySet<ClientConnection>,
    private readonly log: (line: string) => void,
  ) {}

  /** Send a client every agent's screen (a subscribe, or a lagging client that has drained). */
  syncAll(c: ClientConnection): void {
    c.pacer.reset();
    for (const info of this.agents.snapshot().agents) this.sendScreen(c, info.id);
  }

  /** An agent's visible screen, to load into the client's mirror (mirrors keep no scrollback). */
  sendScreen(c: ClientConnection, agentId: string): void {
    this.whenLevel(c, agentId, (screen) => ({ t: 'screen', agent: agentId, cols: screen.cols, rows: screen.rows, data: screen.serialize(0) }));
  }

  /** Screen and scrollback, for scroll mode and attach: the reply sits in the stream exactly where it was taken. */
  sendHistory(c: ClientConnection, id: number, agentId: string): void {
    if (!this.agents.agent(agentId)) return c.send({ t: 'res', id, ok: false, error: { code: 'unknown-agent', message: `no agent "${agentId}"` } });
    this.whenLevel(c, agentId, (screen) => ({ t: 'res', id, ok: true, result: { cols: screen.cols, rows: screen.rows, data: screen.serialize() } }));
  }

  /**
   * Send a message made from an agent's screen at a point in its byte stream the client can follow:
   * buffer live output for the agent from now on, wait until everything received so far is parsed
   * (at once, unless xterm has a backlog), build and send the message, then the buffered output.
   * Nothing is lost and nothing is shown twice.
   */
  private whenLevel(c: ClientConnection, agentId: string, build: (screen: TerminalScreen) => ServerMessage): void {
    const agent = this.agents.agent(agentId);
    if (!agent) return;
    const inProgress = c.syncing.get(agentId);
    if (inProgress) return void inProgress.builds.push(build); // taken at the same point, sent in order
    const sync = { pending: [] as Buffer[], builds: [build] };
    c.syncing.set(agentId, sync);
    agent.screen.write('', () => {
      c.syncing.delete(agentId);
      if (c.socket.destroyed) return;
      for (const b of sync.builds) c.send(b(agent.screen));
      for (const b of sync.pending) c.write(b);
    });
  }

  /** Frames mode: every frameMs, the screens of flooding agents (see OutputPacer). */
  private scheduleFrames(c: ClientConnection): void {
    if (c.frameTimer) return;
    c.frameTimer = setTimeout(() => {
      c.frameTimer = null;
      if (c.socket.destroyed || c.lagging) return;
      for (const agent of c.pacer.tick()) this.sendScreen(c, agent);
      if (c.pacer.active) this.scheduleFrames(c);
    }, c.pacer.opts.frameMs);
  }

  /** An agent's bytes, to every subscribed client that is not lagging: at once, batched, or as frames. */
  readonly onOutput = (agent: string, data: Uint8Array) => {
    let frame: Buffer | null = null;
    const now = performance.now();
    for (const c of this.clients) {
      // An attached terminal first, whatever its mirror's state: that write is the echo.
      if (c.direct?.agent === agent) c.direct.output(data);
      if (!c.subscribed || c.lagging) continue;
      const sync = c.syncing.get(agent);
      if (sync) {
        sync.pending.push((frame ??= encodeOutput(agent, data)));
        continue;
      }
      if (c.pacer.output(agent, data.length, now) === 'frame') {
        this.scheduleFrames(c);
        continue;
      }
      frame ??= encodeOutput(agent, data);
      if (agent === c.focus || c.pacer.isPinned(agent)) c.write(frame);
      else c.queue(frame);
      if (c.socket.writableLength > LAG_BYTES) {
        // A slow client must not make the server buffer without bound (or slow the agents): stop
        // streaming to it and send fresh screens once it has drained.
        c.lagging = true;
        this.log(`client lagging (${c.socket.writableLength} bytes queued): live output paused`);
      }
    }
  };

  /**
   * A resize reflows the screen (and moves lines into or out of the scrollback): a mirror has no
   * scrollback to reflow from, so it gets the server's screen as it is after the resize instead of
   * resizing itself. In-band, so the output that follows applies to the new size.
   */
  readonly onResized = (agent: string) => {
    for (const c of this.clients) {
      if (!c.subscribed || c.lagging) continue;
      this.sendScreen(c, agent);
    }
  };
}

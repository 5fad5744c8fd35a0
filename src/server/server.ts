import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { rootCommits } from '../core/git/root-commits.js';
import type { Supervisor } from '../core/supervisor/supervisor.js';
import { FlowerError, describeError, isFlowerError } from '../shared/errors.js';
import type { SupervisorEvent } from '../core/types.js';
import type { TraceActor } from '../core/store/trace.js';
import { writeStopMarker } from '../core/store/deliberate-stop.js';
import { stateDir } from '../core/store/private-dir.js';
import { encodeControl, FRAME_CONTROL } from '../protocol/frames.js';
import { AgentStreams } from './agent-streams.js';
import { ClientConnection } from './client-connection.js';
import { DirectTty, openClientTty } from './direct-tty.js';
import { replyOf } from '../core/commands/table.js';
import { PROTOCOL_VERSION, type ClientMessage, type ServerInfo, type ServerRequest, type ServerResult } from '../protocol/messages.js';

export interface ServerOptions {
  socketPath: string;
  version: string;
  logFile: string;
  log: (line: string) => void;
  /** Called when a client asks the server to stop (after every agent is stopped). */
  onStop: () => void;
  /** How many cockpits are attached (subscribed), each time that number may have changed. */
  onAttached?: (cockpits: number) => void;
}

/**
 * The per-repository server: owns the supervisor (every pty and emulator) and serves it over a Unix
 * socket. Clients come and go; agents stay.
 */
export class FlowerServer {
  private readonly server: net.Server;
  private readonly clients = new Set<ClientConnection>();
  /** The agents' screens and bytes to each client (live, paced, in-band screens, history). */
  private readonly streams: AgentStreams;
  private readonly startedAt = Date.now();
  private stopping = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly opts: ServerOptions,
  ) {
    this.server = net.createServer((socket) => this.onConnection(socket));
    this.streams = new AgentStreams(supervisor, this.clients, opts.log);
    supervisor.on('event', this.onEvent);
    supervisor.on('agent-output', this.streams.onOutput);
    supervisor.on('agent-resized', this.streams.onResized);
  }

  info(): ServerInfo {
    return {
      pid: process.pid,
      version: this.opts.version,
      protocol: PROTOCOL_VERSION,
      startedAt: this.startedAt,
      socket: this.opts.socketPath,
      clients: [...this.clients].filter((c) => c.helloed).length,
      log: this.opts.logFile,
      config: this.supervisor.currentConfig().source,
      configProblem: this.supervisor.configProblem,
      mainRoot: this.supervisor.repo.mainRoot,
      roots: this.roots ??= rootCommits(this.supervisor.repo.mainRoot),
    };
  }
  private roots: string[] | undefined;

  /** Cockpits (subscribed clients) attached now; CLI commands only come and go. */
  attachedChanged(): void {
    this.opts.onAttached?.([...this.clients].filter((c) => c.subscribed).length);
  }

  /** Bind the socket (the caller holds the lock and has removed a stale socket). Mode 0600. */
  async listen(): Promise<void> {
    if (existsSync(this.opts.socketPath)) unlinkSync(this.opts.socketPath);
    const oldMask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.opts.socketPath, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(oldMask);
    }
    chmodSync(this.opts.socketPath, 0o600);
  }

  async close(reason: string): Promise<void> {
    for (const c of this.clients) {
      c.send({ t: 'bye', reason });
      c.socket.end();
    }
    await new Promise<void>((r) => this.server.close(() => r()));
    try {
      unlinkSync(this.opts.socketPath);
    } catch {
      /* already gone */
    }
  }

  /** An attached client hands its terminal over (ttyOpen, ttyGo) or takes it back (ttyClose): direct-tty.ts. */
  private onTty(c: ClientConnection, msg: Extract<ClientMessage, { t: 'ttyOpen' | 'ttyGo' | 'ttyClose' }>): void {
    if (msg.t === 'ttyGo') return void (c.direct?.agent === msg.agent && c.direct.go());
    const was = c.direct;
    c.direct = null;
    if (msg.t === 'ttyClose') {
      void (was?.close() ?? Promise.resolve()).then(() => c.send({ t: 'ttyClosed', agent: msg.agent }));
      return;
    }
    was?.destroy();
    const agent = this.supervisor.agent(msg.agent);
    let error: string | null = agent ? null : `no agent "${msg.agent}"`;
    if (agent) {
      try {
        const d = new DirectTty(msg.agent, openClientTty(msg.path, msg.rdev), () => this.supervisor.agent(msg.agent)?.screen, (why) => {
          if (c.direct === d) c.direct = null;
          this.opts.log(`attached terminal ${msg.path}: ${why}`);
        });
        d.repaintFirst = c.lagging;
        c.direct = d;
      } catch (e) {
        error = describeError(e);
      }
    }
    // In the stream: output before this mark is the client's to write, after it the server's. While
    // the agent's screen is being synced its output waits in order, and so does the mark.
    const mark = encodeControl({ t: 'ttyOpened', agent: msg.agent, error });
    const sync = c.syncing.get(msg.agent);
    if (sync) sync.pending.push(mark);
    else c.write(mark);
  }

  private onConnection(socket: net.Socket): void {
    const c = new ClientConnection(socket);
    this.clients.add(c);
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = c.decoder.push(chunk);
      } catch (e) {
        this.opts.log(`client protocol error: ${describeError(e)}`);
        socket.destroy();
        return;
      }
      for (const f of frames) if (f.kind === FRAME_CONTROL) this.onMessage(c, f.msg as ClientMessage);
    });
    socket.on('drain', () => {
      if (c.lagging && socket.writableLength === 0) {
        c.lagging = false;
        this.opts.log('client caught up: resyncing screens');
        this.streams.syncAll(c);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.clients.delete(c);
      c.close();
      if (c.subscribed) this.attachedChanged();
    });
  }

  private onMessage(c: ClientConnection, msg: ClientMessage): void {
    if (!c.helloed) {
      if (msg.t !== 'hello') return void c.socket.destroy();
      if (msg.protocol !== PROTOCOL_VERSION) {
        c.send({
          t: 'refused',
          code: 'protocol-mismatch',
          message: `the running server speaks protocol ${PROTOCOL_VERSION} (flower-tui ${this.opts.version}), this client ${msg.protocol} (flower-tui ${msg.version}): stop it with \`flower-tui server stop\` (it stops a server of any version) and start again`,
        });
        c.socket.end();
        return;
      }
      c.helloed = true;
      c.actor = msg.role === 'tui' ? 'operator' : 'cli';
      c.send({ t: 'welcome', protocol: PROTOCOL_VERSION, server: this.info() });
      return;
    }
    switch (msg.t) {
      case 'subscribe':
        c.subscribed = true;
        c.send({ t: 'event', event: { type: 'snapshot', snapshot: this.supervisor.snapshot() } });
        this.streams.syncAll(c);
        this.attachedChanged();
        return;
      case 'input': {
        // MAIN's processes are shown, never driven: keystrokes for them go nowhere.
        const a = this.supervisor.agent(msg.agent);
        if (a && a.info.worktree !== 'MAIN') a.write(msg.data);
        return;
      }
      case 'focus':
        c.focus = msg.agent;
        return;
      case 'pin':
        // Attached: this client passes the agent's bytes through to a real terminal, so it needs all of them.
        if (c.pacer.pin(msg.agent, msg.on)) this.streams.sendScreen(c, msg.agent);
        return;
      case 'ttyOpen':
      case 'ttyGo':
      case 'ttyClose':
        return this.onTty(c, msg);
      case 'req':
        if (msg.req.type === 'history') return this.streams.sendHistory(c, msg.id, msg.req.agent);
        void this.handleRequest(msg.req, c.actor).then(
          (result) => c.send({ t: 'res', id: msg.id, ok: true, result }),
          (e) => c.send({ t: 'res', id: msg.id, ok: false, error: { code: isFlowerError(e) ? e.code : 'internal', message: describeError(e) } }),
        );
        return;
    }
  }

  private async handleRequest(req: ServerRequest, actor: TraceActor): Promise<ServerResult> {
    switch (req.type) {
      case 'status':
        return { snapshot: this.supervisor.snapshot(), server: this.info() };
      case 'setReplies': {
        const a = this.supervisor.agent(req.agent);
        if (!a) throw new FlowerError('unknown-agent', `no agent "${req.agent}"`);
        a.setRepliesEnabled(req.on);
        return null;
      }
      case 'history':
        throw new FlowerError('bad-usage', 'history is answered in stream order, not here');
      case 'stopServer':
      {
        const agents = this.supervisor.liveAgents().map((a) => a.id);
        const by = actor === 'operator' ? 'Q in the cockpit' : 'flower-tui server stop';
        this.supervisor.record({ actor, action: 'stop', target: this.supervisor.repo.mainRoot, details: { agents, deliberate: true }, outcome: 'ok' });
        // Remembered: the next start does not restore these agents (restore is for crashes and reboots).
        writeStopMarker(stateDir(this.supervisor.repo.commonDir), { at: Date.now(), by, agents });
      }
        void this.stop();
        return null;
      default:
        // Every command of the vocabulary takes the one path, the command table (core/commands/).
        return replyOf(req, await this.supervisor.dispatch(req, actor));
    }
  }

  /** Stop every agent, tell clients, close the socket, then hand over to onStop (process exit). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.log('stopping: every agent, then the server');
    try {
      await this.supervisor.shutdown();
    } catch (e) {
      // e.g. the state file cannot be written (the repository was deleted): stop anyway.
      this.opts.log(`stopping: ${describeError(e)}`);
    }
    await this.close('server stopped').catch(() => {});
    this.opts.onStop();
  }

  private readonly onEvent = (e: SupervisorEvent) => {
    if (e.type === 'screen') return; // clients derive it from the output stream
    if (e.type === 'snapshot') {
      const ids = new Set(e.snapshot.agents.map((a) => a.id));
      for (const c of this.clients) c.pacer.retain(ids);
    }
    for (const c of this.clients) if (c.subscribed) c.send({ t: 'event', event: e });
  };
}

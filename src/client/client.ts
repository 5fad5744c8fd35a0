import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { FlowerError } from '../shared/errors.js';
import { encodeControl, FrameDecoder, FRAME_CONTROL } from '../protocol/frames.js';
import { PROTOCOL_VERSION, type ClientMessage, type ServerInfo, type ServerMessage, type ServerReplyOf, type ServerRequest, type ServerResult } from '../protocol/messages.js';

/**
 * One connection to a server. Emits 'message' (ServerMessage), 'output' (agent, Buffer, seq) and
 * 'close' (reason) — 'close' also when the server died without saying goodbye.
 */
export class FlowerClient extends EventEmitter {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ServerResult, seq: number) => void; reject: (e: Error) => void }>();
  /** Output frames received so far: where in the stream a response arrived (see requestAt). */
  private outputSeq = 0;
  private closedReason: string | null = null;
  server!: ServerInfo;

  /** `socket`: the server's Unix socket, or any byte stream joined to one (an ssh bridge). */
  private constructor(private readonly socket: Duplex) {
    super();
  }

  /** Connect and shake hands. Rejects with ECONNREFUSED/ENOENT-coded errors when no server listens. */
  static async connect(socketPath: string, opts: { role: 'tui' | 'cli'; version: string }): Promise<FlowerClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(socketPath);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    return FlowerClient.over(socket, opts);
  }

  /** Shake hands over a stream already joined to a server (e.g. `ssh HOST flower-tui server bridge`). */
  static async over(socket: Duplex, opts: { role: 'tui' | 'cli'; version: string }): Promise<FlowerClient> {
    const client = new FlowerClient(socket);
    client.wire();
    const welcome = await new Promise<ServerMessage>((resolve, reject) => {
      const onMsg = (m: ServerMessage) => {
        if (m.t === 'welcome' || m.t === 'refused') {
          client.off('message', onMsg);
          client.off('close', onClose);
          resolve(m);
        }
      };
      const onClose = (reason: string) => reject(new FlowerError('server-failed', `server closed the connection: ${reason}`));
      client.on('message', onMsg);
      client.once('close', onClose);
      client.sendMessage({ t: 'hello', protocol: PROTOCOL_VERSION, version: opts.version, role: opts.role, pid: process.pid });
    });
    if (welcome.t === 'refused') {
      client.close();
      throw new FlowerError(welcome.code === 'protocol-mismatch' ? 'protocol-mismatch' : 'server-failed', welcome.message);
    }
    if (welcome.t === 'welcome') client.server = welcome.server;
    return client;
  }

  private wire(): void {
    const decoder = new FrameDecoder();
    this.socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        this.socket.destroy(e as Error);
        return;
      }
      for (const f of frames) {
        if (f.kind === FRAME_CONTROL) this.onMessage(f.msg as ServerMessage);
        else this.emit('output', f.agent, f.data, ++this.outputSeq);
      }
    });
    this.socket.on('error', (e) => (this.closedReason ??= e.message));
    this.socket.on('close', () => {
      const reason = this.closedReason ?? 'connection lost';
      this.closedReason = reason;
      for (const p of this.pending.values()) p.reject(new FlowerError('server-failed', `server gone: ${reason}`));
      this.pending.clear();
      this.emit('close', reason);
    });
  }

  private onMessage(m: ServerMessage): void {
    if (m.t === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result, this.outputSeq);
      else p.reject(new FlowerError(m.error.code as never, m.error.message));
      return;
    }
    if (m.t === 'bye') this.closedReason = m.reason;
    this.emit('message', m);
  }

  sendMessage(msg: ClientMessage): void {
    if (!this.socket.destroyed) this.socket.write(encodeControl(msg));
  }

  /** A request and its typed answer (the command table's reply for a command). */
  request<R extends ServerRequest>(req: R): Promise<ServerReplyOf<R>> {
    // The server answers each request with its own reply type (server.ts handleRequest).
    return this.requestAt(req).then((r) => r.result as ServerReplyOf<R>);
  }

  /**
   * A request whose answer is tied to a point in the output stream: `seq` is the number of output
   * frames received before the response (the 'output' event passes each frame's number).
   */
  requestAt(req: ServerRequest): Promise<{ result: ServerResult; seq: number }> {
    if (this.closedReason) return Promise.reject(new FlowerError('server-failed', `server gone: ${this.closedReason}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (result, seq) => resolve({ result, seq }), reject });
      this.sendMessage({ t: 'req', id, req });
    });
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  close(): void {
    this.closedReason ??= 'closed by client';
    this.socket.end();
    this.socket.destroy();
  }
}

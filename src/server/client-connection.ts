import type net from 'node:net';
import type { TerminalScreen } from '../core/agents/terminal-screen.js';
import type { TraceActor } from '../core/store/trace.js';
import { encodeControl, FrameDecoder } from '../protocol/frames.js';
import type { ServerMessage } from '../protocol/messages.js';
import { OutputPacer } from './output-pacer.js';
import type { DirectTty } from './direct-tty.js';

/** Past this much unsent output a client is lagging: live output to it stops, and it is resynced from snapshots once drained. */
export const LAG_BYTES = 4 * 1024 * 1024;
/**
 * Output of agents the client is not looking at closely (not focused, not attached) is gathered for
 * this long and sent in one write: it is drawn at the background frame rate (ui.backgroundFps,
 * 15 by default: one frame per 66 ms) anyway, so each batch costs the client one wake-up that
 * both reads and draws, and four spinners cost one wake-up of each process instead of four.
 */
const BATCH_MS = 66;
const BATCH_BYTES = 64 * 1024;

/** One client of the server: its socket, what it asked for, and its output (batched, paced, resynced when lagging). */
export class ClientConnection {
  readonly decoder = new FrameDecoder();
  helloed = false;
  /** Who this client acts for in the trace: the cockpit is the operator, the CLI is "cli". */
  actor: TraceActor = 'cli';
  subscribed = false;
  lagging = false;
  /** Agents whose snapshot is being prepared: their live output waits here, so nothing is lost or doubled. */
  readonly syncing = new Map<string, { pending: Buffer[]; builds: ((screen: TerminalScreen) => ServerMessage)[] }>();
  /** Raw bytes or screen frames, per agent (see OutputPacer). */
  readonly pacer = new OutputPacer();
  frameTimer: NodeJS.Timeout | null = null;
  /** The agent this client has focused: its output goes out at once (echo latency). */
  focus: string | null = null;
  /** Attached, with its terminal handed over: the server writes that agent's output there itself. */
  direct: DirectTty | null = null;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  constructor(readonly socket: net.Socket) {}

  send(msg: ServerMessage): void {
    this.write(encodeControl(msg));
  }

  /** Write now, after anything batched (so every agent's bytes and messages stay in order). */
  write(buf: Buffer): void {
    this.flush();
    if (!this.socket.destroyed) this.socket.write(buf);
  }

  /** Write within BATCH_MS, together with whatever else is waiting. */
  queue(buf: Buffer): void {
    this.batch.push(buf);
    this.batchBytes += buf.length;
    if (this.batchBytes >= BATCH_BYTES) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.batch.length === 0) return;
    const out = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    if (!this.socket.destroyed) this.socket.write(out);
  }

  close(): void {
    this.direct?.destroy();
    this.direct = null;
    if (this.frameTimer) clearTimeout(this.frameTimer);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.frameTimer = this.batchTimer = null;
    this.batch = [];
  }
}

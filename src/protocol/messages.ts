import type { ReplyOf } from '../core/commands/table.js';
import type { Snapshot, SupervisorCommand, SupervisorEvent } from '../core/types.js';

/**
 * The server protocol. Bump PROTOCOL_VERSION on any incompatible change: a client of another version
 * is told, in one line, to restart the server (its agents would otherwise be driven by a stranger).
 */
export const PROTOCOL_VERSION = 3;

export interface ServerInfo {
  pid: number;
  version: string;
  protocol: number;
  startedAt: number;
  socket: string;
  clients: number;
  log: string;
  /** The config file the server runs with (null: defaults); absent from servers before it was added. */
  config?: string | null;
  /** Why the config file on disk is not in use (it changed and is invalid; the previous one is kept). */
  configProblem?: string | null;
  /** MAIN's path and its root commits: another host's cockpit checks it serves a clone of the same project. */
  mainRoot?: string;
  roots?: string[];
}

/** Requests a client can make: the supervisor's commands plus the server's own. */
export type ServerRequest =
  | SupervisorCommand
  | { type: 'setReplies'; agent: string; on: boolean }
  | { type: 'status' }
  /** An agent's screen with its scrollback (scroll mode, attach): answered in stream order. */
  | { type: 'history'; agent: string }
  | { type: 'stopServer' };

export type StatusReply = { snapshot: Snapshot; server: ServerInfo };
export type HistoryReply = { cols: number; rows: number; data: string };

/** What the server answers to a request: a command's reply (core/commands/table.ts), or the server's own. */
export type ServerReplyOf<R extends ServerRequest> = R extends SupervisorCommand
  ? ReplyOf<R>
  : R extends { type: 'status' }
    ? StatusReply
    : R extends { type: 'history' }
      ? HistoryReply
      : null;

export type ServerResult = ServerReplyOf<ServerRequest>;

export type ClientMessage =
  | { t: 'hello'; protocol: number; version: string; role: 'tui' | 'cli'; pid: number }
  /** Start receiving events, agent screens and live output. */
  | { t: 'subscribe' }
  | { t: 'req'; id: number; req: ServerRequest }
  /** Keystrokes for an agent: fire and forget, no response (latency matters). */
  | { t: 'input'; agent: string; data: string }
  /** The agent this client has focused: its output is sent at once, others' within 66 ms batches. */
  | { t: 'focus'; agent: string | null }
  /** This client is attached to the agent (on) or back in the grid (off): attached agents always stream raw bytes. */
  | { t: 'pin'; agent: string; on: boolean }
  /**
   * Attached: the server is to write the agent's output to this client's terminal itself (one hop
   * less per echo, as tmux does). `path` and `rdev` name the client's tty (its stdout); the server
   * opens it only if it is that device and the user's own. Answered by `ttyOpened` in the stream.
   */
  | { t: 'ttyOpen'; agent: string; path: string; rdev: number }
  /** The client has written everything before `ttyOpened`: the server writes from here on. */
  | { t: 'ttyGo'; agent: string }
  /** The client takes its terminal back (detach, exit): answered by `ttyClosed` once the server's writes are out. */
  | { t: 'ttyClose'; agent: string };

export type ServerMessage =
  | { t: 'welcome'; protocol: number; server: ServerInfo }
  | { t: 'refused'; code: string; message: string }
  | { t: 'res'; id: number; ok: true; result: ServerResult }
  | { t: 'res'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'event'; event: SupervisorEvent }
  /** An agent's visible screen (no scrollback), to load into its mirror emulator: on subscribe, resync, after a resize, and as frames during a flood. */
  | { t: 'screen'; agent: string; cols: number; rows: number; data: string }
  | { t: 'bye'; reason: string }
  /** Where in the stream the server starts writing the agent's output to the client's terminal (or why it cannot: `error`). */
  | { t: 'ttyOpened'; agent: string; error: string | null }
  /** The server has stopped writing to the client's terminal; every byte it wrote there is out. */
  | { t: 'ttyClosed'; agent: string };

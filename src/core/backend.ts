import type { TerminalScreen } from './agents/terminal-screen.js';
import type { AgentInfo, Snapshot, SupervisorCommand, SupervisorEvent } from './types.js';
import type { TraceEntry, TraceFilter } from './store/trace.js';
import type { ReplyOf } from './commands/table.js';

/**
 * What a cockpit (the TUI) needs of one agent. In-process it is the Agent itself; attached to a
 * server it is a view whose screen is a mirror emulator fed by the server's byte stream.
 */
export interface AgentView {
  readonly info: AgentInfo;
  readonly isLive: boolean;
  /** The emulator to draw from and to serialize on attach. */
  readonly screen: TerminalScreen;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** While attached, the real terminal answers the program's queries, not the emulator. */
  setRepliesEnabled(on: boolean): void;
  /** Raw pty output as it arrives (whole UTF-8 characters); returns an unsubscribe function. */
  onOutput(fn: (data: Uint8Array) => void): () => void;
  /**
   * The screen with its scrollback, current up to the moment the promise resolves (scroll mode,
   * attach). In-process that is the agent's own emulator; a client's mirror keeps no scrollback, so
   * it is a copy fetched from the server. `release` when done with it.
   */
  history(): Promise<AgentHistory>;
  /**
   * A client's mirror was replaced by the server's screen (a resync after falling behind, a
   * resize): an attached terminal, which missed or reflowed bytes, repaints from it.
   */
  onReload?(fn: () => void): () => void;
}

export interface AgentHistory {
  screen: TerminalScreen;
  release(): void;
}

/** Worktree (lane) commands, whose results the cockpit shows (a removal preview, an add report). */
export type LaneCommand = Extract<
  SupervisorCommand,
  { type: 'addWorktree' | 'removeWorktree' | 'checkRemoval' | 'retrySetup' | 'removedLanes' | 'restoreLane' | 'mergePreview' | 'merge' | 'cancelMerge' | 'dismissMerge' | 'diff' | 'brief' | 'queue' | 'updateLane' }
>;

/** Commands beyond the supervisor's own that only make sense with a server. */
export type CockpitCommand = SupervisorCommand | { type: 'stopServer' };

/** What a cockpit gets back for a command, local or remote alike: the command's reply (core/commands/table.ts). */
export type CockpitReply<C extends CockpitCommand> = C extends SupervisorCommand ? ReplyOf<C> : null;

/** The supervisor as a cockpit sees it: local (same process) or remote (over the server socket). */
export interface CockpitBackend {
  /** "local" runs agents in this process; "remote" attaches to a server that outlives us. */
  readonly kind: 'local' | 'remote';
  snapshot(): Snapshot;
  subscribe(fn: (e: SupervisorEvent | BackendEvent) => void): () => void;
  /** Every command, one path: its reply arrives typed (ReplyOf in core/commands/table.ts). */
  dispatch<C extends CockpitCommand>(cmd: C): Promise<CockpitReply<C>>;
  agent(id: string): AgentView | undefined;
  /** The agent the operator is looking at: a server sends its output at once, the rest in batches. */
  setFocus?(agent: string | null): void;
  /** Leave: local stops every agent; remote just disconnects (agents keep running). */
  close(): Promise<void>;
  /** The trace, oldest first (the files are local to the repository, whichever process writes them). */
  readTrace(filter: TraceFilter): TraceEntry[];
  /** Remote only: start the server again after it died, and re-attach. */
  reconnect?(): Promise<void>;
  /** Synchronous last-resort cleanup for exit handlers (local: SIGKILL every agent tree). */
  closeNow(): void;
}

/** Connection events of a remote backend. */
export type BackendEvent = { type: 'disconnected'; reason: string } | { type: 'reconnected' };

import type { AgentView } from './agent-view.js';
import type { Snapshot, SupervisorCommand, SupervisorEvent } from '../types.js';
import type { TraceEntry, TraceFilter } from '../store/trace.js';
import type { ReplyOf } from '../commands/table.js';

// An agent as a cockpit sees it lives apart (agent-view.ts): the Agent implements it, and must not reach the command table.
export type { AgentHistory, AgentView, OwnTty } from './agent-view.js';

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

/** Connection events of a remote backend; `hostDown`: the link to another host's server dropped (its lanes stay, greyed). */
export type BackendEvent = { type: 'disconnected'; reason: string } | { type: 'reconnected' } | { type: 'hostDown'; host: string; reason: string };

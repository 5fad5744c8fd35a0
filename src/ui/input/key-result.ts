import type { Snapshot } from '../../core/types.js';
import type { CockpitCommand, LaneCommand } from '../../core/backend/cockpit-backend.js';
import type { Layout } from '../../layout/layout.js';
import type { Keymap } from '../keymap.js';
import type { SearchMatch, UiState } from '../ui-state.js';

// What every key handler (grid, scroll mode, each dialog) takes and returns: the pure reducers'
// shared vocabulary, apart from any one of them so none imports another's types back.

/** What a key asks of the outside world, beyond a new UI state. */
export type Effect =
  | { type: 'command'; cmd: CockpitCommand }
  | { type: 'attach'; agent: string }
  | { type: 'quit' }
  /** Stop the server and every agent, then leave. */
  | { type: 'stop' }
  /** (Re)read the trace for the open trace view. */
  | { type: 'loadTrace' }
  /** Ask what removing a worktree would lose, then show the removal dialog. */
  | { type: 'checkRemoval'; worktree: string }
  | { type: 'lane'; cmd: LaneCommand }
  /** Fetch a merge preview or a diff, then open its dialog. */
  | { type: 'mergePreview'; worktree: string }
  | { type: 'diff'; worktree: string }
  /** Load a brief with its trace into the briefs view. */
  | { type: 'briefDetail'; id: number; /** The host whose server holds it (none: this machine's). */ host?: string }
  /** Open $VISUAL/$EDITOR on a new brief's spec (the cockpit lends it the terminal), then add the brief. */
  | { type: 'editSpec'; title: string; spec: string }
  | { type: 'reconnect' };

export interface KeyContext {
  snapshot: Snapshot;
  layout: Layout;
  keymap: Keymap;
  /** "remote": agents live in a server, quitting only detaches. Default "local". */
  mode?: 'local' | 'remote';
  /** Size of an agent's buffer, for clamping scroll: total lines and visible rows. */
  bufferSize(agent: string): { length: number; rows: number } | null;
  search(agent: string, query: string): SearchMatch[];
  /** `lanes.defaultLane` / `lanes.defaultKind`: what the `w` form starts with. */
  laneDefaults?: { lane: 'standing' | 'ephemeral'; kind: 'served' | 'code-only' };
}

export interface KeyResult {
  ui: UiState;
  effects: Effect[];
}

/** A new UI state and nothing else. */
export const none = (ui: UiState): KeyResult => ({ ui, effects: [] });
/** The UI state with a one-line message in the status line. */
export const info = (ui: UiState, text: string): KeyResult => ({ ui: { ...ui, message: { text, level: 'info' } }, effects: [] });

import type { PendingRestore, Snapshot } from '../core/types.js';
import type { TraceEntry } from '../core/store/trace.js';
import type { MergePreview } from '../core/merge/merge-preview.js';
import type { BriefDetail } from '../core/briefs/brief-ops.js';

/** What the UI shows over the grid. Exactly one at a time; keys go to it first. */
export type Dialog =
  | { kind: 'help' }
  | { kind: 'confirm-kill'; agent: string }
  | { kind: 'confirm-remove'; agent: string }
  | { kind: 'confirm-respawn'; agent: string }
  | { kind: 'confirm-quit'; running: string[] }
  /** Stop the server and every agent (remote mode's Q). */
  | { kind: 'confirm-stop'; running: string[] }
  /** The server died under us: restart it, or quit. */
  | { kind: 'server-gone'; reason: string }
  /** What merging a worktree would do (`m`): confirm to run the pipeline. */
  | { kind: 'merge-preview'; preview: MergePreview }
  /** The running (or finished) merge, drawn from the snapshot's merge view. */
  | { kind: 'merge' }
  /** A worktree's diff against MAIN (`d`). */
  | { kind: 'diff'; worktree: string; lines: string[]; offset: number }
  /** The new-worktree form (`w`). */
  | { kind: 'new-worktree'; field: number; name: string; lane: 'standing' | 'ephemeral'; served: boolean; base: string; agents: string; error: string | null; /** Where the lane is made: '' this machine, else a configured host; `hosts` the choices. */ host: string; hosts: string[] }
  /** Removing a worktree (`W`): what would be lost; forcing needs the name typed. */
  | { kind: 'remove-worktree'; worktree: string; unmerged: string[]; changes: string[]; agents: string[]; typed: string }
  /** Agents that were running before the server restarted: bring them back? */
  | { kind: 'restore'; agents: PendingRestore[] }
  /** The trace, newest first, filtered; `entries` is loaded by the TUI when the view opens or refreshes. */
  | { kind: 'trace'; entries: TraceEntry[]; offset: number; text: string; editing: boolean; scope: 'all' | 'worktree' | 'agent'; lane: string; agent: string | null }
  | { kind: 'pick-profile'; worktree: string; selected: number }
  /** The briefs (`b`): list by status, the selected one's spec and links; `detail` adds its trace (Enter); `adding` is a title being typed, then `spec` (typed or pasted, or from $EDITOR). */
  | { kind: 'briefs'; selected: number; adding: string | null; detail: BriefDetail | null; spec?: { title: string; text: string } | null };

export interface SearchMatch {
  /** Absolute line in the agent's buffer (scrollback + screen). */
  line: number;
  col: number;
  length: number;
}

/** Scroll mode on one agent: a frozen view into its scrollback, optionally with a search. */
export interface ScrollView {
  agent: string;
  /** Absolute buffer line shown at the top of the pane. */
  top: number;
  /** Typing a search query (the status line is an input field). */
  editing: boolean;
  query: string;
  matches: SearchMatch[];
  current: number;
}

export interface StatusMessage {
  text: string;
  level: 'info' | 'error';
}

export interface UiState {
  /** "MAIN" or a linked worktree's name. */
  focusLane: string;
  focusAgent: string | null;
  /** Remember the agent last focused in each lane, so returning to a lane returns to it. */
  lastAgentByLane: Record<string, string>;
  dialog: Dialog | null;
  scroll: ScrollView | null;
  message: StatusMessage | null;
}

export const MAIN_LANE = 'MAIN';

export function initialUiState(): UiState {
  return { focusLane: MAIN_LANE, focusAgent: null, lastAgentByLane: {}, dialog: null, scroll: null, message: null };
}

/** Linked worktrees in display order, each with its agents (MAIN excluded: it never hosts agents). */
export function lanesOf(snapshot: Snapshot): { name: string; agents: string[] }[] {
  return snapshot.worktrees
    .filter((w) => !w.isMain)
    .map((w) => ({ name: w.name, agents: snapshot.agents.filter((a) => a.worktree === w.name).map((a) => a.id) }));
}

/** Keep focus valid after the snapshot changed (an agent removed, a worktree vanished). */
export function reconcileFocus(ui: UiState, snapshot: Snapshot): UiState {
  const lanes = lanesOf(snapshot);
  let { focusLane, focusAgent } = ui;
  if (focusLane !== MAIN_LANE && !lanes.some((l) => l.name === focusLane)) {
    focusLane = lanes[0]?.name ?? MAIN_LANE;
    focusAgent = null;
  }
  const lane = lanes.find((l) => l.name === focusLane);
  if (!lane) focusAgent = null;
  else if (!focusAgent || !lane.agents.includes(focusAgent)) focusAgent = lane.agents[0] ?? null;
  let scroll = ui.scroll;
  if (scroll && !snapshot.agents.some((a) => a.id === scroll!.agent)) scroll = null;
  // A dialog about something that no longer exists would act on nothing: close it.
  let dialog = ui.dialog;
  const about = dialog && 'agent' in dialog ? (dialog as { agent: string }).agent : null;
  if (about && !snapshot.agents.some((a) => a.id === about)) dialog = null;
  if (dialog?.kind === 'pick-profile' && !lanes.some((l) => l.name === (dialog as { worktree: string }).worktree)) dialog = null;
  if (focusLane === ui.focusLane && focusAgent === ui.focusAgent && scroll === ui.scroll && dialog === ui.dialog) return ui;
  return { ...ui, focusLane, focusAgent, scroll, dialog };
}

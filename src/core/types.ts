/**
 * The supervisor's public vocabulary: plain, serialisable data only. The TUI, the CLI and (later)
 * the server speak exactly these shapes, which is what lets the supervisor move into a server process
 * without the UI noticing.
 */

import type { MergeView } from './merge/merge-view.js';
import type { QueueState } from './merge/merge-queue.js';
import type { BriefCommand, BriefView } from './briefs/brief-ops.js';
import type { AgentStatus, WaitTarget } from './status/agent-status.js';

export interface WorktreeInfo {
  /** "MAIN" for the main worktree, else the branch (or directory name when detached). */
  name: string;
  path: string;
  branch: string | null;
  head: string | null;
  isMain: boolean;
  locked: boolean;
  prunable: boolean;
  /** Lane details (linked worktrees only; null for MAIN or when unknown). */
  lane?: LaneInfo | null;
  /** The configured host (hosts.NAME) this lane lives on; absent for this machine's own. */
  host?: string;
}

/** A configured host as a cockpit sees its link: its lanes are shown only while it is reachable. */
export interface HostLinkView {
  name: string;
  state: 'connecting' | 'connected' | 'disconnected' | 'unreachable';
  /** One line: why it is not connected ("cannot reach box over ssh (…)"), else null. */
  message: string | null;
  /** When the next attempt is made (ms since the epoch), or null when none is planned. */
  retryAt: number | null;
}

/** A lane's setup run: its commands, which one is running, how it ended. */
export interface LaneSetup {
  state: 'running' | 'failed' | 'done';
  step: number;
  steps: number;
  command: string;
  exitCode: number | null;
}

export interface LaneInfo {
  /** standing lanes persist; ephemeral ones are removed (with their branch) after their merge. */
  lane: 'standing' | 'ephemeral';
  kind: 'served' | 'code-only' | null;
  port: number | null;
  ahead: number | null;
  behind: number | null;
  /** Changed or untracked paths in the worktree. */
  dirty: number | null;
  setup: LaneSetup | null;
}

export type AgentState =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'exited'; code: number; signal: string | null }
  | { kind: 'killed' }
  | { kind: 'failed'; reason: string };

export interface AgentInfo {
  /** Stable and human-typable: "<worktree>/<name>", e.g. "feature-auth/claude". */
  id: string;
  name: string;
  worktree: string;
  profile: string;
  command: string;
  args: string[];
  cwd: string;
  state: AgentState;
  pid: number | null;
  cols: number;
  rows: number;
  startedAt: number;
  /** How many times this agent has been respawned. */
  respawns: number;
  /** The conversation this agent continues when restored or respawned (profiles with `session`). */
  sessionId: string | null;
  /** Context usage from the agent's own transcript (or screen); level "unknown" when there is none. */
  usage: AgentUsage;
  /** The screen/transcript guess at activity (fallback evidence; `status` is what to show). */
  activity: 'working' | 'waiting' | 'idle' | 'exited' | 'unknown';
  /** What the agent is doing, why, since when, and who said so (hooks first; see core/status). */
  status: AgentStatus;
  refreshCount: number;
  /** A refresh asked for while it was working waits for it to be idle (shown in its header). */
  refreshQueued?: boolean;
  /** Whether the process runs under bubblewrap ("none": unsandboxed, with the reason). */
  sandbox: 'bwrap' | 'none';
  sandboxReason: string | null;
}

export interface AgentUsage {
  source: 'claude' | 'codex' | 'gemini' | 'screen' | 'none';
  tokens: number | null;
  window: number | null;
  percent: number | null;
  level: 'ok' | 'warn' | 'rot' | 'unknown';
  compacted: boolean;
  /** The transcript being read, when found. */
  file: string | null;
  updatedAt: string | null;
}

/** Something the server wants every cockpit to see: a restore report, a state file moved aside. */
export interface Notice {
  ts: string;
  level: 'info' | 'error';
  text: string;
}

/** An agent that was running before the server restarted, waiting for the operator to restore it. */
export interface PendingRestore {
  id: string;
  worktree: string;
  profile: string;
  /**
   * "resume" when its conversation can be continued, "fresh" otherwise, "missing" when its worktree
   * or profile is gone, "refused" when the state file's record is not one the server would run
   * (a directory outside the repository's worktrees, args it never started it with).
   */
  how: 'resume' | 'fresh' | 'missing' | 'refused';
  /** Why it cannot be restored (missing, refused). */
  reason?: string;
}

export interface MainInfo {
  branch: string | null;
  headShort: string | null;
  subject: string | null;
  changes: number;
  /** "XY path" of each change (at most 50): someone edited production directly. */
  changed: string[];
  error: string | null;
  /** MAIN's HEAD moved by something other than flower-tui's merge (a commit, reset, checkout in MAIN). */
  headMoved?: { from: string; to: string; subject: string | null; at: string } | null;
}

export interface Snapshot {
  repo: { mainRoot: string; commonDir: string };
  worktrees: WorktreeInfo[];
  agents: AgentInfo[];
  main: MainInfo;
  profiles: { name: string; command: string; description?: string }[];
  /** Newest last; a cockpit shows the ones newer than what it has seen. */
  notices: Notice[];
  /** Agents a restore would bring back, when the config says to ask first (`restore: "ask"`). */
  pendingRestore: PendingRestore[];
  /**
   * What the next server start would bring back (every agent remembered as running: after a crash or
   * a reboot), and what this start did not restore because the operator had stopped them deliberately.
   */
  restore?: { remembered: string[]; notRestored: { agents: string[]; by: string; at: number } | null };
  /** Where the operator's cockpit last had its focus (kept in state across restarts). */
  savedFocus: { lane: string | null; agent: string | null } | null;
  /** The running (or last) merge, step by step. */
  merge: MergeView | null;
  /** MAIN's monitor: health checks, recent merges. */
  monitor: MonitorView;
  /** Every brief not closed, oldest first. */
  briefs: BriefView[];
  /** The merge queue: lanes waiting to land, in order, the head's step; lanes recently taken out. */
  queue?: QueueState;
  /** The configured hosts' links, as the cockpit sees them (a cockpit's own view; no server sends it). */
  hosts?: HostLinkView[];
}

export interface MonitorView {
  health: { command: string | null; state: 'ok' | 'failing' | 'unknown' | 'off'; lastOk: string | null; lastFailure: string | null; output: string[]; checkedAt: string | null };
  /** Newest first, from the trace. */
  merges: { ts: string; worktree: string; outcome: string; message: string | null }[];
  /** Files changed in MAIN outside a merge ("XY path"): the dirty alarm. */
  dirty: string[];
  ops: string | null;
  /** The config file in use, and why the one on disk is not (invalid since it changed), if so. */
  config?: { file: string | null; problem: string | null };
}

export type SupervisorCommand =
  | { type: 'spawn'; worktree: string; profile: string; name?: string; args?: string[]; cols?: number; rows?: number }
  | { type: 'kill'; agent: string }
  | { type: 'respawn'; agent: string }
  | { type: 'remove'; agent: string }
  | { type: 'input'; agent: string; data: string }
  /** Type text once the agent is ready; multi-line as one bracketed paste; then Enter unless told not to. */
  | { type: 'send'; agent: string; text: string; enter: boolean; timeoutMs?: number }
  | { type: 'resize'; agent: string; cols: number; rows: number }
  | { type: 'refreshWorktrees' }
  /** Bring back the agents of `pendingRestore` (all, or the ids given); `discard` forgets them. */
  | { type: 'restore'; agents?: string[]; discard?: boolean }
  /** Operator actions that happen in a cockpit, recorded in the trace and state. */
  | { type: 'note'; action: 'attach' | 'detach'; agent: string }
  | { type: 'saveFocus'; lane: string | null; agent: string | null }
  | { type: 'addWorktree'; name: string; lane?: 'standing' | 'ephemeral'; base?: string; kind?: 'served' | 'code-only'; agents?: string[]; prompt?: string }
  | { type: 'removeWorktree'; name: string; force: boolean }
  | { type: 'checkRemoval'; name: string }
  | { type: 'retrySetup'; name: string }
  /** Removed lanes saved under refs/flower/removed/, and bringing one back. */
  | { type: 'removedLanes' }
  | { type: 'restoreLane'; name: string }
  /** Recycle an agent whose context has rotted, per its profile's refresh action (never mid-turn). */
  | { type: 'refresh'; agent: string; /** Drop a refresh that waits for the agent to be idle. */ cancel?: boolean }
  | { type: 'mergePreview'; worktree: string }
  | { type: 'merge'; worktree: string; commitMessage?: string }
  | { type: 'cancelMerge' }
  | { type: 'dismissMerge' }
  | { type: 'diff'; worktree: string }
  /** On a host: run MAIN's gate in this lane for MAIN's server elsewhere, when it is at `expect` and clean (merge/lane-gate.ts); without `command`, only report on the lane. */
  | { type: 'gateLane'; worktree: string; expect?: string; command?: string; timeoutMs?: number }
  /** The merge queue: mark a lane ready (it joins the queue), list, take out, reorder, pause, resume. */
  | { type: 'queue'; op: 'ready'; lane: string; by?: string }
  | { type: 'queue'; op: 'list' }
  | { type: 'queue'; op: 'rm'; lane: string }
  | { type: 'queue'; op: 'move'; lane: string; to: number | 'up' | 'down' }
  | { type: 'queue'; op: 'pause' | 'resume' }
  /** Bring a lane up to date with MAIN in its own worktree (clean, agents idle; merge.update). */
  | { type: 'updateLane'; worktree: string }
  /** Briefs: add, list, show, edit, note, close, block, dispatch, claim, done, packet (see briefs/brief-ops.ts). */
  | BriefCommand
  /** An agent reporting its own state (its hooks, or `flower-tui report`). */
  | { type: 'report'; agent: string; state: ReportState; reason?: string | null; keepReason?: boolean }
  /** Resolves once the agent is in that state (`sinceInput`: entered after the last text sent to it). */
  | { type: 'wait'; agent: string; for: WaitTarget; sinceInput?: boolean; timeoutMs?: number };

/** States an agent may report about itself (the process states are flower-tui's to say). */
export type ReportState = 'working' | 'needs-you' | 'idle' | 'compacting' | 'starting';

export type SupervisorEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  /** An agent's screen changed; consumers re-read it when they next draw. */
  | { type: 'screen'; agent: string }
  | { type: 'error'; message: string }
  | { type: 'notice'; notice: Notice }
  /** An agent wants the operator: it is waiting for input, or its context has rotted. */
  | { type: 'attention'; agent: string; reason: string; needsYou?: boolean };

/** One-word state label for headers and `status`. */
export function agentStateLabel(s: AgentState): string {
  switch (s.kind) {
    case 'starting':
      return 'starting';
    case 'running':
      return 'running';
    case 'exited':
      return s.signal ? `exited ${s.signal}` : `exited ${s.code}`;
    case 'killed':
      return 'killed';
    case 'failed':
      return `failed: ${s.reason}`;
  }
}

export function agentIsLive(s: AgentState): boolean {
  return s.kind === 'starting' || s.kind === 'running';
}

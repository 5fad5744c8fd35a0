/**
 * A brief: a unit of work pushed to a lane's agent (dispatch → claim → execute → auto-link). Plain,
 * serialisable data; the transitions allowed between statuses live here as one pure table so the
 * CLI, the cockpit and the MCP server all refuse the same things with the same words.
 */

export type BriefStatus = 'planned' | 'dispatched' | 'claimed' | 'ready' | 'merged' | 'closed' | 'blocked' | 'failed';

export const BRIEF_STATUSES: readonly BriefStatus[] = ['planned', 'dispatched', 'claimed', 'ready', 'merged', 'closed', 'blocked', 'failed'];

/** Who did something to a brief: the operator, an agent (its id), or flower-tui itself. */
export type BriefActor = string;
export const OPERATOR = 'operator';
export const FLOWER = 'flower-tui';

/** Something a brief produced: a commit on its lane, or the merge of its lane into MAIN. */
export interface BriefLink {
  kind: 'commit' | 'merge';
  sha: string;
  subject: string;
  /** How the link was found: a `Brief: #N` trailer, or the lane and the time of the claim. */
  via: 'trailer' | 'lane' | 'merge';
  /** For merges: merged, rolled-back, conflict, gate-failed… */
  outcome?: string;
  ts: string;
}

export interface BriefNote {
  ts: string;
  by: BriefActor;
  text: string;
}

export interface Brief {
  id: number;
  title: string;
  /** Markdown. */
  spec: string;
  status: BriefStatus;
  /** Why it is blocked/failed/closed, or the summary given with `brief done`. */
  reason: string | null;
  /** Where it goes: a lane name (standing or ephemeral), once known. */
  lane: string | null;
  /** The agent it was dispatched to / claimed by. */
  agent: string | null;
  /** Dispatch into a fresh ephemeral lane of this name (created at dispatch). */
  ephemeral: string | null;
  served: boolean;
  /** The profile an ephemeral lane's agent is started from. */
  profile: string | null;
  /** Dispatched by flower-tui to the first idle agent of a matching standing lane. */
  auto: boolean;
  createdAt: string;
  updatedAt: string;
  dispatchedAt: string | null;
  claimedAt: string | null;
  /** The last packet sent (what the agent was told), for `brief show --as-agent`. */
  packet: string | null;
  links: BriefLink[];
  notes: BriefNote[];
}

/** Statuses a brief may move to from each status (by the named commands; `close` goes anywhere but closed). */
const NEXT: Record<BriefStatus, readonly BriefStatus[]> = {
  planned: ['dispatched', 'claimed', 'blocked', 'closed'],
  dispatched: ['dispatched', 'claimed', 'blocked', 'failed', 'closed'],
  claimed: ['dispatched', 'claimed', 'ready', 'blocked', 'failed', 'closed'],
  ready: ['claimed', 'dispatched', 'merged', 'blocked', 'failed', 'closed'],
  merged: ['closed'],
  closed: [],
  blocked: ['dispatched', 'claimed', 'ready', 'failed', 'closed'],
  failed: ['dispatched', 'claimed', 'closed'],
};

/** Null when allowed, else the one-line reason. */
export function refuseTransition(b: Brief, to: BriefStatus): string | null {
  if (NEXT[b.status].includes(to)) return null;
  if (b.status === 'closed') return `#${b.id} is closed`;
  return `#${b.id} is ${b.status}: it cannot become ${to}`;
}

/** "#12" or "12" → 12; null when it is not a brief id. */
export function parseBriefId(text: string | number): number | null {
  const m = /^#?(\d{1,9})$/.exec(String(text).trim());
  return m ? Number(m[1]) : null;
}

/** Every `Brief: #N` trailer (or `Brief: N`) in a commit message. */
export function briefTrailers(message: string): number[] {
  const ids = new Set<number>();
  for (const m of message.matchAll(/^Brief:\s*#?(\d{1,9})\s*$/gim)) ids.add(Number(m[1]));
  return [...ids];
}

/** A dispatched brief older than this, not claimed, is shown as unclaimed. */
export function isUnclaimed(b: Brief, now: number, claimTimeoutMs: number): boolean {
  return b.status === 'dispatched' && b.dispatchedAt !== null && now - Date.parse(b.dispatchedAt) >= claimTimeoutMs;
}

/** The one line a list shows. */
export function briefLine(b: Brief, now = Date.now(), claimTimeoutMs = Infinity): string {
  const status = isUnclaimed(b, now, claimTimeoutMs) ? 'unclaimed' : b.status;
  const where = b.agent ?? b.lane ?? (b.ephemeral ? `${b.ephemeral} (new)` : b.auto ? 'auto' : '—');
  return `#${b.id}  ${status.padEnd(10)} ${where.padEnd(24)} ${b.title}`;
}

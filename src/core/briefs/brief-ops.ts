/** The brief commands of the supervisor's vocabulary: plain data, the same from the CLI, the cockpit and MCP. */
import type { Brief, BriefStatus } from './brief.js';
import type { TraceEntry } from '../store/trace.js';

export type BriefOp =
  | { op: 'add'; title: string; spec?: string; lane?: string; ephemeral?: string | true; served?: boolean; profile?: string; auto?: boolean }
  | { op: 'list'; status?: BriefStatus | 'unclaimed' }
  | { op: 'show'; id: number }
  | { op: 'edit'; id: number; title?: string; spec?: string }
  | { op: 'note'; id: number; text: string }
  | { op: 'close'; id: number; reason?: string }
  | { op: 'block'; id: number; reason: string }
  /** It could not be done (the agent gave up, the approach is wrong): `id` defaults to the caller's current brief. */
  | { op: 'fail'; id?: number; reason: string }
  | { op: 'dispatch'; id: number; lane?: string; agent?: string; ephemeral?: string | true; served?: boolean; profile?: string }
  /** `agent`: who claims (the caller's FLOWER_AGENT, or the operator on an agent's behalf). */
  | { op: 'claim'; id?: number; agent?: string }
  | { op: 'done'; id?: number; summary?: string }
  /** The packet the agent received (or would receive). */
  | { op: 'packet'; id?: number }
  /**
   * A merge of this host's `lane` ended in MAIN on another machine (issue 19: MAIN's server tells
   * the lane's host): the lane's briefs get what a merge here gives them (a link; merged on success).
   */
  | { op: 'landed'; lane: string; outcome: string; sha: string | null; message: string };

/**
 * Every brief command carries who asks: an agent id when run by an agent (FLOWER_AGENT), else the
 * operator. The server takes it as given: everything runs as the same user, and the record is for
 * provenance, not access control.
 */
export type BriefCommand = {
  type: 'brief';
  by?: string;
  /** A cockpit over several hosts: the host whose server holds the brief (client/host-names.ts); none for this one. */
  host?: string;
} & BriefOp;

export interface BriefView extends Brief {
  /** Dispatched and not claimed within `briefs.claimTimeoutMs`. */
  unclaimed: boolean;
  /** In a cockpit over several hosts: the host whose server holds it (none: this machine's). */
  host?: string;
}

export interface BriefDetail {
  brief: BriefView;
  /** This brief's entries of the one append-only trace, oldest first. */
  trace: TraceEntry[];
}

export type BriefResult = { brief: BriefView } | { briefs: BriefView[] } | BriefDetail | { packet: string; brief: BriefView };

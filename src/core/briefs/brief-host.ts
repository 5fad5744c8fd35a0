import type { FlowerConfig } from '../../config/config.js';
import { readTrace, type TraceActor, type TraceEntry } from '../store/trace.js';
import type { AgentInfo, WorktreeInfo } from '../types.js';
import { FLOWER, OPERATOR } from './brief.js';
import { BriefDesk } from './brief-desk.js';
import { BriefStore } from './brief-store.js';

/** What the supervisor hands the briefs: plain callbacks, so briefs never see the supervisor. */
export interface BriefWiring {
  /** The flower state dir (briefs.json lives there); null keeps briefs in memory (tests without state). */
  dir: string | null;
  traceDir: string | null;
  record(e: Omit<TraceEntry, 'ts'>): void;
  notify(text: string): void;
  agents(): AgentInfo[];
  worktrees(): WorktreeInfo[];
  laneKind(name: string): 'standing' | 'ephemeral';
  config(): FlowerConfig;
  send(agent: string, text: string, actor: TraceActor): Promise<void>;
  addLane(name: string, opts: { served: boolean; profile: string }, actor: TraceActor): Promise<{ worktree: string; agents: string[] }>;
  changed(): void;
}

const actorOf = (by: string): TraceActor => (by === OPERATOR ? 'operator' : by === FLOWER ? 'policy' : 'cli');

/**
 * An agent is free for an automatic brief when it is between turns: its activity says it waits for
 * the next prompt. "needs you" (a permission prompt) and "working" never count.
 */
export function agentIsIdle(a: AgentInfo): boolean {
  const hook = (a as AgentInfo & { status?: { state?: string } }).status?.state;
  if (hook) return hook === 'idle';
  return a.activity === 'waiting' || a.activity === 'idle';
}

export function openBriefDesk(w: BriefWiring): BriefDesk {
  let store: BriefStore;
  if (w.dir) {
    const opened = BriefStore.open(w.dir);
    store = opened.store;
    if (opened.movedAside) w.notify(`briefs file was unreadable (${opened.reason}); moved aside to ${opened.movedAside}`);
  } else store = BriefStore.memory();
  return new BriefDesk(store, {
    record: w.record,
    agents: w.agents,
    worktrees: w.worktrees,
    laneKind: w.laneKind,
    mainBranch: () => w.worktrees().find((x) => x.isMain)?.branch ?? null,
    profileExists: (name) => Object.prototype.hasOwnProperty.call(w.config().profiles, name),
    defaultProfile: () => w.config().lanes.agents[0] ?? null,
    send: (agent, text, by) => w.send(agent, text, actorOf(by)),
    addLane: (name, opts, by) => w.addLane(name, opts, actorOf(by)),
    isIdle: agentIsIdle,
    readTrace: (target) => (w.traceDir ? readTrace(w.traceDir, { agent: target }) : []),
    claimTimeoutMs: () => w.config().briefs.claimTimeoutMs,
    changed: w.changed,
  });
}

import { FlowerError } from '../../shared/errors.js';

/**
 * The merge queue as data: which lanes wait to land in MAIN, in what order, what the head is doing,
 * and the lanes recently taken out (with why). Pure: every change is a function from the old state
 * to the new one, so the ordering rules are unit-tested and the state is persisted as it is (a
 * server restart reads back exactly this).
 */

/** What the head of the queue is doing; the others are "queued". */
export type QueueStep = 'queued' | 'waiting' | 'update' | 'gate' | 'merge' | 'health' | 'rollback';

export interface QueueEntry {
  lane: string;
  /** Who marked it ready (operator, cli, agent, brief). */
  by: string;
  /** When it entered the queue (ISO). */
  at: string;
  step: QueueStep;
  /** When the current step began (ISO); null while queued. */
  stepAt: string | null;
  /** What the step waits on or did last ("rq/claude working", "rebased onto 1a2b3c4"). */
  detail: string | null;
  /** MAIN's HEAD when this lane's run began: what a restart checks MAIN against. */
  mainAt: string | null;
  /** The lane's commit after its update: the one the gate runs on and the merge takes. */
  tested: string | null;
}

/** Why a lane left the queue without landing. */
export type QueueExit = 'needs-update' | 'gate-failed' | 'health-failed' | 'conflict' | 'refused' | 'removed';

export interface QueueOut {
  lane: string;
  outcome: QueueExit | 'merged';
  reason: string;
  at: string;
}

export interface QueueState {
  entries: QueueEntry[];
  paused: boolean;
  /** Why it paused by itself (MAIN dirty, a restart it could not resume), null when the operator paused it. */
  pausedReason: string | null;
  /** Newest last, at most OUT_KEPT: what happened to lanes that left the queue. */
  out: QueueOut[];
}

const OUT_KEPT = 20;
const STEPS: ReadonlySet<string> = new Set<QueueStep>(['queued', 'waiting', 'update', 'gate', 'merge', 'health', 'rollback']);

export function emptyQueue(): QueueState {
  return { entries: [], paused: false, pausedReason: null, out: [] };
}

/** The head is running (anything past "queued"): it cannot be moved, and nothing goes before it. */
export function headActive(q: QueueState): boolean {
  return q.entries.length > 0 && q.entries[0]!.step !== 'queued';
}

export function position(q: QueueState, lane: string): number {
  return q.entries.findIndex((e) => e.lane === lane);
}

export function enqueue(q: QueueState, lane: string, by: string, now: Date): { queue: QueueState; position: number } {
  const at = position(q, lane);
  if (at !== -1) throw new FlowerError('bad-usage', `${lane} is already in the queue (position ${at + 1})`);
  const entry: QueueEntry = { lane, by, at: now.toISOString(), step: 'queued', stepAt: null, detail: null, mainAt: null, tested: null };
  // Marked ready again after being taken out: the old exit is no longer what it is waiting on.
  return { queue: { ...q, entries: [...q.entries, entry], out: q.out.filter((o) => o.lane !== lane) }, position: q.entries.length };
}

/** `queue rm`: the operator takes a lane out. The running head cannot be taken out mid-merge. */
export function remove(q: QueueState, lane: string): QueueState {
  const at = position(q, lane);
  if (at === -1) throw new FlowerError('bad-usage', `${lane} is not in the queue`);
  if (at === 0 && headActive(q) && !['waiting', 'update'].includes(q.entries[0]!.step)) {
    throw new FlowerError('bad-usage', `${lane} is being merged (${q.entries[0]!.step}): wait for it, or cancel the merge (Esc in the merge view)`);
  }
  return { ...q, entries: q.entries.filter((e) => e.lane !== lane) };
}

/**
 * Move a lane to position `to` (1-based, clamped). A running head stays first: nothing jumps ahead
 * of a merge in progress, and it cannot be moved back either.
 */
export function move(q: QueueState, lane: string, to: number): QueueState {
  const at = position(q, lane);
  if (at === -1) throw new FlowerError('bad-usage', `${lane} is not in the queue`);
  if (!Number.isInteger(to)) throw new FlowerError('bad-usage', `--to takes a position (1 is the head), not "${to}"`);
  const first = headActive(q) ? 1 : 0;
  if (at < first) throw new FlowerError('bad-usage', `${lane} is already running (${q.entries[0]!.step}): it cannot be moved`);
  const target = Math.max(first, Math.min(q.entries.length - 1, to - 1));
  const entries = q.entries.filter((e) => e.lane !== lane);
  entries.splice(target, 0, q.entries[at]!);
  return { ...q, entries };
}

/** One place up (-1) or down (+1); at either end nothing changes. */
export function nudge(q: QueueState, lane: string, by: -1 | 1): QueueState {
  const at = position(q, lane);
  if (at === -1) throw new FlowerError('bad-usage', `${lane} is not in the queue`);
  return move(q, lane, at + 1 + by);
}

export function pause(q: QueueState, reason: string | null = null): QueueState {
  return { ...q, paused: true, pausedReason: reason };
}

export function resume(q: QueueState): QueueState {
  return { ...q, paused: false, pausedReason: null };
}

/** The head's step changes (and what it waits on or did). */
export function setStep(q: QueueState, lane: string, step: QueueStep, now: Date, extra: Partial<Pick<QueueEntry, 'detail' | 'mainAt' | 'tested'>> = {}): QueueState {
  return {
    ...q,
    entries: q.entries.map((e) => (e.lane === lane ? { ...e, ...extra, step, stepAt: step === e.step && e.stepAt ? e.stepAt : step === 'queued' ? null : now.toISOString(), detail: extra.detail !== undefined ? extra.detail : step === e.step ? e.detail : null } : e)),
  };
}

/** A lane leaves the queue: landed, or out with the reason. */
export function finish(q: QueueState, lane: string, outcome: QueueOut['outcome'], reason: string, now: Date): QueueState {
  return { ...q, entries: q.entries.filter((e) => e.lane !== lane), out: [...q.out.filter((o) => o.lane !== lane), { lane, outcome, reason, at: now.toISOString() }].slice(-OUT_KEPT) };
}

/** The lane to run next, or null (empty, paused, or already running). */
export function nextToRun(q: QueueState): QueueEntry | null {
  if (q.paused || q.entries.length === 0) return null;
  return q.entries[0]!;
}

/** A lane's name changed hands (it was removed): drop it from the queue and the out list. */
export function forgetLane(q: QueueState, lane: string): QueueState {
  return { ...q, entries: q.entries.filter((e) => e.lane !== lane), out: q.out.filter((o) => o.lane !== lane) };
}

/** "0:42", "12:05", "1:02:03": elapsed time for the monitor line. */
export function elapsed(fromIso: string | null, now: number): string {
  if (!fromIso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** What the monitor shows of a step: "gate 0:42", "waiting for idle 0:03". */
export function stepLabel(e: QueueEntry, now: number): string {
  const word = e.step === 'waiting' ? 'waiting for idle' : e.step;
  return e.step === 'queued' ? '' : `${word} ${elapsed(e.stepAt, now)}`;
}

/** MAIN's monitor line: `queue: design (gate 0:42) · ccparse · hotfix`, "(paused)" when paused. */
export function queueLine(q: QueueState, now: number): string | null {
  if (!q.entries.length && !q.paused) return null;
  const parts = q.entries.map((e) => {
    const s = stepLabel(e, now);
    return s ? `${e.lane} (${s})` : e.lane;
  });
  const paused = q.paused ? ` (paused${q.pausedReason ? `: ${q.pausedReason}` : ''})` : '';
  return `queue${paused}: ${parts.length ? parts.join(' · ') : 'empty'}`;
}

/** Accept what the state file holds, dropping what is not a queue entry; never throws. */
export function normaliseQueue(raw: unknown): QueueState {
  if (!raw || typeof raw !== 'object') return emptyQueue();
  const r = raw as Partial<QueueState>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const seen = new Set<string>();
  const entries: QueueEntry[] = [];
  for (const e of Array.isArray(r.entries) ? r.entries : []) {
    if (!e || typeof e.lane !== 'string' || seen.has(e.lane)) continue;
    seen.add(e.lane);
    entries.push({
      lane: e.lane,
      by: str(e.by) ?? 'unknown',
      at: str(e.at) ?? new Date(0).toISOString(),
      step: STEPS.has(e.step) ? e.step : 'queued',
      stepAt: str(e.stepAt),
      detail: str(e.detail),
      mainAt: str(e.mainAt),
      tested: str(e.tested),
    });
  }
  const out = (Array.isArray(r.out) ? r.out : []).filter((o): o is QueueOut => !!o && typeof o.lane === 'string' && typeof o.outcome === 'string' && typeof o.reason === 'string').slice(-OUT_KEPT);
  return { entries, paused: r.paused === true, pausedReason: str(r.pausedReason), out };
}

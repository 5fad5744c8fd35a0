/**
 * What an agent is doing, with why, since when and who said so. Pure.
 *
 * The agents' own hooks (Claude Code, Codex, `flower-tui report`) are the evidence that counts: once
 * an agent process has reported through a hook, screen and transcript guesses no longer change its
 * state (other tools let a stale screen guess overwrite a fresh hook report — the classic "idle while
 * busy"). The process itself (spawned, exited, killed, failed) always has the last word.
 */

export type StatusState = 'starting' | 'running' | 'working' | 'needs-you' | 'idle' | 'compacting' | 'exited' | 'killed' | 'failed';

/** hook: the agent said so; transcript/screen: inferred (fallback); process: spawn and exit. */
export type StatusSource = 'hook' | 'transcript' | 'screen' | 'process';

export interface AgentStatus {
  state: StatusState;
  /** working: the current tool; needs-you: what it asks; idle: the last message's first line; exited: the code. */
  reason: string | null;
  /** When this state was entered (ISO). */
  since: string;
  source: StatusSource;
  /** When the current process last reported through a hook (ms; null: never — fallbacks apply). */
  hookAt: number | null;
}

export interface StatusObservation {
  state: StatusState;
  reason?: string | null;
  source: StatusSource;
  /** In the same state, keep the reason already known (a vaguer repeat, e.g. a late notification). */
  keepReason?: boolean;
  /**
   * The screen shows a dialog no hook reported (see screen-dialog.ts), or that dialog closed. It is
   * the one screen observation that counts after hooks have spoken: the monitor sends it only for a
   * dialog that appeared after the agent's last hook report.
   */
  dialog?: 'shown' | 'closed';
}

export const TERMINAL_STATES: ReadonlySet<StatusState> = new Set(['exited', 'killed', 'failed']);

export function initialStatus(now = Date.now()): AgentStatus {
  return { state: 'starting', reason: null, since: new Date(now).toISOString(), source: 'process', hookAt: null };
}

/**
 * The status after an observation, or null when it changes nothing (ignored, or the same state and
 * reason). A reason change within the same state keeps `since` (working on another tool is still the
 * same turn).
 */
export function applyObservation(cur: AgentStatus, obs: StatusObservation, now = Date.now()): AgentStatus | null {
  const reason = obs.keepReason && obs.state === cur.state ? cur.reason : obs.reason ? oneLine(obs.reason) : null;
  if (obs.source === 'process') {
    // A new process (spawn, respawn) starts over: its hooks have not spoken yet.
    const hookAt = obs.state === 'starting' ? null : cur.hookAt;
    if (obs.state === cur.state && reason === cur.reason && hookAt === cur.hookAt) return null;
    return { state: obs.state, reason, since: obs.state === cur.state ? cur.since : iso(now), source: 'process', hookAt };
  }
  // Nothing a dead process's hooks or screen say brings it back to life.
  if (TERMINAL_STATES.has(cur.state)) return null;
  if (obs.source === 'hook') {
    if (obs.state === cur.state && reason === cur.reason && cur.source === 'hook') return { ...cur, hookAt: now };
    return { state: obs.state, reason, since: obs.state === cur.state ? cur.since : iso(now), source: 'hook', hookAt: now };
  }
  if (obs.dialog === 'shown') {
    // Already waiting for the operator: a hook's reason (the tool and its argument) says more.
    if (cur.state === 'needs-you') return null;
    return { state: 'needs-you', reason, since: iso(now), source: obs.source, hookAt: cur.hookAt };
  }
  if (obs.dialog === 'closed') {
    // Only what the dialog itself caused is undone: the turn goes on until a hook says otherwise.
    if (cur.state !== 'needs-you' || cur.source === 'hook') return null;
    return { state: 'working', reason: null, since: iso(now), source: obs.source, hookAt: cur.hookAt };
  }
  // A fallback guess: only for agents whose hooks have not reported (none configured, or not yet).
  if (cur.hookAt !== null) return null;
  if (obs.state === cur.state && reason === cur.reason && obs.source === cur.source) return null;
  return { state: obs.state, reason, since: obs.state === cur.state ? cur.since : iso(now), source: obs.source, hookAt: null };
}

/** The word a header or `status` shows ("exited 1", "needs-you"). */
export function statusLabel(s: Pick<AgentStatus, 'state' | 'reason'>): string {
  if (s.state === 'exited' && s.reason) return `exited ${s.reason}`;
  if (s.state === 'failed' && s.reason) return `failed: ${s.reason}`;
  return s.state;
}

/** Busy means a refresh (or anything that restarts the agent) would lose work or a pending question. */
export function statusIsBusy(s: StatusState): boolean {
  return s === 'working' || s === 'needs-you' || s === 'compacting' || s === 'starting';
}

/** `wait --for` targets: "exited" covers every way a process ends. */
export type WaitTarget = 'idle' | 'needs-you' | 'exited' | 'working';

export function statusMatches(s: StatusState, target: WaitTarget): boolean {
  return target === 'exited' ? TERMINAL_STATES.has(s) : s === target;
}

function oneLine(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  // Control characters would reach terminals (headers, notifications): drop them.
  const clean = first.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

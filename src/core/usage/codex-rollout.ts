/**
 * Reading a Codex CLI rollout (`sessions/YYYY/MM/DD/rollout-…-<uuid>.jsonl`). Pure. Current context is
 * the latest `token_count` event's `info.last_token_usage.total_tokens`; the window is its
 * `info.model_context_window`. `total_token_usage` is cumulative billing: never the context.
 */
export interface CodexUsage {
  tokens: number | null;
  window: number | null;
  sessionId: string | null;
  cwd: string | null;
  /** "cli" for the interactive TUI; helper sessions say otherwise and are skipped. */
  source: string | null;
  compacted: boolean;
  turn: 'working' | 'waiting' | 'unknown';
}

interface RolloutLine {
  type?: string;
  payload?: {
    type?: string;
    id?: string;
    cwd?: string;
    source?: unknown;
    info?: { last_token_usage?: { total_tokens?: number }; model_context_window?: number } | null;
  };
}

export class CodexRolloutReader {
  private state: CodexUsage = { tokens: null, window: null, sessionId: null, cwd: null, source: null, compacted: false, turn: 'unknown' };

  usage(): CodexUsage {
    return this.state;
  }

  feed(text: string): boolean {
    let line: RolloutLine;
    try {
      line = JSON.parse(text) as RolloutLine;
    } catch {
      return false;
    }
    const p = line?.payload;
    if (!p) return false;
    const before = JSON.stringify(this.state);
    if (line.type === 'session_meta') {
      const source = typeof p.source === 'string' ? p.source : p.source && typeof p.source === 'object' ? Object.keys(p.source)[0] ?? 'other' : null;
      this.state = { ...this.state, sessionId: p.id ?? null, cwd: p.cwd ?? null, source };
    } else if (line.type === 'compacted') {
      this.state = { ...this.state, compacted: true };
    } else if (line.type === 'event_msg') {
      if (p.type === 'token_count' && p.info) {
        const t = p.info.last_token_usage?.total_tokens;
        this.state = { ...this.state, tokens: typeof t === 'number' ? t : this.state.tokens, window: p.info.model_context_window ?? this.state.window, compacted: false };
      } else if (p.type === 'task_started' || p.type === 'user_message') this.state = { ...this.state, turn: 'working' };
      else if (p.type === 'task_complete' || p.type === 'agent_message') this.state = { ...this.state, turn: p.type === 'task_complete' ? 'waiting' : this.state.turn };
    }
    return JSON.stringify(this.state) !== before;
  }
}

/** First-line check of a candidate rollout: is it this agent's (same cwd, interactive, started after it)? */
export function isOurRollout(firstLine: string, cwd: string): boolean {
  const r = new CodexRolloutReader();
  r.feed(firstLine);
  const u = r.usage();
  return u.cwd === cwd && (u.source === 'cli' || u.source === null);
}

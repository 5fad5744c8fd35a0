/**
 * Reading Claude Code's transcript (`projects/<slug>/<sessionId>.jsonl`) for the current context size.
 * Pure: feed lines in order, read `usage()`. Rules (reference/agent-usage.md): the latest main-chain
 * assistant line counts (sidechains, API-error and synthetic lines do not); one API response spans
 * several lines sharing `message.id`; a compaction boundary makes the old figure stale.
 */
export interface ClaudeUsage {
  /** input + cache creation + cache read of the latest main-chain response, or null when unknown. */
  tokens: number | null;
  /** True after a compaction until the next response (tokens then is postTokens, or null). */
  compacted: boolean;
  /** The last model seen (for the window heuristic of >200k ⇒ 1M). */
  model: string | null;
  /** Turn state from the transcript: a prompt was sent and no final answer yet. */
  turn: 'working' | 'waiting' | 'unknown';
  lastTimestamp: string | null;
}

interface Usage {
  input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  output_tokens?: number;
}

interface Line {
  type?: string;
  subtype?: string;
  isSidechain?: boolean;
  isApiErrorMessage?: boolean;
  isCompactSummary?: boolean;
  isMeta?: boolean;
  timestamp?: string;
  compactMetadata?: { preTokens?: number; postTokens?: number };
  message?: { id?: string; model?: string; role?: string; usage?: Usage; stop_reason?: string | null; content?: unknown };
}

export class ClaudeTranscriptReader {
  private state: ClaudeUsage = { tokens: null, compacted: false, model: null, turn: 'unknown', lastTimestamp: null };

  usage(): ClaudeUsage {
    return this.state;
  }

  /** Returns true when the usage figure or turn state changed. */
  feed(text: string): boolean {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return false; // a torn or foreign line: skipped
    }
    if (!line || typeof line !== 'object') return false;
    const before = JSON.stringify(this.state);
    if (line.isSidechain === true) return false;
    if (line.type === 'system' && line.subtype === 'compact_boundary') {
      const post = line.compactMetadata?.postTokens;
      this.state = { ...this.state, tokens: typeof post === 'number' ? post : null, compacted: true, lastTimestamp: line.timestamp ?? this.state.lastTimestamp };
    } else if (line.type === 'assistant' && line.message) {
      const m = line.message;
      const synthetic = m.model === '<synthetic>' || line.isApiErrorMessage === true;
      if (!synthetic && m.usage) {
        const u = m.usage;
        const tokens = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
        // Several lines per response share message.id with the same input-side figures: the latest wins.
        const done = m.stop_reason === 'end_turn' || m.stop_reason === 'stop_sequence' || m.stop_reason === 'max_tokens';
        const toolUse = m.stop_reason === 'tool_use' || hasToolUse(m.content);
        this.state = {
          tokens,
          compacted: false,
          model: m.model ?? this.state.model,
          turn: done && !toolUse ? 'waiting' : 'working',
          lastTimestamp: line.timestamp ?? this.state.lastTimestamp,
        };
      }
    } else if (line.type === 'user' && !line.isMeta && !line.isCompactSummary) {
      // A prompt (or a tool result) went to the model: a turn is under way.
      this.state = { ...this.state, turn: 'working', lastTimestamp: line.timestamp ?? this.state.lastTimestamp };
    }
    return JSON.stringify(this.state) !== before;
  }
}

function hasToolUse(content: unknown): boolean {
  return Array.isArray(content) && content.some((c) => c && typeof c === 'object' && (c as { type?: string }).type === 'tool_use');
}

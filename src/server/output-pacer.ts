/**
 * Per client: whether an agent's output travels as raw bytes or as screen frames.
 *
 * Raw bytes are exact and immediate: an echo or a spinner reaches the client's mirror within the
 * same millisecond. But a flood (`cat` of a big file, a build log) would make every client parse
 * every byte the server has already parsed, at the cost of a core. So when an agent's output rate
 * passes `floodBytes` per `windowMs`, that client gets the agent's current screen (no scrollback:
 * mirrors have none) at most every `frameMs` instead; once the rate falls below `resumeBytes` per
 * frame, one last frame brings the mirror level and raw bytes resume. What is on screen is the same
 * either way; a mirror simply skips the intermediate states nobody could have seen.
 *
 * An attached agent is pinned to raw bytes: they are passed through to the real terminal.
 */
export interface PacerOptions {
  windowMs: number;
  floodBytes: number;
  frameMs: number;
  resumeBytes: number;
}

export const DEFAULT_PACER: PacerOptions = { windowMs: 100, floodBytes: 256 * 1024, frameMs: 33, resumeBytes: 8 * 1024 };

interface AgentPace {
  frames: boolean;
  pinned: boolean;
  windowStart: number;
  windowBytes: number;
  /** Output since the last frame went out (frames mode). */
  dirty: boolean;
  bytesThisFrame: number;
}

export class OutputPacer {
  private readonly agents = new Map<string, AgentPace>();

  constructor(readonly opts: PacerOptions = DEFAULT_PACER) {}

  private state(agent: string): AgentPace {
    let s = this.agents.get(agent);
    if (!s) {
      s = { frames: false, pinned: false, windowStart: 0, windowBytes: 0, dirty: false, bytesThisFrame: 0 };
      this.agents.set(agent, s);
    }
    return s;
  }

  /** `bytes` of output from `agent` at `now` (ms): 'raw' = send them; 'frame' = a coming frame shows them. */
  output(agent: string, bytes: number, now: number): 'raw' | 'frame' {
    const s = this.state(agent);
    if (s.frames) {
      s.dirty = true;
      s.bytesThisFrame += bytes;
      return 'frame';
    }
    if (now - s.windowStart >= this.opts.windowMs) {
      s.windowStart = now;
      s.windowBytes = 0;
    }
    s.windowBytes += bytes;
    if (s.pinned || s.windowBytes <= this.opts.floodBytes) return 'raw';
    s.frames = true;
    s.dirty = true;
    s.bytesThisFrame = bytes;
    return 'frame';
  }

  /** Whether any agent is in frames mode (the caller then calls tick() every frameMs). */
  get active(): boolean {
    for (const s of this.agents.values()) if (s.frames) return true;
    return false;
  }

  /**
   * A frame time: the agents whose screen must be sent now. An agent that has calmed down leaves
   * frames mode here, after this frame (which already shows everything it printed).
   */
  tick(): string[] {
    const send: string[] = [];
    for (const [agent, s] of this.agents) {
      if (!s.frames) continue;
      if (s.dirty) send.push(agent);
      if (s.bytesThisFrame < this.opts.resumeBytes) {
        s.frames = false;
        s.windowBytes = 0;
      }
      s.dirty = false;
      s.bytesThisFrame = 0;
    }
    return send;
  }

  /**
   * Attach (pin) or detach. Returns true when a frame must be sent at once: the agent was in
   * frames mode, and the raw bytes that follow must start from a mirror that is level.
   */
  pin(agent: string, on: boolean): boolean {
    const s = this.state(agent);
    s.pinned = on;
    if (!on || !s.frames) return false;
    const owed = s.dirty;
    s.frames = false;
    s.dirty = false;
    s.bytesThisFrame = 0;
    s.windowBytes = 0;
    return owed;
  }

  isPinned(agent: string): boolean {
    return this.agents.get(agent)?.pinned ?? false;
  }

  forget(agent: string): void {
    this.agents.delete(agent);
  }

  /** Drop the state of agents that no longer exist (removed, or a lane's setup agent replaced). */
  retain(ids: ReadonlySet<string>): void {
    for (const agent of this.agents.keys()) if (!ids.has(agent)) this.agents.delete(agent);
  }

  /** After a full resync every mirror is level: start over in raw mode. */
  reset(): void {
    for (const s of this.agents.values()) {
      s.frames = false;
      s.dirty = false;
      s.bytesThisFrame = 0;
      s.windowBytes = 0;
    }
  }
}

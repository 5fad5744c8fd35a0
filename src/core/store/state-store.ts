import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LowSync } from 'lowdb';
import { AtomicJsonFile, moveAside } from './atomic-json-file.js';
import { redactDeep } from './redact.js';
import { normaliseQueue, type QueueState } from '../merge/merge-queue.js';

/** An agent as remembered across restarts. */
export interface AgentRecord {
  id: string;
  name: string;
  worktree: string;
  profile: string;
  /** Extra args beyond the profile's own. */
  args: string[];
  cwd: string;
  /** A conversation id the profile knows how to resume (Claude Code's --session-id, Codex's rollout id). */
  sessionId: string | null;
  createdAt: string;
  refreshCount: number;
  /** Was it running when last seen? Restore brings back exactly these. */
  running: boolean;
}

export interface WorktreeRecord {
  lane: 'standing' | 'ephemeral';
  path: string;
  branch: string | null;
  kind?: 'served' | 'code-only' | null;
  /** The port allocated to a served lane: unique across lanes, kept until the lane is removed. */
  port?: number | null;
  /** Profiles to start once setup succeeds, and the prompt file for the first (a retried setup needs them). */
  agents?: string[];
  /** The agents came from `worktrees.<name>.agents`: a retry takes their names and args from the config. */
  agentsFromConfig?: boolean;
  promptFile?: string | null;
}

export interface FlowerState {
  version: 1;
  worktrees: Record<string, WorktreeRecord>;
  agents: AgentRecord[];
  ui: { focusLane: string | null; focusAgent: string | null };
  /** The merge queue, with the head's step: a restart resumes (or stops cleanly) from here. */
  queue?: QueueState;
}

export const STATE_FILE = 'state.json';

export function emptyState(): FlowerState {
  return { version: 1, worktrees: {}, agents: [], ui: { focusLane: null, focusAgent: null } };
}

/** Accept what an older or hand-edited file holds, filling what is missing; reject what is not ours. */
function normalise(raw: unknown): FlowerState {
  if (!raw || typeof raw !== 'object' || (raw as { version?: unknown }).version !== 1) throw new Error('not a flower-tui state file (version 1)');
  const r = raw as Partial<FlowerState>;
  return {
    version: 1,
    worktrees: r.worktrees && typeof r.worktrees === 'object' ? r.worktrees : {},
    agents: Array.isArray(r.agents) ? r.agents.filter((a) => a && typeof a.id === 'string' && typeof a.profile === 'string') : [],
    ui: { focusLane: r.ui?.focusLane ?? null, focusAgent: r.ui?.focusAgent ?? null },
    queue: normaliseQueue(r.queue),
  };
}

export interface OpenedState {
  store: StateStore;
  /** Set when the file was corrupt: where it was moved to. */
  movedAside: string | null;
  reason: string | null;
}

/**
 * `<git common dir>/flower/state.json` through lowdb, written atomically (0600). Writes are
 * coalesced: a burst of changes is one write on the next tick. Secrets are redacted on the way out.
 */
export class StateStore {
  private readonly db: LowSync<FlowerState>;
  private pending = false;

  private constructor(
    readonly file: string,
    data: FlowerState,
    /** A failed background write (disk full, directory gone) is reported, never thrown into the event loop. */
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.db = new LowSync<FlowerState>(new AtomicJsonFile<FlowerState>(file), data);
    this.db.data = data;
  }

  /**
   * Open, never failing on a bad file: a corrupt or foreign state file is moved aside
   * (`state.json.corrupt-<timestamp>`) and an empty state is returned for the caller to rebuild.
   */
  static open(dir: string, now = new Date(), onError: (e: unknown) => void = () => {}): OpenedState {
    const file = path.join(dir, STATE_FILE);
    // A writer killed between writing its temp file and the rename leaves it behind: it holds nothing
    // the real file lacks (the rename never happened), so it goes.
    try {
      for (const f of readdirSync(dir)) if (f.startsWith(`.${STATE_FILE}.`) && f.endsWith('.tmp')) rmSync(path.join(dir, f), { force: true });
    } catch {
      /* directory unreadable: the open below reports what matters */
    }
    const adapter = new AtomicJsonFile<unknown>(file);
    try {
      const raw = adapter.read();
      return { store: new StateStore(file, raw === null ? emptyState() : normalise(raw), onError), movedAside: null, reason: null };
    } catch (e) {
      const { aside, reason } = moveAside(file, e, now);
      return { store: new StateStore(file, emptyState(), onError), movedAside: aside, reason };
    }
  }

  get data(): FlowerState {
    return this.db.data;
  }

  update(fn: (s: FlowerState) => void): void {
    fn(this.db.data);
    this.scheduleWrite();
  }

  private scheduleWrite(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      if (!this.pending) return; // flushed meanwhile
      try {
        this.flush();
      } catch (e) {
        this.onError(e);
      }
    });
  }

  /** Write now (also used at shutdown, when no later tick will come). */
  flush(): void {
    this.pending = false;
    const clean = redactDeep(this.db.data);
    const data = this.db.data;
    this.db.data = clean;
    try {
      this.db.write();
    } finally {
      this.db.data = data;
    }
  }
}

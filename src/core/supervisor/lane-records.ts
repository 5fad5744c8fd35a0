import type { StateStore, WorktreeRecord } from '../store/state-store.js';
import type { WorktreeInfo } from '../types.js';

/**
 * What flower-tui knows of each lane beyond git (kind, port, agents to start), kept in the state file —
 * or, without a state store (tests), for this process only.
 */
export class LaneRecords {
  private memory: Record<string, WorktreeRecord> = {};

  constructor(private readonly store: StateStore | null) {}

  all(): Record<string, WorktreeRecord> {
    return this.store?.data.worktrees ?? this.memory;
  }

  /** A lane's kind as merges, briefs and the queue ask for it (a lane state never saw is standing). */
  laneOf(name: string): 'standing' | 'ephemeral' {
    return this.all()[name]?.lane ?? 'standing';
  }

  remember(name: string, rec: WorktreeRecord): void {
    if (this.store) this.store.update((s) => (s.worktrees[name] = rec));
    else this.memory[name] = rec;
  }

  forget(name: string): void {
    if (this.store) this.store.update((s) => delete s.worktrees[name]);
    else delete this.memory[name];
  }

  /** Worktrees as git lists them, keeping what state already knew of each (lane kind, port). */
  sync(worktrees: WorktreeInfo[]): void {
    const known = this.all();
    const next: Record<string, WorktreeRecord> = {};
    for (const w of worktrees) {
      if (w.isMain || w.prunable) continue;
      next[w.name] = { ...(known[w.name] ?? { lane: 'standing' }), path: w.path, branch: w.branch };
    }
    if (this.store) this.store.update((s) => (s.worktrees = next));
    else this.memory = next;
  }
}

import type { Profile } from '../config/schema.js';
import type { AgentRecord } from './store/state-store.js';
import type { PendingRestore, WorktreeInfo } from './types.js';

/** What restoring each remembered, running agent would do. Pure. */
export function planRestore(records: AgentRecord[], worktrees: WorktreeInfo[], profiles: Record<string, Profile>): PendingRestore[] {
  return records
    .filter((r) => r.running)
    .map((r) => {
      const wt = worktrees.find((w) => w.name === r.worktree && !w.isMain && !w.prunable);
      const profile = profiles[r.profile];
      const how: PendingRestore['how'] = !wt || !profile ? 'missing' : r.sessionId && profile.session ? 'resume' : 'fresh';
      return { id: r.id, worktree: r.worktree, profile: r.profile, how };
    });
}

import type { Profile } from '../../config/schema.js';
import type { AgentRecord } from '../store/state-store.js';
import { redactArgs } from '../store/redact.js';
import type { PendingRestore, WorktreeInfo } from '../types.js';

/**
 * What restoring each remembered, running agent would do. Pure.
 *
 * The state file is data, not instructions: it is only trusted as far as it agrees with what the
 * server itself knows. An agent is restored only into one of the repository's own worktrees as git
 * lists them (never MAIN, never a directory elsewhere), only with a profile the config defines,
 * and only with the args it was started with (`realArgs`, kept by the server in a file of its own):
 * state.json's args, which are the redacted form of those, must match them.
 */
export function planRestore(
  records: AgentRecord[],
  worktrees: WorktreeInfo[],
  profiles: Record<string, Profile>,
  realArgs: (id: string) => string[] | undefined = () => undefined,
): PendingRestore[] {
  return records
    .filter((r) => r.running)
    .map((r) => {
      const base = { id: r.id, worktree: r.worktree, profile: r.profile };
      const refused = (reason: string): PendingRestore => ({ ...base, how: 'refused', reason });
      const named = worktrees.find((w) => w.name === r.worktree);
      if (named?.isMain) return refused('MAIN never hosts agents');
      const wt = named && !named.prunable ? named : undefined;
      const profile = Object.hasOwn(profiles, r.profile) ? profiles[r.profile] : undefined;
      if (!wt) return { ...base, how: 'missing', reason: `worktree ${r.worktree} no longer exists` };
      if (!profile) return { ...base, how: 'missing', reason: `profile ${r.profile} no longer exists` };
      // The cwd is never used (an agent always starts in its worktree as git lists it), but one that
      // is not that worktree means the record was not written by us.
      if (r.cwd && r.cwd !== wt.path) return refused(`its directory ${r.cwd} is not worktree ${r.worktree} (${wt.path})`);
      const args = Array.isArray(r.args) ? r.args : [];
      const real = realArgs(r.id);
      if (args.length > 0) {
        if (!real) return refused('its args are not among those this server started agents with');
        if (JSON.stringify(redactArgs(real)) !== JSON.stringify(args)) return refused('its args differ from those it was started with');
      }
      const how: PendingRestore['how'] = r.sessionId && profile.session ? 'resume' : 'fresh';
      return { ...base, how };
    });
}

import { gitStatus } from './merge-git.js';

/**
 * A rollback is `git reset --hard`: it would silently throw away whatever someone edited in MAIN
 * while the health check ran. Before it, those edits are saved as a commit of their own (what
 * `git stash` makes, without touching the working tree) under `refs/flower/rescued/<time>`, where
 * no gc removes them; after it, they are applied again when that applies cleanly.
 */
export interface Rescue {
  /** The ref holding the edits. */
  ref: string;
  sha: string;
  /** Tracked paths that had changes (`git status --porcelain` lines, without the status). */
  paths: string[];
}

/** An identity for the rescue commit: the server may run where no user.name is configured. */
const IDENTITY = ['-c', 'user.name=flower-tui', '-c', 'user.email=flower-tui@localhost'];

/** Save MAIN's uncommitted changes to tracked files; null when there are none. */
export async function rescueChanges(mainRoot: string, now = new Date()): Promise<Rescue | null> {
  const st = await gitStatus(mainRoot, ['status', '--porcelain', '--untracked-files=no']);
  const paths = st.stdout.split('\n').filter((l) => l.trim()).map((l) => l.slice(3));
  if (paths.length === 0) return null;
  const c = await gitStatus(mainRoot, [...IDENTITY, 'stash', 'create', `flower-tui: edits made in MAIN during the health check, ${now.toISOString()}`]);
  const sha = c.stdout.trim();
  if (c.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`could not save MAIN's uncommitted changes (${(c.stderr || c.stdout).trim() || 'git stash create failed'})`);
  const ref = `refs/flower/rescued/${now.toISOString().replace(/[:.]/g, '-')}`;
  const u = await gitStatus(mainRoot, ['update-ref', '-m', 'flower-tui: rescued before rollback', ref, sha]);
  if (u.code !== 0) throw new Error(`could not save MAIN's uncommitted changes (${u.stderr.trim()})`);
  return { ref, sha, paths };
}

/**
 * Apply rescued edits onto the rolled-back MAIN. If they do not apply cleanly, MAIN is put back to
 * `at` (clean) and the edits stay only in their ref: never half-applied with conflict markers.
 */
export async function reapplyRescue(mainRoot: string, rescue: Rescue, at: string): Promise<boolean> {
  const a = await gitStatus(mainRoot, [...IDENTITY, 'stash', 'apply', rescue.sha]);
  if (a.code === 0) return true;
  await gitStatus(mainRoot, ['reset', '--hard', at]);
  return false;
}

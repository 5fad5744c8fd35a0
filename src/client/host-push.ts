/**
 * Bringing this repository's commits to a host's clone, over the same ssh as the bridge: a lane made
 * on a host must start from MAIN's current commit here, which the clone there may not have yet.
 * The push goes into a flower-tui ref (refs/flower/…), never into a branch: the host's checked-out
 * branch, and whatever its own operator has there, are not touched. Only committed history travels
 * (no working-tree file, so no .env, ever leaves this host).
 */
import { execFile } from 'node:child_process';
import type { HostConfig } from '../config/hosts-schema.js';
import { FlowerError } from '../shared/errors.js';
import { gitComplaint, gitOverSsh } from '../core/hosts/ssh-command.js';

export { gitOverSsh };

/** The ref a lane's base is pushed to before the host makes the lane from it. */
export function laneBaseRef(lane: string): string {
  return `refs/flower/base/${lane}`;
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', ['-C', cwd, ...args], { env, timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, _out, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stderr: String(stderr) });
    });
  });
}

/**
 * Push commit `sha` of the repository at `localRepo` to `ref` in `name`'s clone. One-line
 * `host-unreachable` error when that fails. `ref` must be under refs/flower/.
 */
export async function pushToHost(name: string, host: HostConfig, localRepo: string, sha: string, ref: string, timeoutMs = 120_000): Promise<void> {
  if (!ref.startsWith('refs/flower/')) throw new Error(`pushToHost: ${ref} is not a flower-tui ref`);
  const { url, env } = gitOverSsh(host);
  // --force: the ref is ours and only ever names the next lane's base; --no-verify: the user's
  // pre-push hooks guard their own pushes to their remotes, not this hand-over.
  const r = await git(localRepo, ['push', '--quiet', '--force', '--no-verify', url, `${sha}:${ref}`], { ...process.env, ...env }, timeoutMs);
  if (r.code !== 0) throw new FlowerError('host-unreachable', `${name}: could not bring ${sha.slice(0, 7)} to ${host.repo} (${gitComplaint(r.stderr)})`);
}

/** Remove `ref` from `name`'s clone again, best effort (a leftover ref costs nothing but tidiness). */
export async function dropHostRef(host: HostConfig, localRepo: string, ref: string): Promise<void> {
  const { url, env } = gitOverSsh(host);
  await git(localRepo, ['push', '--quiet', '--no-verify', url, `:${ref}`], { ...process.env, ...env }, 30_000);
}

/**
 * Bring MAIN's current commit (or `base`, resolved here) to a flower-tui ref in `name`'s clone for
 * its server to make lane `lane` from; `drop` removes the ref once the lane has its own branch.
 */
export async function bringLaneBase(name: string, host: HostConfig, mainRoot: string, lane: string, base?: string): Promise<{ ref: string; drop: () => Promise<void> }> {
  const { resolveCommit } = await import('../core/git/lane-git.js');
  const sha = await resolveCommit(mainRoot, base ?? 'HEAD');
  const ref = laneBaseRef(lane);
  await pushToHost(name, host, mainRoot, sha, ref);
  return { ref, drop: () => dropHostRef(host, mainRoot, ref) };
}

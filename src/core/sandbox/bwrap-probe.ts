import { spawnSync } from 'node:child_process';
import { resolveCommand } from '../agents/command-path.js';

/** `userns`: a sandbox may have its own user namespace (what root's sandboxes need for nesting, root-identity.ts). */
export type BwrapStatus = { ok: true; path: string; userns: boolean } | { ok: false; reason: string; fix: string };

export const INSTALL_FIX = 'install bubblewrap (apt-get install bubblewrap, or dnf install bubblewrap)';
const USERNS_FIX =
  'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; in a container, run it with user namespaces allowed)';

const cache = new Map<string, BwrapStatus>();

/**
 * Whether bubblewrap is on PATH *and* can build the sandbox we use here (user namespaces may be
 * disabled, or a container may forbid them). Tried once per PATH: a few milliseconds, then cached,
 * so a spawn pays nothing for it.
 */
export function probeBwrap(envPath: string | undefined, opts: { fresh?: boolean } = {}): BwrapStatus {
  const key = envPath ?? '';
  const known = cache.get(key);
  if (known && !opts.fresh) return known;
  const status = tryBwrap(envPath);
  cache.set(key, status);
  return status;
}

function tryBwrap(envPath: string | undefined): BwrapStatus {
  const file = resolveCommand('bwrap', envPath, '/');
  if (!file) return { ok: false, reason: 'bubblewrap (bwrap) is not installed', fix: INSTALL_FIX };
  const run = (extra: string[]) =>
    spawnSync(file, ['--die-with-parent', '--unshare-pid', '--cap-drop', 'ALL', ...extra, '--dev-bind', '/', '/', '--proc', '/proc', '--', '/bin/sh', '-c', ':'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  const r = run([]);
  if (r.status === 0) return { ok: true, path: file, userns: run(['--unshare-user', '--uid', '1000', '--gid', '1000']).status === 0 };
  const why = (r.stderr ?? '').trim().split('\n')[0] || (r.error ? r.error.message : `exit ${r.status ?? r.signal}`);
  return { ok: false, reason: `bubblewrap cannot create a sandbox here (${why.replace(/^bwrap: /, '')})`, fix: USERNS_FIX };
}

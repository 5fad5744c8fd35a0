import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FlowerError } from '../../shared/errors.js';

/** Unix socket paths are limited to 108 bytes on Linux (104 on macOS): stay well under both. */
const MAX_SOCKET_PATH = 100;

/**
 * The directory for sockets: `$XDG_RUNTIME_DIR/flower-tui` (per-user, tmpfs, cleaned at logout), else
 * `/tmp/flower-tui-$UID`. Never inside the repository: a socket path there could exceed the limit.
 */
export function socketDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  if (env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR)) return path.join(env.XDG_RUNTIME_DIR, 'flower-tui');
  // Not os.tmpdir(): TMPDIR differs between shells (sudo, IDE terminals), and every client of a
  // repository must agree on where its server is. The server also records its socket in the state dir.
  return path.join('/tmp', `flower-tui-${uid}`);
}

/** One socket per repository, named after MAIN's directory (for humans) and a hash of the common dir. */
export function socketPathFor(commonDir: string, mainRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(commonDir).digest('hex').slice(0, 16);
  const label = path.basename(mainRoot).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 24);
  let p = path.join(socketDir(env), `${label}-${hash}.sock`);
  if (Buffer.byteLength(p) > MAX_SOCKET_PATH) p = path.join('/tmp', `ft-${process.getuid?.() ?? 0}`, `${hash}.sock`);
  return p;
}

/**
 * Create a directory only this user can enter (0700), or check an existing one: it must be a real
 * directory (not a symlink someone planted), owned by us, with no group/other permissions.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory()) throw new FlowerError('unsafe-path', `refusing to use ${dir}: not a directory`);
  if (uid !== undefined && st.uid !== uid) throw new FlowerError('unsafe-path', `refusing to use ${dir}: owned by uid ${st.uid}, not you`);
  if ((st.mode & 0o077) !== 0) {
    // Ours but too open (e.g. made by an older version or by hand): tighten rather than refuse.
    chmodSync(dir, 0o700);
  }
}

/** `<git common dir>/flower`: state, logs and locks shared by every worktree, never committed. */
export function stateDir(commonDir: string): string {
  return path.join(commonDir, 'flower');
}

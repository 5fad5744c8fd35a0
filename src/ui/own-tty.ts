import { fstatSync, readlinkSync } from 'node:fs';
import type { OwnTty } from '../core/backend/cockpit-backend.js';

/**
 * The cockpit's terminal as a server can open it (its device path and number), or null: stdout is
 * not this process's real terminal (tests, a pipe), or FLOWER_DIRECT_TTY=0 asks the cockpit to
 * write every attached byte itself (the bench's before/after, a terminal the server cannot open).
 */
export function ownTty(stdout: NodeJS.WriteStream): OwnTty | null {
  if (process.env.FLOWER_DIRECT_TTY === '0') return null;
  if (stdout !== process.stdout || !stdout.isTTY) return null;
  try {
    const path = readlinkSync('/proc/self/fd/1');
    return path.startsWith('/dev/') ? { path, rdev: fstatSync(1).rdev } : null;
  } catch {
    return null; // no /proc (not Linux): the cockpit writes on its own
  }
}

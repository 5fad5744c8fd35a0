/**
 * Who a sandboxed process is when flower-tui runs as root.
 *
 * As root, bubblewrap keeps the real uid 0 inside, and a bwrap started *inside* (Codex's Linux
 * sandbox, Claude Code's sandboxed Bash) then takes the privileged path — no user namespace — and
 * fails without capabilities ("Creating new namespace failed"). Giving the sandbox its own user
 * namespace in which root appears as an ordinary uid makes those nested sandboxes take the
 * unprivileged path, which works. Nothing changes outside: the uid inside maps to root, so files
 * are still created as root and root's files are still root's (they show as the new uid inside);
 * capabilities stay dropped either way.
 *
 * So that `whoami`, `os.userInfo()`, ssh's home lookup and git keep working, the sandbox gets a
 * copy of /etc/passwd and /etc/group with one more entry: root's name, home and shell at the new id.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SandboxIdentity {
  uid: number;
  gid: number;
  /** Files bound over /etc/passwd and /etc/group inside the sandbox. */
  passwdFile: string;
  groupFile: string;
}

/** Lowest id ≥ 1000 and < 60000 that neither file uses (uids from passwd, gids from both). */
export function pickFreeId(passwd: string, group: string): number {
  const used = new Set<number>();
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 4) used.add(Number(f[2])).add(Number(f[3]));
  }
  for (const line of group.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3) used.add(Number(f[2]));
  }
  for (let id = 1000; id < 60000; id++) if (!used.has(id)) return id;
  return 59999; // every id taken: a duplicate only confuses names, not permissions
}

/** passwd and group with root's entries repeated at `id` (root's name, home and shell kept). */
export function withRootAt(passwd: string, group: string, id: number): { passwd: string; group: string } {
  const rootLine = passwd.split('\n').find((l) => l.split(':')[2] === '0');
  const [name = 'root', , , , gecos = 'root', home = '/root', shell = '/bin/sh'] = (rootLine ?? '').split(':');
  const rootGroup = group.split('\n').find((l) => l.split(':')[2] === '0')?.split(':')[0] ?? 'root';
  const end = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  return {
    passwd: `${end(passwd)}${name}:x:${id}:${id}:${gecos}:${home}:${shell}\n`,
    group: `${end(group)}${rootGroup}:x:${id}:\n`,
  };
}

/** The identity for root's sandboxes, its files written under flower-tui's state dir; null when not root. */
export function rootSandboxIdentity(commonDir: string, uid = process.getuid?.() ?? -1): SandboxIdentity | null {
  if (uid !== 0) return null;
  // Once per repository and process (every spawn plans a sandbox); written again only if its files went.
  const known = made.get(commonDir);
  if (known && existsSync(known.passwdFile) && existsSync(known.groupFile)) return known;
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const passwd = read('/etc/passwd');
  const group = read('/etc/group');
  const id = pickFreeId(passwd, group);
  const files = withRootAt(passwd, group, id);
  const dir = path.join(commonDir, 'flower');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    if (read(f) !== text) {
      const tmp = `${f}.${process.pid}`;
      writeFileSync(tmp, text, { mode: 0o644 });
      renameSync(tmp, f);
    }
    return f;
  };
  const identity = { uid: id, gid: id, passwdFile: write('sandbox-passwd', files.passwd), groupFile: write('sandbox-group', files.group) };
  made.set(commonDir, identity);
  return identity;
}

const made = new Map<string, SandboxIdentity>();

import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isOurRollout } from './codex-rollout.js';

/** `$CLAUDE_CONFIG_DIR`, else `$HOME/.claude` — of the agent's environment, not ours. */
export function claudeConfigDir(env: Record<string, string | undefined>): string {
  return env.CLAUDE_CONFIG_DIR || path.join(env.HOME || os.homedir(), '.claude');
}

export function codexHome(env: Record<string, string | undefined>): string {
  return env.CODEX_HOME || path.join(env.HOME || os.homedir(), '.codex');
}

/** `projects/*\/<sessionId>.jsonl`: never compute the slug (it changed between versions), glob it. */
export function findClaudeTranscript(configDir: string, sessionId: string): string | null {
  const projects = path.join(configDir, 'projects');
  let dirs: string[];
  try {
    dirs = readdirSync(projects);
  } catch {
    return null;
  }
  for (const d of dirs) {
    const f = path.join(projects, d, `${sessionId}.jsonl`);
    try {
      if (statSync(f).isFile()) return f;
    } catch {
      /* not this project */
    }
  }
  return null;
}

function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    // session_meta carries the instructions: it can be long. Read up to its newline (at most 4 MiB).
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (let pos = 0; pos < 4 * 1024 * 1024; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      chunks.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
      if (nl !== -1) break;
      pos += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** YYYY/MM/DD in local time (Codex names its date folders in local time). */
export function dateFolder(d: Date): string {
  return `${d.getFullYear()}/${String(d.getMonth() + 1).padStart(2, '0')}/${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The newest rollout that is this agent's: in today's or yesterday's folder (a session started before
 * midnight), modified since the agent started (minus 2 s of clock slack), its session_meta naming
 * the agent's cwd and an interactive source; never one another agent already claimed.
 */
export function findCodexRollout(home: string, cwd: string, since: number, claimed: ReadonlySet<string>, now = new Date()): string | null {
  let real = cwd;
  try {
    real = realpathSync(cwd);
  } catch {
    /* the worktree may be gone */
  }
  const days = [now, new Date(now.getTime() - 86_400_000)];
  const candidates: { file: string; mtime: number }[] = [];
  for (const day of days) {
    const dir = path.join(home, 'sessions', dateFolder(day));
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (!n.startsWith('rollout-') || !n.endsWith('.jsonl')) continue;
      const file = path.join(dir, n);
      if (claimed.has(file)) continue;
      try {
        const st = statSync(file);
        if (st.mtimeMs >= since - 2000) candidates.push({ file, mtime: st.mtimeMs });
      } catch {
        /* vanished */
      }
    }
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  for (const c of candidates) {
    try {
      const first = firstLine(c.file);
      if (isOurRollout(first, real) || isOurRollout(first, cwd)) return c.file;
    } catch {
      /* unreadable: skip */
    }
  }
  return null;
}

/** A known session's rollout, wherever its date folder is: `codex resume <id>` appends to the original file. */
export function findCodexRolloutById(home: string, sessionId: string): string | null {
  const ls = (d: string): string[] => {
    try {
      return readdirSync(d);
    } catch {
      return [];
    }
  };
  const root = path.join(home, 'sessions');
  const suffix = `-${sessionId}.jsonl`;
  for (const y of ls(root))
    for (const m of ls(path.join(root, y)))
      for (const d of ls(path.join(root, y, m)))
        for (const n of ls(path.join(root, y, m, d))) if (n.startsWith('rollout-') && n.endsWith(suffix)) return path.join(root, y, m, d, n);
  return null;
}

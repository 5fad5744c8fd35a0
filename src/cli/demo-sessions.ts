import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PREFIX, type DemoRepo } from './demo-repo.js';

// The demo's scratch repositories in the temp dir: which one has a running server (so `demo`
// re-attaches to it instead of making another), and which are left over (`demo --clean`).

export interface DemoDir extends DemoRepo {
  /** The server's pid, when one runs for it. */
  serverPid: number | null;
  createdMs: number;
}

function serverPidOf(mainRoot: string): number | null {
  try {
    const j = JSON.parse(readFileSync(path.join(mainRoot, '.git', 'flower', 'server.json'), 'utf8')) as { pid?: unknown };
    const pid = typeof j.pid === 'number' ? j.pid : null;
    if (!pid) return null;
    // Alive, and still a flower-tui server (a pid is recycled after a crash).
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('server') && argv.includes('run') && !/^Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '') ? pid : null;
  } catch {
    return null;
  }
}

/** Every demo scratch repository of ours under `baseDir`, newest first. */
export function listDemos(baseDir = os.tmpdir()): DemoDir[] {
  const uid = process.getuid?.();
  const found: DemoDir[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(baseDir);
  } catch {
    return [];
  }
  for (const name of names) {
    if (!name.startsWith(DEMO_PREFIX)) continue;
    const dir = path.join(baseDir, name);
    const mainRoot = path.join(dir, 'shop');
    try {
      const st = statSync(dir);
      // Only what is plainly ours and plainly a demo (MAIN's .git is there).
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || !statSync(path.join(mainRoot, '.git')).isDirectory()) continue;
      found.push({ dir, mainRoot, configFile: path.join(dir, 'flower.config.json'), serverPid: serverPidOf(mainRoot), createdMs: st.mtimeMs });
    } catch {
      continue;
    }
  }
  return found.sort((a, b) => b.createdMs - a.createdMs);
}

/** The newest demo whose server runs (to re-attach to), or null. */
export function runningDemo(baseDir = os.tmpdir()): DemoDir | null {
  return listDemos(baseDir).find((d) => d.serverPid !== null) ?? null;
}

/** Remove every demo scratch repository whose server does not run; the running ones are kept. */
export function cleanDemos(baseDir = os.tmpdir()): { removed: string[]; kept: DemoDir[] } {
  const removed: string[] = [];
  const kept: DemoDir[] = [];
  for (const d of listDemos(baseDir)) {
    if (d.serverPid !== null) {
      kept.push(d);
      continue;
    }
    rmSync(d.dir, { recursive: true, force: true });
    removed.push(d.dir);
  }
  return { removed, kept };
}

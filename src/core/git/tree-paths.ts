import { spawn } from 'node:child_process';

/**
 * What the git watcher needs to know about a working tree's paths, asked of git itself. Both
 * commands are read-only (they never touch the index), so running them cannot wake the watcher.
 */

/** Run git in `cwd` with `args`, feeding `input`; resolves stdout whatever the exit status (the caller reads it). */
function run(cwd: string, args: string[], input?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-optional-locks', ...args], { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
    if (input !== undefined) {
      child.stdin?.on('error', () => {}); // git gone early (not a repo): the exit status says so
      child.stdin?.end(input);
    }
  });
}

/**
 * Every directory HEAD tracks (relative, "a", "a/b", …), shallowest first. An unborn HEAD has none.
 * `ls-tree -d` lists only trees: far less output than `ls-files` in a big repository.
 */
export async function trackedDirs(root: string): Promise<string[]> {
  const r = await run(root, ['ls-tree', '-r', '-d', '-z', '--name-only', 'HEAD']);
  if (r.code !== 0) return [];
  const dirs = r.out.split('\0').filter((d) => d !== '');
  return dirs.sort((a, b) => depth(a) - depth(b));
}

function depth(rel: string): number {
  let n = 0;
  for (const c of rel) if (c === '/') n++;
  return n;
}

/**
 * Which of `rels` (paths relative to `root`) git ignores. Tracked paths are never reported ignored,
 * so an edit to a tracked file always counts. On any failure nothing is assumed ignored.
 */
export async function ignoredPaths(root: string, rels: string[]): Promise<Set<string>> {
  if (rels.length === 0) return new Set();
  try {
    // Exit 1 means "none ignored": not an error here.
    const r = await run(root, ['check-ignore', '--stdin', '-z'], rels.join('\0') + '\0');
    if (r.code !== 0 && r.code !== 1) return new Set();
    return new Set(r.out.split('\0').filter((p) => p !== ''));
  } catch {
    return new Set();
  }
}

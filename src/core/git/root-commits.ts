import { execFileSync } from 'node:child_process';

/**
 * The root commits of a repository's HEAD: two clones of one project share them, however far apart
 * their branches are (an unborn HEAD has none). Read once per server; git's own answer, no parsing.
 */
export function rootCommits(dir: string): string[] {
  try {
    const out = execFileSync('git', ['-C', dir, 'rev-list', '--max-parents=0', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return out.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l)).sort();
  } catch {
    return [];
  }
}

/** Whether two sets of root commits are of one project (one shared root is enough: merged histories have several). */
export function sameProject(a: string[], b: string[]): boolean {
  return a.some((r) => b.includes(r));
}

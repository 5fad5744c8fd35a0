import { connectToServer } from '../client/server-process.js';
import { serverLocation } from '../protocol/server-location.js';
import { locateRepo } from '../core/git/repo.js';
import type { Snapshot } from '../core/types.js';

// Shell completion (`flower-tui completion` prints the bash or zsh script, yargs-made): besides
// commands and options, the running server's lane names and agent ids. Never starts a server; with
// none running (or outside a repository) only the commands and options are offered.

type Kind = 'agents' | 'lanes' | 'profiles';

/** What each command's positional takes, by position (1 = the first word after the command). */
const POSITIONALS: Record<string, Record<number, Kind>> = {
  send: { 1: 'agents' },
  kill: { 1: 'agents' },
  respawn: { 1: 'agents' },
  refresh: { 1: 'agents' },
  wait: { 1: 'agents' },
  spawn: { 1: 'lanes', 2: 'profiles' },
  merge: { 1: 'lanes' },
  ready: { 1: 'lanes' },
  update: { 1: 'lanes' },
};
const WORKTREE_LANE_SUBCOMMANDS = new Set(['rm', 'setup']);

/** The kind of name the word being completed is, from the words before it; null: none of ours. */
export function completionKind(positionals: readonly string[], current: string): Kind | null {
  if (current.startsWith('-')) return null;
  // The word being typed is the last positional when it is not empty.
  const pos = current === '' ? positionals.length : positionals.length - 1;
  const cmd = positionals[0];
  if (cmd === undefined || pos < 1) return null;
  if (cmd === 'worktree') return pos === 2 && WORKTREE_LANE_SUBCOMMANDS.has(positionals[1] ?? '') ? 'lanes' : null;
  return POSITIONALS[cmd]?.[pos] ?? null;
}

/**
 * The running server's names for the word being completed (`words`: yargs' positionals, the current
 * one included unless empty), or null when that word is not a lane, agent or profile.
 */
export async function liveCompletions(words: readonly string[], current: string, repo?: string): Promise<string[] | null> {
  const kind = completionKind(words, current);
  if (!kind) return null;
  try {
    const loc = serverLocation(await locateRepo(repo ?? process.cwd()));
    const c = await connectToServer(loc, 'cli');
    try {
      const { snapshot } = (await c.request({ type: 'status' })) as { snapshot: Snapshot };
      if (kind === 'agents') return snapshot.agents.map((a) => a.id);
      if (kind === 'profiles') return snapshot.profiles.map((p) => p.name);
      return snapshot.worktrees.filter((w) => !w.isMain).map((w) => w.name);
    } finally {
      c.close();
    }
  } catch {
    return [];
  }
}

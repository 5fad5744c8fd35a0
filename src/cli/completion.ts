import { connectToServer, serverLocation } from '../server/server-process.js';
import { locateRepo } from '../core/git/repo.js';
import type { Snapshot } from '../core/types.js';

// Shell completion (`flower-tui completion` prints the bash or zsh script, yargs-made): besides
// commands and options, the running server's lane names and agent ids. Never starts a server; with
// none running (or outside a repository) only the commands and options are offered.

const AGENT_COMMANDS = new Set(['send', 'kill', 'respawn', 'refresh']);
const LANE_COMMANDS = new Set(['spawn', 'merge', 'ready', 'update']);

export async function liveCompletions(words: readonly string[], repo?: string): Promise<string[]> {
  const cmd = words[0];
  const wantAgents = cmd !== undefined && AGENT_COMMANDS.has(cmd);
  const wantLanes = (cmd !== undefined && LANE_COMMANDS.has(cmd)) || (cmd === 'worktree' && ['rm', 'setup'].includes(words[1] ?? ''));
  if (!wantAgents && !wantLanes) return [];
  try {
    const loc = serverLocation(await locateRepo(repo ?? process.cwd()));
    const c = await connectToServer(loc, 'cli');
    try {
      const { snapshot } = (await c.request({ type: 'status' })) as { snapshot: Snapshot };
      return wantAgents ? snapshot.agents.map((a) => a.id) : snapshot.worktrees.filter((w) => !w.isMain).map((w) => w.name);
    } finally {
      c.close();
    }
  } catch {
    return [];
  }
}

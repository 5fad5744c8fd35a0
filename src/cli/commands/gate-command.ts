import { withClient, type RepoArgs } from './common.js';

/**
 * `flower-tui gate LANE [--expect SHA --run CMD]` (hidden): what MAIN's server on another machine
 * runs on this host over ssh to merge one of its lanes (issue 19, core/merge/remote-lane.ts). This
 * host's server reports on the lane and, at the expected commit, runs the gate in it; one JSON line
 * (with this clone's root commits, so MAIN can tell it is of the same project).
 */
export async function gateCommand(args: RepoArgs & { lane: string; expect?: string; run?: string; timeoutMs?: number }): Promise<void> {
  await withClient({ ...args, host: undefined }, true, async (c) => {
    const report = await c.request({ type: 'gateLane', worktree: args.lane, expect: args.expect, command: args.run, timeoutMs: args.timeoutMs });
    process.stdout.write(JSON.stringify({ ...report, roots: c.server.roots ?? null }) + '\n');
  });
}

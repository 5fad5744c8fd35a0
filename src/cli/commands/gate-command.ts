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

/**
 * `flower-tui landed LANE --outcome O [--sha S --message M]` (hidden): MAIN's server, on another
 * machine, says a merge of this host's lane ended there, so the lane's briefs here follow it (a link
 * to the merge; merged on success) as they would after a merge on this host.
 */
export async function landedCommand(args: RepoArgs & { lane: string; outcome: string; sha?: string; message?: string }): Promise<void> {
  await withClient({ ...args, host: undefined }, true, async (c) => {
    await c.request({ type: 'brief', op: 'landed', lane: args.lane, outcome: args.outcome, sha: args.sha ?? null, message: args.message ?? '' });
  });
}

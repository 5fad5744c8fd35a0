import { createInterface } from 'node:readline/promises';
import { FlowerError } from '../../shared/errors.js';
import type { MergePreview } from '../../core/merge/merge-preview.js';
import type { MergeResult } from '../../core/merge/merge-pipeline.js';
import type { Snapshot } from '../../core/types.js';
import type { ServerInfo } from '../../protocol/messages.js';
import { mainSideLane, print, withClient, type RepoArgs } from './common.js';
import { exitFlushed } from '../exit-flushed.js';

/** The preview as text: what the merge brings, what could go wrong, what needs a human after. */
export function formatPreview(p: MergePreview): string {
  const lines = [`merge ${p.worktree} (${p.branch} ${p.branchSha.slice(0, 7)}) into ${p.mainBranch} (${p.mainSha.slice(0, 7)}), strategy ${p.strategy}`];
  lines.push(`  ${p.commits.length} commit${p.commits.length === 1 ? '' : 's'}:`);
  for (const c of p.commits.slice(0, 20)) lines.push(`    ${c}`);
  if (p.commits.length > 20) lines.push(`    … and ${p.commits.length - 20} more`);
  const stat = p.stat.trim().split('\n');
  if (stat.length) lines.push(`  ${stat[stat.length - 1]!.trim()}`);
  if (p.mainMoved) lines.push(`  MAIN moved since the branch forked: ${p.behind} commit${p.behind === 1 ? '' : 's'} the branch does not have`);
  if (p.conflicts === null) lines.push('  conflicts: cannot predict with this git');
  else if (p.conflicts.length) lines.push(`  CONFLICTS predicted in: ${p.conflicts.join(', ')}`);
  else lines.push('  no conflicts predicted');
  for (const f of p.flagged) lines.push(`  ! ${f.message}: ${f.files.join(', ')}`);
  if (p.dirtyMain.length) lines.push(`  MAIN has uncommitted changes: ${p.dirtyMain.map((l) => l.slice(3)).join(', ')}`);
  if (p.dirtyWorktree.length) lines.push(`  ${p.worktree} has uncommitted changes: ${p.dirtyWorktree.map((l) => l.slice(3)).join(', ')}`);
  return lines.join('\n');
}

/** Exit codes: 0 merged; 1 refused/locked/cancelled; 5 conflict; 6 gate failed; 7 health failed (rolled back). */
const EXIT: Record<MergeResult['outcome'], number> = { merged: 0, refused: 1, locked: 1, cancelled: 1, conflict: 5, 'gate-failed': 6, 'health-failed': 7 };

export async function mergeCommand(given: RepoArgs & { worktree: string; yes?: boolean; commit?: string }): Promise<void> {
  const { args: routed, lane } = mainSideLane(given, given.worktree);
  const args = { ...given, ...routed, worktree: lane };
  await withClient(args, true, async (c) => {
    const preview = await c.request({ type: 'mergePreview', worktree: args.worktree });
    if (!args.json) process.stdout.write(formatPreview(preview) + '\n');
    // Nothing to merge is the answer, with or without --yes (not "pass --yes").
    if (preview.commits.length === 0 && preview.dirtyMain.length === 0 && !(args.commit && preview.dirtyWorktree.length)) {
      throw Object.assign(new FlowerError('merge-failed', `${preview.worktree} has nothing to merge: no commits ahead of MAIN${preview.dirtyWorktree.length ? ' (its uncommitted changes: pass --commit MSG to commit them first)' : ''}`), { outcome: 'refused' as const });
    }
    if (!args.yes) {
      if (!process.stdin.isTTY) throw new FlowerError('bad-usage', 'not merging without confirmation: pass --yes (no terminal to ask on)');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await rl.question('Merge? [y/N] ')).trim().toLowerCase();
      rl.close();
      if (answer !== 'y' && answer !== 'yes') throw new FlowerError('bad-usage', 'not merged');
    }
    // Progress lines as the pipeline runs: the server sends snapshots carrying the merge view.
    await c.request({ type: 'dismissMerge' }); // the previous merge's lines are not this one's
    let shown = 0;
    c.on('message', (m: { t: string; event?: { type: string; snapshot?: Snapshot } }) => {
      if (args.json || m.t !== 'event' || m.event?.type !== 'snapshot') return;
      const lines = m.event.snapshot?.merge?.lines ?? [];
      for (const l of lines.slice(shown)) process.stdout.write(`  ${l}\n`);
      shown = lines.length;
    });
    c.sendMessage({ t: 'subscribe' });
    const result = await c.request({ type: 'merge', worktree: args.worktree, commitMessage: args.commit });
    const { snapshot } = (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
    for (const l of (snapshot.merge?.lines ?? []).slice(shown)) if (!args.json) process.stdout.write(`  ${l}\n`);
    if (result.outcome !== 'merged') {
      if (args.json) print(args, '', result);
      throw Object.assign(new FlowerError('merge-failed', result.message), { outcome: result.outcome });
    }
    print(args, result.message + (snapshot.merge?.offerRemoval ? `\n${args.worktree} is an ephemeral lane: remove it with flower-tui worktree rm ${args.worktree}` : ''), result);
  }).catch(async (e) => {
    if (e instanceof FlowerError && e.code === 'merge-failed') {
      process.stderr.write(`flower-tui: ${e.message}\n`);
      await exitFlushed(EXIT[(e as FlowerError & { outcome?: MergeResult['outcome'] }).outcome ?? 'refused']);
    }
    throw e;
  });
}

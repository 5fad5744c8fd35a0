import { readFileSync } from 'node:fs';
import { FlowerError } from '../../shared/errors.js';
import type { Snapshot } from '../../core/types.js';
import type { ServerInfo } from '../../protocol/messages.js';
import { table } from '../format-status.js';
import { checkName } from '../../core/agents/names.js';
import type { ServerLocation } from '../../protocol/server-location.js';
import { hostConfigOf, print, withClient, type RepoArgs } from './common.js';

export async function worktreeAddCommand(
  args: RepoArgs & { name: string; lane?: 'standing' | 'ephemeral'; base?: string; served?: boolean; codeOnly?: boolean; agents?: string; promptFile?: string },
): Promise<void> {
  if (args.served && args.codeOnly) throw new FlowerError('bad-usage', '--served and --code-only cannot be used together');
  let prompt: string | undefined;
  if (args.promptFile !== undefined) {
    try {
      prompt = readFileSync(args.promptFile, 'utf8');
    } catch (e) {
      throw new FlowerError('bad-usage', `cannot read --prompt-file ${args.promptFile}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
  }
  const agents = args.agents === undefined ? undefined : args.agents.split(',').map((s) => s.trim()).filter(Boolean);
  await withClient(args, true, async (c, loc) => {
    // On a host, the lane starts from this repository's commit, brought there first.
    const onHost = args.host === undefined ? null : await bringBaseToHost(loc, args);
    const r = await c.request({
      type: 'addWorktree',
      name: args.name,
      lane: args.lane,
      base: onHost ? onHost.ref : args.base,
      kind: args.served ? 'served' : args.codeOnly ? 'code-only' : undefined,
      agents,
      prompt,
    }).finally(() => onHost?.drop());
    const lines = [`created ${r.worktree}: branch ${r.branch} at ${r.path}${r.port ? `, port ${r.port}` : ''}`];
    if (r.provision.copied.length) lines.push(`  copied ${r.provision.copied.join(', ')}`);
    if (r.provision.overridden.length) lines.push(`  set ${r.provision.overridden.join(', ')} for this lane`);
    if (r.provision.stripped.length) lines.push(`  emptied secrets ${r.provision.stripped.join(', ')} (code-only lane)`);
    if (r.setup === 'done') lines.push('  setup done');
    if (r.agents.length) lines.push(`  started ${r.agents.join(', ')}${prompt ? ' (prompt delivered to the first)' : ''}`);
    print(args, lines.join('\n'), r);
    if (r.setup === 'failed') {
      throw new FlowerError('spawn-failed', `setup failed in ${r.worktree}: the worktree is kept with its output; retry with: flower-tui worktree setup ${r.worktree}`);
    }
  });
}

/**
 * Push MAIN's current commit here (or --base, resolved here) to a flower-tui ref in the host's clone,
 * for the host's server to make the lane from; `drop` removes the ref once the lane has its branch.
 */
async function bringBaseToHost(loc: ServerLocation, args: RepoArgs & { name: string; base?: string }): Promise<{ ref: string; drop: () => Promise<void> }> {
  checkName('worktree', args.name); // before it becomes part of a ref on the host
  const { bringLaneBase } = await import('../../client/host-push.js');
  return bringLaneBase(args.host!, await hostConfigOf(loc, args), loc.repo.mainRoot, args.name, args.base);
}

export async function worktreeRmCommand(args: RepoArgs & { name: string; force?: boolean }): Promise<void> {
  await withClient(args, true, async (c) => {
    const r = await c.request({ type: 'removeWorktree', name: args.name, force: Boolean(args.force) });
    const lost = args.force && (r.unmerged.length || r.changes.length) ? ` (discarded ${r.unmerged.length} unmerged commit(s), ${r.changes.length} change(s))` : '';
    const kept = r.saved ? `\n  kept under ${r.saved} (flower-tui worktree restore ${r.worktree} brings it back)` : '';
    print(args, `removed ${r.worktree}${r.agents.length ? `, stopped ${r.agents.join(', ')}` : ''}${r.branchDeleted ? `, deleted branch ${r.branch}` : ''}${lost}${kept}`, r);
  });
}

export async function worktreeSetupCommand(args: RepoArgs & { name: string }): Promise<void> {
  await withClient(args, true, async (c) => {
    const r = await c.request({ type: 'retrySetup', name: args.name });
    if (r === 'failed') throw new FlowerError('spawn-failed', `setup failed again in ${args.name} (see its pane, or flower-tui log --worktree ${args.name})`);
    print(args, r === 'none' ? `${args.name}: no setup commands configured` : `${args.name}: setup done`, { worktree: args.name, setup: r });
  });
}

export async function worktreeLsCommand(args: RepoArgs): Promise<void> {
  await withClient(args, true, async (c) => {
    const { snapshot } = (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
    const rows = snapshot.worktrees.map((w) => {
      const l = w.lane;
      const agents = snapshot.agents.filter((a) => a.worktree === w.name).length;
      const setup = l?.setup ? (l.setup.state === 'running' ? `running ${l.setup.step}/${l.setup.steps}` : l.setup.state === 'failed' ? 'setup failed' : 'done') : '-';
      return {
        name: w.name,
        path: w.path,
        branch: w.branch,
        lane: w.isMain ? 'MAIN' : (l?.lane ?? 'standing'),
        kind: l?.kind ?? null,
        port: l?.port ?? null,
        ahead: w.isMain ? null : (l?.ahead ?? null),
        behind: w.isMain ? null : (l?.behind ?? null),
        dirty: w.isMain ? snapshot.main.changes : (l?.dirty ?? null),
        agents,
        setup,
        missing: w.prunable,
      };
    });
    const human = table([
      ['NAME', 'BRANCH', 'LANE', 'AHEAD/BEHIND', 'DIRTY', 'AGENTS', 'SETUP', 'PATH'],
      ...rows.map((r) => [
        r.name,
        r.branch ?? '(detached)',
        `${r.lane}${r.kind ? ` ${r.kind}` : ''}${r.port ? `:${r.port}` : ''}`,
        r.ahead === null ? '-' : `+${r.ahead}/-${r.behind}`,
        r.dirty === null ? '?' : r.dirty ? String(r.dirty) : 'clean',
        String(r.agents),
        r.setup,
        r.path + (r.missing ? ' (missing)' : ''),
      ]),
    ]);
    print(args, human, rows);
  });
}

export async function worktreeRemovedCommand(args: RepoArgs): Promise<void> {
  await withClient(args, true, async (c) => {
    const { removed } = await c.request({ type: 'removedLanes' });
    const lines = removed.map((r) => `${r.lane.padEnd(24)} ${r.at.replace(/T(\d\d)-(\d\d)-(\d\d).*/, ' $1:$2:$3')}  ${r.sha.slice(0, 7)} ${r.subject}`);
    print(args, lines.length ? lines.join('\n') : 'no removed lanes saved', { removed });
  });
}

export async function worktreeRestoreCommand(args: RepoArgs & { name: string }): Promise<void> {
  await withClient(args, true, async (c) => {
    const r = await c.request({ type: 'restoreLane', name: args.name });
    print(args, `restored ${r.worktree}: branch ${r.branch} at ${r.path} (from ${r.from})`, r);
  });
}

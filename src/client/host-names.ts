/**
 * How a cockpit shows several hosts as one: a lane on host "box" is `box:feature-x`, its agent
 * `box:feature-x/claude` (a git branch name cannot hold ':', so no lane of this machine looks like
 * one). These pure functions turn a host's snapshot into that naming and a command addressed to a
 * named lane or agent back into the host's own names.
 */
import type { CockpitCommand } from '../core/backend/cockpit-backend.js';
import type { AgentInfo, HostLinkView, Snapshot, WorktreeInfo } from '../core/types.js';
import type { BriefView } from '../core/briefs/brief-ops.js';
import { onHost, splitHostName } from '../core/hosts/host-name.js';

export { onHost };

/** The host a cockpit name is on and its name there, or null for this machine's own (or an unknown host's). */
export function hostOf(name: string, hosts: ReadonlySet<string>): { host: string; local: string } | null {
  const split = splitHostName(name);
  return split && hosts.has(split.host) ? { host: split.host, local: split.lane } : null;
}

export function agentOnHost(host: string, a: AgentInfo): AgentInfo {
  return { ...a, id: onHost(host, a.id), worktree: onHost(host, a.worktree) };
}

/** A brief held by a host's server: marked with the host, its lane and agent in cockpit names. */
export function briefOnHost(host: string, b: BriefView): BriefView {
  return { ...b, host, lane: b.lane === null ? null : onHost(host, b.lane), agent: b.agent === null ? null : onHost(host, b.agent) };
}

/** A brief command's reply from a host's server, its briefs marked with the host (a show's trace as it is). */
export function briefReplyOnHost<R>(host: string, r: R): R {
  if (r === null || typeof r !== 'object') return r;
  const o = r as Record<string, unknown>;
  const out: Record<string, unknown> = { ...o };
  if (o.brief) out.brief = briefOnHost(host, o.brief as BriefView);
  if (Array.isArray(o.briefs)) out.briefs = (o.briefs as BriefView[]).map((b) => briefOnHost(host, b));
  return out as R;
}

/** A host's lanes, agents and briefs, named as the cockpit shows them. Its MAIN is not ours to show. */
export function hostPart(host: string, snap: Snapshot): { worktrees: WorktreeInfo[]; agents: AgentInfo[]; briefs: BriefView[] } {
  return {
    worktrees: snap.worktrees.filter((w) => !w.isMain).map((w) => ({ ...w, name: onHost(host, w.name), host })),
    agents: snap.agents.map((a) => agentOnHost(host, a)),
    briefs: (snap.briefs ?? []).map((b) => briefOnHost(host, b)),
  };
}

/**
 * This machine's snapshot with every host's lanes after its own. A host that is not connected keeps
 * showing what it last sent (greyed by the cockpit), so its panes do not jump away on a dropped link.
 */
export function mergeHosts(primary: Snapshot, hosts: { name: string; last: Snapshot | null }[], links: HostLinkView[]): Snapshot {
  const parts = hosts.filter((h) => h.last).map((h) => hostPart(h.name, h.last!));
  return {
    ...primary,
    worktrees: [...primary.worktrees, ...parts.flatMap((p) => p.worktrees)],
    agents: [...primary.agents, ...parts.flatMap((p) => p.agents)],
    briefs: [...primary.briefs, ...parts.flatMap((p) => p.briefs)],
    hosts: links,
  };
}

/** Where a command goes: `host` null for this machine's server; `cmd` in the receiver's own names. */
export type Route = { host: string | null; cmd: CockpitCommand };

/**
 * The receiver of `cmd`. Merges stay a MAIN operation: `mergePreview`, `merge`, `diff` and `queue`
 * for `box:lane` go to this machine's server unchanged (it gates on the host and fetches the lane).
 */
export function routeCommand(cmd: CockpitCommand, hosts: ReadonlySet<string>): Route {
  const local: Route = { host: null, cmd };
  const by = (name: string, rename: (local: string) => CockpitCommand): Route => {
    const h = hostOf(name, hosts);
    return h ? { host: h.host, cmd: rename(h.local) } : local;
  };
  switch (cmd.type) {
    case 'kill':
    case 'respawn':
    case 'remove':
    case 'input':
    case 'send':
    case 'resize':
    case 'note':
    case 'refresh':
    case 'report':
    case 'wait':
      return by(cmd.agent, (agent) => ({ ...cmd, agent }));
    case 'spawn':
    case 'updateLane':
      return by(cmd.worktree, (worktree) => ({ ...cmd, worktree }));
    case 'addWorktree':
    case 'removeWorktree':
    case 'checkRemoval':
    case 'retrySetup':
    case 'restoreLane':
      return by(cmd.name, (name) => ({ ...cmd, name }));
    case 'brief': {
      // A brief is on the server that holds it (`host`); a lane or agent it names is in that server's names.
      if (cmd.host === undefined || !hosts.has(cmd.host)) return local;
      const { host, ...rest } = cmd;
      const mine = (n: string | undefined) => (n === undefined ? undefined : (hostOf(n, hosts)?.local ?? n));
      const renamed = rest.op === 'dispatch' ? { ...rest, lane: mine(rest.lane), agent: mine(rest.agent) } : rest;
      return { host, cmd: renamed as CockpitCommand };
    }
    case 'restore': {
      // A restore offer is per server: the agents of the first one named, in that server's names.
      const first = cmd.agents?.[0];
      const h = first === undefined ? null : hostOf(first, hosts);
      if (!h) return { host: null, cmd: cmd.agents ? { ...cmd, agents: cmd.agents.filter((a) => !hostOf(a, hosts)) } : cmd };
      return { host: h.host, cmd: { ...cmd, agents: cmd.agents!.map((a) => hostOf(a, hosts)).filter((x) => x?.host === h.host).map((x) => x!.local) } };
    }
    default:
      return local;
  }
}

import { agentSpecProfile, agentsForWorktree, type FlowerConfig } from '../../config/config.js';
import { describeError } from '../../shared/errors.js';
import type { TraceEntry } from '../store/trace.js';
import { traceDetails } from '../commands/trace-details.js';
import type { AgentInfo, WorktreeInfo } from '../types.js';
import type { AgentRegistry } from './agent-registry.js';

/** Where each planned agent will be shown: lanes in display order → agent id → screen size. */
export type SizeHint = (lanes: { name: string; agents: string[] }[]) => Map<string, { cols: number; rows: number }>;

/**
 * Start the agents the config lists for each worktree (skipping MAIN, which never hosts agents).
 * `sizeHint` maps the planned lanes (worktree → agent ids) to the screen size each agent will be
 * shown at, so programs draw their first screen for the right size instead of reflowing at once.
 */
export function startConfiguredAgents(
  config: FlowerConfig,
  worktrees: WorktreeInfo[],
  agents: AgentRegistry,
  record: (entry: Omit<TraceEntry, 'ts'>) => void,
  sizeHint?: SizeHint,
): { started: AgentInfo[]; errors: string[] } {
  const started: AgentInfo[] = [];
  const errors: string[] = [];
  const plan: { worktree: string; agents: { id: string; name: string; profile: string; args?: string[] }[] }[] = [];
  const taken = new Set(agents.ids());
  for (const wt of worktrees) {
    if (wt.isMain) continue;
    const planned = [];
    for (const spec of agentsForWorktree(config, wt)) {
      const profile = agentSpecProfile(spec);
      const base = (typeof spec === 'string' ? undefined : spec.name) ?? profile;
      let name = base;
      for (let i = 2; taken.has(`${wt.name}/${name}`); i++) name = `${base}-${i}`;
      taken.add(`${wt.name}/${name}`);
      planned.push({ id: `${wt.name}/${name}`, name, profile, args: typeof spec === 'string' ? undefined : spec.args });
    }
    plan.push({ worktree: wt.name, agents: planned });
  }
  const existing = (w: string) => agents.infos().filter((a) => a.worktree === w).map((a) => a.id);
  const sizes = sizeHint?.(plan.map((l) => ({ name: l.worktree, agents: [...existing(l.worktree), ...l.agents.map((a) => a.id)] })));
  for (const lane of plan) {
    for (const a of lane.agents) {
      try {
        const size = sizes?.get(a.id);
        const info = agents.spawn(lane.worktree, a.profile, { name: a.name, args: a.args, cols: size?.cols, rows: size?.rows });
        started.push(info);
        record({ actor: 'server', action: 'spawn', target: info.id, details: { ...traceDetails({ type: 'spawn', worktree: lane.worktree, profile: a.profile }, info), reason: 'config' }, outcome: 'ok' });
      } catch (e) {
        errors.push(describeError(e));
        record({ actor: 'server', action: 'spawn', target: a.id, details: { worktree: lane.worktree, profile: a.profile, reason: 'config' }, outcome: 'error', error: describeError(e) });
      }
    }
  }
  return { started, errors };
}

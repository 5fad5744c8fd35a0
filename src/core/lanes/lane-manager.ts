import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { AgentSpec } from '../../config/schema.js';
import { agentsForWorktree, agentSpecProfile } from '../../config/config.js';
import type { RemovedLane } from './lane-safety.js';
import { LaneRemoval, type RemovalCheck } from './lane-removal.js';
import { LaneSetups, SETUP_AGENT } from './lane-setup.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import { addWorktree, resolveCommit, validateLaneName } from '../git/lane-git.js';
import type { TraceActor } from '../store/trace.js';
import type { AgentInfo, LaneSetup } from '../types.js';
import type { LaneHost } from './lane-host.js';
import { allocatePort, copyList, provisionLane, type ProvisionResult } from './provision.js';

export interface AddLaneOptions {
  name: string;
  lane?: 'standing' | 'ephemeral';
  base?: string;
  kind?: 'served' | 'code-only';
  /** Profiles to start; default: the config's lanes.agents, else its worktrees entry. */
  agents?: string[];
  /** Sent to the first agent once it is ready. */
  prompt?: string;
}

export interface AddLaneResult {
  worktree: string;
  path: string;
  branch: string;
  port: number | null;
  provision: ProvisionResult;
  setup: 'none' | 'done' | 'failed';
  agents: string[];
}

/**
 * Creating, provisioning, setting up and removing lanes. Every step goes to the trace (file names and
 * key names only: never a value that could be a secret).
 */
export class LaneManager {
  private readonly setups: LaneSetups;
  private readonly removal: LaneRemoval;
  /** Ports handed to lanes still being created (not yet in state): concurrent adds must not reuse them. */
  private readonly reservedPorts = new Set<number>();
  /** The prompt of an add whose setup failed, for the first agent once a retry succeeds. */
  private readonly pendingPrompts = new Map<string, string>();

  constructor(
    private readonly sup: LaneHost,
    private readonly config: () => FlowerConfig,
  ) {
    this.setups = new LaneSetups(sup, config);
    this.removal = new LaneRemoval(sup, config, (name) => this.lanePath(name), (name) => {
      this.setups.forget(name);
      this.pendingPrompts.delete(name);
    });
  }

  setupOf(worktree: string): LaneSetup | null {
    return this.setups.of(worktree);
  }

  lanePath(name: string): string {
    const main = this.sup.repo.mainRoot;
    const rel = this.config().lanes.pathPattern.replaceAll('{repo}', path.basename(main)).replaceAll('{name}', name);
    return path.resolve(path.dirname(main), rel);
  }

  async add(opts: AddLaneOptions, actor: TraceActor): Promise<AddLaneResult> {
    const cfg = this.config().lanes;
    const name = opts.name;
    const branch = `${cfg.branchPrefix}${name}`;
    const record = (action: string, outcome: string, details?: Record<string, unknown>, error?: string) =>
      this.sup.record({ actor, action, target: name, details, outcome, error });
    let port: number | null = null;
    try {
      await validateLaneName(this.sup.repo.mainRoot, name, branch);
      if (name === 'MAIN' || this.sup.snapshot().worktrees.some((w) => w.name === name || w.name === branch)) throw new FlowerError('bad-usage', `a worktree named "${name}" already exists`);
      const main = this.sup.snapshot().worktrees.find((w) => w.isMain);
      if (main && main.branch === null) throw new FlowerError('bad-usage', 'MAIN is on a detached HEAD: check out its branch first (lanes branch from it and merge back into it)');
      const lanePath = this.lanePath(name);
      const base = await resolveCommit(this.sup.repo.mainRoot, opts.base ?? 'HEAD');
      const lane = opts.lane ?? cfg.defaultLane;
      const kind = opts.kind ?? cfg.defaultKind;
      const used = Object.values(this.sup.stateWorktrees()).map((w) => w.port).filter((p): p is number => typeof p === 'number');
      port = kind === 'served' ? allocatePort(cfg.served.portRange, [...used, ...this.reservedPorts]) : null;
      if (port !== null) this.reservedPorts.add(port);
      if (kind === 'served' && port === null) throw new FlowerError('bad-usage', `no free port left in lanes.served.portRange ${cfg.served.portRange.join('–')}`);
      // The worktrees entry keeps its agents' names and args; --agents and lanes.agents are profiles.
      const fromConfig = !opts.agents && !cfg.agents.length;
      const specs: AgentSpec[] = opts.agents ?? (fromConfig ? agentsForWorktree(this.config(), { name, branch }) : cfg.agents);
      const agents = specs.map(agentSpecProfile);
      // Before the lane exists: an unknown profile (--agents, the form) must not leave a lane behind.
      const profiles = this.config().profiles;
      const unknown = agents.find((p) => !Object.hasOwn(profiles, p));
      if (unknown !== undefined) throw new FlowerError('unknown-profile', `no profile "${unknown}" (known: ${Object.keys(profiles).join(', ')}): no lane created`);
      await addWorktree(this.sup.repo.mainRoot, { branch, path: lanePath, base });
      // A refresh that listed the worktrees before this one existed must end before the record is
      // written: it would replace state.worktrees without it.
      await this.sup.refreshGit();
      const wtName = this.sup.snapshot().worktrees.find((w) => w.path === lanePath)?.name ?? branch;
      // State keeps profiles only (a retry re-reads names and args from the config: args may hold secrets).
      this.sup.rememberLane(wtName, { lane, path: lanePath, branch, kind, port, agents, agentsFromConfig: fromConfig || undefined, promptFile: null });
      record('worktree.add', 'ok', { branch, path: lanePath, base: base.slice(0, 12), lane, kind, port });
      await this.sup.refreshGit();
      const provision = provisionLane({
        mainRoot: this.sup.repo.mainRoot,
        lanePath,
        files: copyList(this.sup.repo.mainRoot, cfg.copy, cfg.includeFile),
        kind,
        name,
        port,
        servedEnv: cfg.served.env,
        rewriteUrls: cfg.served.rewriteUrls,
        secretPatterns: cfg.secretPatterns,
      });
      record('worktree.provision', 'ok', { copied: provision.copied, overridden: provision.overridden, stripped: provision.stripped });
      const setup = await this.runSetup(wtName, actor);
      let started: AgentInfo[] = [];
      if (setup !== 'failed') started = await this.startAgents(wtName, specs, opts.prompt, actor);
      else if (opts.prompt) this.pendingPrompts.set(wtName, opts.prompt);
      return { worktree: wtName, path: lanePath, branch, port, provision, setup, agents: started.map((a) => a.id) };
    } catch (e) {
      record('worktree.add', 'error', { branch }, describeError(e));
      throw e;
    } finally {
      if (port !== null) this.reservedPorts.delete(port);
    }
  }

  /** Run (or re-run) the lane's setup in its pty agent "<lane>/setup" (see lane-setup.ts). */
  runSetup(name: string, actor: TraceActor): Promise<'none' | 'done' | 'failed'> {
    return this.setups.run(name, actor);
  }

  /** Retry a failed setup, then start the lane's agents (what `add` would have done). */
  async retrySetup(name: string, actor: TraceActor): Promise<'none' | 'done' | 'failed'> {
    await this.sup.removeAgent(`${name}/${SETUP_AGENT}`, 'server').catch(() => {});
    const result = await this.runSetup(name, actor);
    if (result !== 'failed') {
      const rec = this.sup.stateWorktrees()[name];
      const specs: AgentSpec[] = rec?.agentsFromConfig ? agentsForWorktree(this.config(), { name, branch: rec.branch }) : (rec?.agents ?? []);
      // Only the agents not already there (a re-run of a successful setup must not double them).
      const have = this.sup.snapshot().agents.filter((a) => a.worktree === name && a.name !== SETUP_AGENT).map((a) => a.profile);
      const todo = specs.filter((spec) => {
        const i = have.indexOf(agentSpecProfile(spec));
        if (i === -1) return true;
        have.splice(i, 1);
        return false;
      });
      await this.startAgents(name, todo, this.pendingPrompts.get(name), actor);
      this.pendingPrompts.delete(name);
    }
    return result;
  }

  private async startAgents(name: string, specs: AgentSpec[], prompt: string | undefined, actor: TraceActor): Promise<AgentInfo[]> {
    const started: AgentInfo[] = [];
    for (const spec of specs) {
      const cmd = typeof spec === 'string' ? { profile: spec } : { profile: spec.profile, name: spec.name, args: spec.args };
      started.push(await this.sup.spawnAgent({ worktree: name, ...cmd }, actor));
    }
    if (prompt && prompt.trim() && started[0]) {
      await this.sup.sendText(started[0].id, prompt.replace(/\n+$/, ''), actor);
    }
    return started;
  }

  /** What removing a lane would lose. */
  checkRemoval(name: string): Promise<RemovalCheck> {
    return this.removal.check(name);
  }

  /** Lanes removed so far, each restorable (newest first). */
  removed(): Promise<RemovedLane[]> {
    return this.removal.removed();
  }

  /** `worktree restore NAME[@TIME]` (see lane-removal.ts). */
  restore(spec: string, actor: TraceActor): Promise<{ worktree: string; branch: string; path: string; from: string }> {
    return this.removal.restore(spec, actor);
  }

  /** Stop its agents, remove the worktree (and an ephemeral lane's branch). Refuses to lose work unless forced. */
  remove(name: string, force: boolean, actor: TraceActor): Promise<RemovalCheck & { branchDeleted: boolean; saved: string | null }> {
    return this.removal.remove(name, force, actor);
  }
}

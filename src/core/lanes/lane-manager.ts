import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { AgentSpec } from '../../config/schema.js';
import { agentsForWorktree, agentSpecProfile } from '../../config/config.js';
import { REMOVED_PREFIX, commitsNotInMain, listRemoved, restoreRemoved, saveBeforeRemoval, stashesOf, type RemovedLane } from './lane-safety.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import { addWorktree, branchExists, deleteBranch, removeWorktree, resolveCommit, uncommittedChanges, validateLaneName } from '../git/lane-git.js';
import type { TraceActor } from '../store/trace.js';
import type { AgentInfo, LaneSetup, WorktreeInfo } from '../types.js';
import type { LaneHost } from './lane-host.js';
import { allocatePort, copyList, provisionLane, type ProvisionResult } from './provision.js';
import { SETUP_STEP_OSC, setupScript } from './setup-script.js';

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

export interface RemovalCheck {
  worktree: string;
  branch: string | null;
  /** Commits that exist only on the lane's branch ("sha subject"). */
  unmerged: string[];
  /** Uncommitted changes and untracked files ("XY path"). */
  changes: string[];
  /** Stashes made on the lane's branch ("stash@{0} On feature: msg"). */
  stashes: string[];
  agents: string[];
}

/** The setup agent of a lane is always "<lane>/setup". */
export const SETUP_AGENT = 'setup';

/**
 * Creating, provisioning, setting up and removing lanes. Every step goes to the trace (file names and
 * key names only: never a value that could be a secret).
 */
export class LaneManager {
  private readonly setups = new Map<string, LaneSetup>();
  /** Ports handed to lanes still being created (not yet in state): concurrent adds must not reuse them. */
  private readonly reservedPorts = new Set<number>();
  /** The prompt of an add whose setup failed, for the first agent once a retry succeeds. */
  private readonly pendingPrompts = new Map<string, string>();

  constructor(
    private readonly sup: LaneHost,
    private readonly config: () => FlowerConfig,
  ) {}

  setupOf(worktree: string): LaneSetup | null {
    return this.setups.get(worktree) ?? null;
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

  /**
   * Run (or re-run) the lane's setup commands in a pty agent "<lane>/setup", so the output streams live
   * into the lane's pane. Resolves when it has finished. A failure keeps the worktree and the output.
   */
  async runSetup(name: string, actor: TraceActor): Promise<'none' | 'done' | 'failed'> {
    const commands = this.config().lanes.setup;
    if (commands.length === 0) return 'none';
    const wt = this.sup.snapshot().worktrees.find((w) => w.name === name);
    if (!wt) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    const rec = this.sup.stateWorktrees()[name];
    const state: LaneSetup = { state: 'running', step: 0, steps: commands.length, command: commands[0]!, exitCode: null };
    this.setups.set(name, state);
    this.sup.changed();
    this.sup.record({ actor, action: 'worktree.setup', target: name, details: { commands }, outcome: 'started' });
    const stepFile = path.join(os.tmpdir(), `flower-setup-${randomUUID()}.step`);
    const profile = {
      command: '/bin/sh',
      args: ['-c', setupScript(commands)],
      env: { FLOWER_LANE: name, FLOWER_PORT: rec?.port ? String(rec.port) : '', FLOWER_SETUP_STEP_FILE: stepFile },
      description: 'lane setup',
    };
    const agent = await this.sup.spawnInternal(name, SETUP_AGENT, profile);
    const osc = agent.screen.onOsc(SETUP_STEP_OSC, (data) => {
      const step = Number(data);
      if (step >= 1 && step <= commands.length) {
        this.setups.set(name, { ...state, step, command: commands[step - 1]! });
        this.sup.changed();
      }
    });
    const code = await new Promise<number>((resolve) => {
      const check = () => {
        const s = agent.info.state;
        if (s.kind === 'exited') resolve(s.code);
        else if (s.kind === 'failed' || s.kind === 'killed') resolve(-1);
        else return;
        agent.off('change', check);
      };
      agent.on('change', check);
      check();
    });
    // The step that ran last, from the script's side channel: the pty may lose its last output.
    try {
      const step = Number(readFileSync(stepFile, 'utf8'));
      if (step >= 1 && step <= commands.length) this.setups.set(name, { ...(this.setups.get(name) ?? state), step, command: commands[step - 1]! });
    } catch {
      /* no step started */
    }
    rmSync(stepFile, { force: true });
    osc.dispose();
    const now = this.setups.get(name) ?? state;
    if (code === 0) {
      this.setups.set(name, { ...now, state: 'done', exitCode: 0 });
      this.sup.record({ actor, action: 'worktree.setup', target: name, details: { steps: commands.length }, outcome: 'ok' });
      // The output served its purpose; the lane's agents take the space.
      await this.sup.removeAgent(`${name}/${SETUP_AGENT}`, 'server').catch(() => {});
      this.sup.changed();
      return 'done';
    }
    // Said by flower-tui, not the script: a program's last output can be lost when it exits.
    agent.showNote(`\x1b[1;31m✗ [${now.step}/${commands.length}] failed (exit ${code})\x1b[0m\r\n`);
    this.setups.set(name, { ...now, state: 'failed', exitCode: code });
    this.sup.record({ actor, action: 'worktree.setup', target: name, details: { step: now.step, command: now.command, exitCode: code }, outcome: 'error', error: `"${now.command}" exited ${code}` });
    this.sup.changed();
    return 'failed';
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
  async checkRemoval(name: string): Promise<RemovalCheck> {
    const wt = this.requireLane(name);
    const main = this.sup.snapshot().worktrees.find((w) => w.isMain);
    // Merged however it got into MAIN (merge, fast-forward, rebase, squash): see lane-safety.ts.
    const unmerged = wt.branch && main?.branch ? await commitsNotInMain(this.sup.repo.mainRoot, main.branch, wt.branch) : [];
    const stashes = wt.branch ? await stashesOf(this.sup.repo.mainRoot, wt.branch) : [];
    const changes = wt.prunable ? [] : await uncommittedChanges(wt.path);
    const agents = this.sup.snapshot().agents.filter((a) => a.worktree === name).map((a) => a.id);
    return { worktree: name, branch: wt.branch, unmerged, changes, stashes, agents };
  }

  private requireLane(name: string): WorktreeInfo {
    if (name === 'MAIN') throw new FlowerError('main-read-only', 'MAIN can never be removed');
    const prefixed = `${this.config().lanes.branchPrefix}${name}`;
    const wt = this.sup.snapshot().worktrees.find((w) => w.name === name || w.path === name) ?? this.sup.snapshot().worktrees.find((w) => !w.isMain && w.branch === prefixed);
    if (!wt) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    if (wt.isMain) throw new FlowerError('main-read-only', 'MAIN can never be removed');
    return wt;
  }

  /** Lanes removed so far, each restorable (newest first). */
  removed(): Promise<RemovedLane[]> {
    return listRemoved(this.sup.repo.mainRoot);
  }

  /**
   * `worktree restore NAME[@TIME]`: the newest saved removal of that lane (or the one named) back as
   * a lane, on its old name when its branch is gone (else as NAME-restored), uncommitted work included.
   */
  async restore(spec: string, actor: TraceActor): Promise<{ worktree: string; branch: string; path: string; from: string }> {
    const [lane, at] = spec.split('@') as [string, string | undefined];
    const all = await listRemoved(this.sup.repo.mainRoot);
    const saved = all.find((r) => r.lane === lane && (!at || r.at === at));
    if (!saved) throw new FlowerError('bad-usage', `nothing saved for ${spec} (see flower-tui worktree removed)`);
    if (this.sup.snapshot().worktrees.some((w) => w.name === lane)) throw new FlowerError('bad-usage', `a lane ${lane} exists: remove it first, or restore into another name later`);
    const prefix = this.config().lanes.branchPrefix;
    // Its old branch may still exist (a standing lane keeps it): then the lane comes back as NAME-restored.
    const name = (await branchExists(this.sup.repo.mainRoot, `${prefix}${lane}`)) ? `${lane}-restored` : lane;
    const branch = `${prefix}${name}`;
    const lanePath = this.lanePath(name);
    await restoreRemoved(this.sup.repo.mainRoot, saved, { branch, path: lanePath });
    this.sup.rememberLane(name, { lane: 'standing', path: lanePath, branch, kind: null, port: null, agents: [], promptFile: null });
    this.sup.record({ actor, action: 'worktree.restore', target: name, details: { from: saved.ref, branch, path: lanePath }, outcome: 'ok' });
    await this.sup.refreshGit();
    return { worktree: name, branch, path: lanePath, from: saved.ref };
  }

  /** Stop its agents, remove the worktree (and an ephemeral lane's branch). Refuses to lose work unless forced. */
  async remove(name: string, force: boolean, actor: TraceActor): Promise<RemovalCheck & { branchDeleted: boolean; saved: string | null }> {
    const wt = this.requireLane(name);
    const check = await this.checkRemoval(wt.name);
    if (!force && (check.unmerged.length || check.changes.length || check.stashes.length)) {
      const parts = [];
      if (check.unmerged.length) parts.push(`${check.unmerged.length} commit${check.unmerged.length === 1 ? '' : 's'} not in MAIN (${check.unmerged.slice(0, 5).join('; ')}${check.unmerged.length > 5 ? '; …' : ''})`);
      if (check.changes.length) parts.push(`${check.changes.length} uncommitted change${check.changes.length === 1 ? '' : 's'} (${check.changes.slice(0, 5).map((c) => c.slice(3)).join(', ')}${check.changes.length > 5 ? ', …' : ''})`);
      if (check.stashes.length) parts.push(`${check.stashes.length} stash${check.stashes.length === 1 ? '' : 'es'} (${check.stashes.slice(0, 3).join('; ')})`);
      const msg = `refusing to remove ${wt.name}: it has ${parts.join(' and ')} — merge or commit first, or use --force (a forced removal still keeps it all under ${REMOVED_PREFIX}${wt.name}/)`;
      this.sup.record({ actor, action: 'worktree.rm', target: wt.name, details: { unmerged: check.unmerged.length, changes: check.changes.length }, outcome: 'refused', error: msg });
      throw new FlowerError('would-lose-work', msg);
    }
    // Agents first, gracefully: they may be writing into the worktree.
    for (const id of check.agents) await this.sup.removeAgent(id, actor).catch(() => {});
    const rec = this.sup.stateWorktrees()[wt.name];
    let branchDeleted = false;
    let saved: Awaited<ReturnType<typeof saveBeforeRemoval>> = null;
    try {
      // Nothing becomes unrecoverable: the tip and any uncommitted work are kept under a ref first.
      saved = await saveBeforeRemoval(this.sup.repo.mainRoot, wt.name, wt.prunable ? null : wt.path);
      if (!wt.prunable) await removeWorktree(this.sup.repo.mainRoot, { path: wt.path, force });
      if (rec?.lane === 'ephemeral' && wt.branch) {
        // Merged by content (squash) is not merged by ancestry: -d would refuse what is safe (and saved).
        await deleteBranch(this.sup.repo.mainRoot, wt.branch, force || check.unmerged.length === 0);
        branchDeleted = true;
      }
    } catch (e) {
      this.sup.record({ actor, action: 'worktree.rm', target: wt.name, outcome: 'error', error: describeError(e) });
      throw e;
    }
    this.setups.delete(wt.name);
    this.pendingPrompts.delete(wt.name);
    this.sup.forgetLane(wt.name);
    this.sup.record({ actor, action: 'worktree.rm', target: wt.name, details: { path: wt.path, branch: wt.branch, branchDeleted, forced: force, agentsStopped: check.agents, saved: saved?.ref ?? null, snapshot: saved?.snapshot ?? false }, outcome: 'ok' });
    await this.sup.refreshGit();
    return { ...check, branchDeleted, saved: saved?.ref ?? null };
  }
}

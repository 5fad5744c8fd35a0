import { statSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { FlowerConfig } from '../config/config.js';
import { agentSpecProfile, agentsForWorktree } from '../config/config.js';
import { Agent } from './agents/agent.js';
import type { TerminalScreen } from './agents/terminal-screen.js';
import { FlowerError, describeError } from '../shared/errors.js';
import { listWorktrees, readMainStatus, type RepoLocation } from './git/repo.js';
import { GitWatcher } from './git/git-watcher.js';
import type { AgentInfo, MainInfo, Notice, PendingRestore, Snapshot, SupervisorCommand, SupervisorEvent, WorktreeInfo } from './types.js';
import { agentIsLive, agentStateLabel } from './types.js';
import type { StateStore } from './store/state-store.js';
import type { TraceActor, TraceEntry, TraceWriter } from './store/trace.js';
import { sessionArgs } from './session-args.js';
import { TRACED, traceDetails } from './trace-details.js';
import { planRestore } from './restore-plan.js';
import { AgentArgsFile } from './store/agent-args.js';
import { resolveAgentTarget } from './agent-target.js';
import { checkName } from './names.js';
import { cleanForTerminal } from '../shared/terminal-text.js';
import { LaneManager } from './lanes/lane-manager.js';
import { UsageMonitor } from './usage/usage-monitor.js';
import { MergeCoordinator } from './merge/merge-coordinator.js';
import { MainMonitor } from './monitor/main-monitor.js';
import { MainHeadWatch } from './monitor/main-head-watch.js';
import { isResultCommand, type ResultCommand } from './result-commands.js';
import { BriefDesk } from './briefs/brief-desk.js';
import { openBriefDesk } from './briefs/brief-host.js';
import { mcpArgs } from './agents/mcp-args.js';
import { openMergeQueue, type MergeQueue } from './merge/queue-host.js';
import { executeQueueCommand } from './merge/queue-commands.js';
import { updateOne } from './merge/lane-keeper.js';
import type { MergeResult } from './merge/merge-pipeline.js';

/** The ops process shown in MAIN's pane. */
const OPS_AGENT = 'MAIN/ops';
import { Refresher } from './usage/refresher.js';
import { planSandbox, type SandboxDecision } from './sandbox/sandbox-plan.js';
import { StatusHub } from './status/status-hub.js';
import { NotifyCommand } from './status/notify-command.js';
import path from 'node:path';

import { claudeSettings } from './status/claude-hooks.js';
import { codexHookArgs } from './status/codex-hooks.js';
import { aheadBehind, uncommittedChanges } from './git/lane-git.js';
import type { WorktreeRecord } from './store/state-store.js';
import type { Profile } from '../config/schema.js';

export interface SupervisorOptions {
  repo: RepoLocation;
  config: FlowerConfig;
  /** Where agents are remembered across restarts (none: nothing is remembered). */
  store?: StateStore;
  /** The append-only record of every action (none: nothing is recorded). */
  trace?: TraceWriter;
  /** Environment agents inherit (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Git is re-read when its files change; this is the safety poll behind that (default: the config's
   * monitor.gitPollMs). 0 disables every automatic refresh, watching included (tests refresh by command).
   */
  pollMs?: number;
  /**
   * How agents' hooks reach us (a server's socket, and the command line that runs `flower-tui`):
   * without it only screen and transcript guesses say what agents are doing.
   */
  hooks?: { socket: string; command: string };
}

/** Where each planned agent will be shown: lanes in display order → agent id → screen size. */
export type SizeHint = (lanes: { name: string; agents: string[] }[]) => Map<string, { cols: number; rows: number }>;

/** Size an agent gets before the UI has laid it out. */
const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;
/** Where files cannot be watched (inotify limit, a huge tree), git is polled at this old cadence instead. */
const UNWATCHED_POLL_MS = 3000;
/** A safety check that finds nothing changed still reads git in full every this-many checks (edits in place). */
const FULL_READ_EVERY_CHECKS = 10;

/** Commands that name an agent the way an operator types it (CLI, MCP): resolved before they run. */
const TARGETED = new Set<SupervisorCommand['type']>(['kill', 'respawn', 'refresh', 'remove', 'send']);

/**
 * The one object that owns flower-tui's state: worktrees, agents (ptys + emulators) and MAIN's status.
 * Commands in (plain data), events out. No UI imports: the TUI, the CLI and tests all drive it the same way.
 */
export class Supervisor extends EventEmitter {
  readonly repo: RepoLocation;
  private config: FlowerConfig;
  private readonly env: NodeJS.ProcessEnv;
  private readonly hooks: SupervisorOptions['hooks'] | null;
  private worktrees: WorktreeInfo[] = [];
  private readonly agents = new Map<string, Agent>();
  private main: MainInfo = { branch: null, headShort: null, subject: null, changes: 0, changed: [], error: null };
  private snapshotQueued = false;
  private pollTimer: NodeJS.Timeout | null = null;
  /** Refreshes on git's file events; null when automatic refresh is off. */
  private watcher: GitWatcher | null = null;
  private pollOverride: number | undefined;
  /** How many times git was read (tests check that an idle supervisor reads nothing). */
  gitReads = 0;
  /** Safety checks since the last read of git that found nothing changed. */
  private quietChecks = 0;
  private refreshing: Promise<void> | null = null;
  private refreshQueued: Promise<void> | null = null;
  private closed = false;
  /** While stopping everything, agents keep `running: true` in state: a restart restores them. */
  private shuttingDown = false;
  private readonly store: StateStore | null;
  private readonly trace: TraceWriter | null;
  private notices: Notice[] = [];
  readonly lanes: LaneManager;
  readonly monitor: UsageMonitor;
  readonly merges: MergeCoordinator;
  readonly mainMonitor: MainMonitor;
  private readonly refresher: Refresher;
  readonly status: StatusHub;
  private readonly notifier: NotifyCommand;
  private pendingRestore: PendingRestore[] = [];
  /** MAIN's HEAD moved by anything but our merge, and MAIN turning dirty: alarms, traced. */
  private readonly headWatch: MainHeadWatch;
  private configIssue: string | null = null;
  private monitorStarted = false;
  /** Agents this start did not restore: the operator stopped them (`server stop`, `Q`). */
  private notRestored: { agents: string[]; by: string; at: number } | null = null;
  /** Agents' real args, for restore only (state and trace keep them redacted). */
  private readonly argsFile: AgentArgsFile | null;
  readonly briefs: BriefDesk;
  /** The merge queue and the lanes kept current (core/merge/queue-host.ts). */
  readonly mergeQueue: MergeQueue;
  private autoDispatchTimer: NodeJS.Timeout | null = null;

  private constructor(opts: SupervisorOptions) {
    super();
    this.repo = opts.repo;
    this.config = opts.config;
    this.env = opts.env ?? process.env;
    this.hooks = opts.hooks ?? null;
    this.store = opts.store ?? null;
    this.argsFile = this.store ? new AgentArgsFile(path.dirname(this.store.file)) : null;
    this.trace = opts.trace ?? null;
    this.lanes = new LaneManager(this, () => this.config);
    this.headWatch = new MainHeadWatch(this.store ? path.join(this.repo.commonDir, 'flower') : null, (e) => this.record(e), this.repo.mainRoot);
    this.status = new StatusHub({
      agent: (id) => this.agents.get(id),
      record: (e) => this.record(e),
      attention: (id, reason) => {
        this.emit('event', { type: 'attention', agent: id, reason, needsYou: true });
        this.notifier.fire(id, `${id} ${reason}`);
      },
      quiet: (id) => this.refresher.onQuiet(id),
    });
    this.notifier = new NotifyCommand(() => this.config.notify, (m) => this.notify(m, 'error'), this.env);
    const flowerDir = path.join(this.repo.commonDir, 'flower');
    this.merges = new MergeCoordinator({
      mainRoot: this.repo.mainRoot,
      stateDir: flowerDir,
      config: () => this.config,
      worktrees: () => this.worktrees,
      laneKind: (name) => this.stateWorktrees()[name]?.lane ?? 'standing',
      record: (e) => this.record(e),
      changed: () => {
        if (!this.merges.view?.running) this.mainMonitor.loadMerges();
        this.queueSnapshot();
      },
      refreshGit: () => this.refreshGit(),
      sandbox: (worktree, cwd) => this.sandboxFor(worktree, cwd),
    });
    this.mainMonitor = new MainMonitor({
      mainRoot: this.repo.mainRoot,
      stateDir: flowerDir,
      config: () => this.config,
      busy: () => Boolean(this.merges.view?.running),
      changed: () => this.queueSnapshot(),
      sandbox: () => this.sandboxFor('MAIN', this.repo.mainRoot),
    });
    this.monitor = new UsageMonitor(path.join(this.repo.commonDir, 'flower', 'sessions'), {
      waiting: (id) => {
        // A guess from the screen or transcript: agents whose hooks report say so themselves.
        if (this.agents.get(id)?.info.status.hookAt != null) return;
        this.emit('event', { type: 'attention', agent: id, reason: 'waiting for input' });
        this.refresher.onQuiet(id);
      },
      rot: (id) => void this.refresher.maybeAuto(id),
    });
    this.refresher = new Refresher(
      {
        agent: (id) => this.agents.get(id),
        record: (e) => this.record(e),
        mainBranch: () => this.worktrees.find((w) => w.isMain)?.branch ?? null,
        respawnFresh: async (id) => {
          const a = this.requireAgent(id);
          const fresh = sessionArgs(a.profile, 'fresh', null);
          await a.respawn({ extraArgs: this.argsFor(id, a.profile, fresh.args), sessionId: fresh.sessionId });
        },
        rememberRefresh: (id) => {
          const a = this.agents.get(id);
          if (!a) return;
          this.remember(a.info, a.isLive);
          this.store?.update((s) => {
            const r = s.agents.find((x) => x.id === id);
            if (r) r.refreshCount += 1;
          });
        },
        attention: (id, reason) => this.emit('event', { type: 'attention', agent: id, reason }),
        claimedBrief: (id) => this.briefs.claimedPacket(id),
      },
      this.monitor,
    );
    this.briefs = openBriefDesk({
      dir: this.store ? flowerDir : null,
      traceDir: this.trace?.dir ?? null,
      record: (e) => this.record(e),
      notify: (text) => this.notify(text, 'error'),
      agents: () => [...this.agents.values()].map((a) => a.info),
      worktrees: () => this.worktrees,
      laneKind: (name) => this.stateWorktrees()[name]?.lane ?? 'standing',
      config: () => this.config,
      send: async (agent, text, actor) => void (await this.dispatch({ type: 'send', agent, text, enter: true, timeoutMs: 60_000 }, actor)),
      addLane: async (name, o, actor) => this.lanes.add({ name, lane: 'ephemeral', kind: o.served ? 'served' : 'code-only', agents: [o.profile] }, actor),
      changed: () => this.queueSnapshot(),
    });
    this.mergeQueue = openMergeQueue({
      mainRoot: this.repo.mainRoot,
      stateDir: flowerDir,
      store: this.store,
      merges: this.merges,
      config: () => this.config,
      worktrees: () => this.worktrees,
      agents: () => [...this.agents.values()].map((a) => a.info),
      laneKind: (name) => this.stateWorktrees()[name]?.lane ?? 'standing',
      record: (e) => this.record(e),
      notify: (text, level) => this.notify(text, level),
      changed: () => this.queueSnapshot(),
      refreshGit: () => this.refreshGit(),
      send: async (agent, text) => void (await this.dispatch({ type: 'send', agent, text, enter: true, timeoutMs: 60_000 }, 'policy')),
      removeLane: async (name) => void (await this.lanes.remove(name, false, 'policy')),
      sandbox: (worktree, cwd) => this.sandboxFor(worktree, cwd),
      merged: (r) => this.afterMerge(r),
    });
  }

  /** Every merge that ends, from the queue or by hand: briefs link it; other lanes are kept current. */
  private afterMerge(r: MergeResult): void {
    this.briefs.merged(r.worktree, r.outcome, r.postMerge, r.message);
    void this.mergeQueue.afterMerge(r);
  }

  static async open(opts: SupervisorOptions): Promise<Supervisor> {
    const s = new Supervisor(opts);
    if (opts.pollMs !== 0) {
      s.pollOverride = opts.pollMs;
      s.watcher = new GitWatcher({ commonDir: s.repo.commonDir, refresh: () => s.refreshGit() });
    }
    await s.refreshGit();
    // A queue found mid-step (the server stopped during it) is re-validated before it runs on — in the
    // background: re-running an interrupted merge's health check must not hold up the server's start.
    void s.mergeQueue.start().catch((e) => s.notify(`merge queue: could not resume after the restart: ${describeError(e)}`, 'error'));
    // Auto briefs wait for an idle agent of a standing lane: look every 2 s (nothing to do costs a filter).
    s.autoDispatchTimer = setInterval(() => void s.briefs.autoDispatch(), 2000);
    s.autoDispatchTimer.unref();
    return s;
  }

  snapshot(): Snapshot {
    return {
      repo: { mainRoot: this.repo.mainRoot, commonDir: this.repo.commonDir },
      // Setup progress changes between git polls: always report the current one.
      worktrees: this.worktrees.map((w) => (w.lane ? { ...w, lane: { ...w.lane, setup: this.lanes.setupOf(w.name) } } : w)),
      agents: [...this.agents.values()].map((a) => (this.refresher.isQueued(a.info.id) ? { ...a.info, refreshQueued: true } : a.info)),
      main: this.main,
      profiles: Object.entries(this.config.profiles).map(([name, p]) => ({ name, command: p.command, description: p.description })),
      notices: this.notices,
      pendingRestore: this.pendingRestore,
      restore: {
        remembered: this.store ? this.store.data.agents.filter((r) => r.running).map((r) => r.id) : [],
        notRestored: this.notRestored,
      },
      savedFocus: this.store ? { lane: this.store.data.ui.focusLane, agent: this.store.data.ui.focusAgent } : null,
      merge: this.merges.view,
      monitor: { ...this.mainMonitor.snapshot(this.main.changed, this.agents.has(OPS_AGENT) ? OPS_AGENT : null), config: { file: this.config.source, problem: this.configIssue } },
      briefs: this.briefs.open(),
      queue: this.mergeQueue.runner.state,
    };
  }

  /** The emulator of an agent, for in-process rendering. */
  screen(agentId: string): TerminalScreen | undefined {
    return this.agents.get(agentId)?.screen;
  }

  /** Passthrough (attach) needs direct access; everything else goes through dispatch(). */
  agent(agentId: string): Agent | undefined {
    return this.agents.get(agentId);
  }

  private queueSnapshot(): void {
    if (this.snapshotQueued || this.closed) return;
    this.snapshotQueued = true;
    this.mergeQueue?.runner.poke(); // a head waiting for idle agents looks again
    // Coalesce: a burst of changes (several agents starting) becomes one snapshot event.
    queueMicrotask(() => {
      this.snapshotQueued = false;
      if (!this.closed) this.emit('event', { type: 'snapshot', snapshot: this.snapshot() });
    });
  }

  /** A line every cockpit shows (and keeps in the snapshot for cockpits that attach later). */
  notify(text: string, level: Notice['level'] = 'info'): void {
    const notice: Notice = { ts: new Date().toISOString(), level, text };
    this.notices = [...this.notices, notice].slice(-20);
    this.emit('event', { type: 'notice', notice });
    this.queueSnapshot();
  }

  /** Append to the trace; never lets a full disk or a permission error take an action down. */
  record(entry: Omit<TraceEntry, 'ts'>): void {
    try {
      this.trace?.append(entry);
    } catch (e) {
      this.emit('event', { type: 'error', message: `trace: ${describeError(e)}` });
    }
  }

  /**
   * Execute a command on behalf of `actor`. Operator-visible actions are recorded in the trace with
   * their outcome. User mistakes throw FlowerError with a one-line message.
   */
  async dispatch(cmd: SupervisorCommand, actor: TraceActor = 'operator'): Promise<AgentInfo | void> {
    // Lane commands trace their own steps (and return richer results): see LaneManager.
    if (isResultCommand(cmd)) {
      await this.laneCommand(cmd, actor);
      return;
    }
    // Agents are named as tmux names targets: exact id, unique name, unique id prefix.
    if (TARGETED.has(cmd.type) && 'agent' in cmd && typeof cmd.agent === 'string') cmd = { ...cmd, agent: this.resolveAgent(cmd.agent) } as SupervisorCommand;
    const traced = TRACED[cmd.type];
    if (!traced) return this.execute(cmd, actor);
    const target = cmd.type === 'spawn' ? cmd.worktree : 'agent' in cmd && typeof cmd.agent === 'string' ? cmd.agent : this.repo.mainRoot;
    try {
      const result = await this.execute(cmd, actor);
      this.record({ actor, action: traced, target: result && 'id' in result ? result.id : target, details: traceDetails(cmd, result ?? undefined, { sentText: this.config.trace.sentText }), outcome: 'ok' });
      return result;
    } catch (e) {
      this.record({ actor, action: traced, target, details: traceDetails(cmd, undefined, { sentText: this.config.trace.sentText }), outcome: 'error', error: describeError(e) });
      throw e;
    }
  }

  private async execute(cmd: SupervisorCommand, actor: TraceActor): Promise<AgentInfo | void> {
    switch (cmd.type) {
      case 'spawn':
        return this.spawn(cmd.worktree, cmd.profile, { name: cmd.name, args: cmd.args, cols: cmd.cols, rows: cmd.rows });
      case 'kill': {
        const a = this.requireAgent(cmd.agent);
        // Saying "killed" again would hide that it was already gone (and how it ended).
        if (!a.isLive) throw new FlowerError('agent-not-running', `${cleanForTerminal(cmd.agent)} is not running (${agentStateLabel(a.info.state)}): nothing to kill; respawn it, or remove it with x in the cockpit`);
        await a.kill();
        return a.info;
      }
      case 'respawn': {
        const a = this.requireAgent(cmd.agent);
        const profile = this.config.profiles[a.info.profile];
        const session = profile ? sessionArgs(profile, 'resume', a.info.sessionId) : { args: [], sessionId: null };
        await a.respawn({ extraArgs: this.argsFor(a.info.id, a.profile, session.args), sessionId: session.sessionId });
        this.remember(a.info, true);
        return a.info;
      }
      case 'refresh': {
        if (cmd.cancel) {
          if (!this.refresher.cancel(cmd.agent, actor)) throw new FlowerError('bad-usage', `no refresh of ${cmd.agent} is queued`);
          this.notify(`refresh of ${cmd.agent} cancelled`);
          this.queueSnapshot();
          return this.requireAgent(cmd.agent).info;
        }
        const r = await this.refresher.refresh(cmd.agent, 'manual', actor);
        if (r.outcome === 'error') throw new FlowerError('spawn-failed', `refresh of ${cmd.agent} failed: ${r.detail}`);
        if (r.outcome === 'skipped') throw new FlowerError('bad-usage', `${cmd.agent} was not refreshed: ${r.detail}`);
        this.notify(r.outcome === 'queued' ? r.detail : `${cmd.agent} refreshed: ${r.detail}`);
        this.queueSnapshot();
        const info = this.requireAgent(cmd.agent).info;
        return r.outcome === 'queued' ? { ...info, refreshQueued: true } : info;
      }
      case 'remove': {
        const a = this.requireAgent(cmd.agent);
        await a.kill();
        this.agents.delete(cmd.agent);
        this.monitor.unwatch(cmd.agent);
        this.status.forget(cmd.agent);
        a.dispose();
        this.store?.update((s) => (s.agents = s.agents.filter((r) => r.id !== cmd.agent)));
        this.argsFile?.delete(cmd.agent);
        this.queueSnapshot();
        return;
      }
      case 'restore':
        if (cmd.discard) {
          this.record({ actor, action: 'restore', target: this.repo.mainRoot, details: { discarded: this.pendingRestore.map((p) => p.id) }, outcome: 'discarded' });
          this.store?.update((s) => (s.agents = s.agents.filter((r) => !this.pendingRestore.some((p) => p.id === r.id))));
          for (const p of this.pendingRestore) this.argsFile?.delete(p.id);
          this.pendingRestore = [];
          this.queueSnapshot();
          return;
        }
        this.restore(actor, cmd.agents);
        return;
      case 'note':
        this.record({ actor, action: cmd.action, target: cmd.agent, outcome: 'ok' });
        return;
      case 'saveFocus':
        this.store?.update((s) => (s.ui = { focusLane: cmd.lane, focusAgent: cmd.agent }));
        return;
      case 'input':
        this.requireWritable(cmd.agent).write(cmd.data);
        return;
      case 'send': {
        const a = this.requireWritable(cmd.agent);
        await a.sendText(cmd.text, { enter: cmd.enter, timeoutMs: cmd.timeoutMs });
        return a.info;
      }
      case 'resize':
        this.requireAgent(cmd.agent).resize(cmd.cols, cmd.rows);
        return;
      case 'refreshWorktrees':
        await this.refreshGit();
        return;
      case 'report':
        return this.status.report(cmd.agent, cmd.state, cmd.reason ?? null, cmd.keepReason);
      case 'wait':
        return this.status.wait(cmd.agent, cmd.for, { sinceInput: cmd.sinceInput, timeoutMs: cmd.timeoutMs });
    }
  }

  /** Nothing typed ever reaches a process in MAIN (the ops process is shown, never driven). */
  private requireWritable(id: string): Agent {
    const a = this.requireAgent(id);
    if (a.info.worktree === 'MAIN') throw new FlowerError('main-read-only', 'MAIN is read-only: nothing typed reaches its processes');
    return a;
  }

  /** The MAIN monitor's health loop and the optional ops process (a profile run in MAIN, read-only for us). */
  async startMonitor(): Promise<void> {
    this.monitorStarted = true;
    this.mainMonitor.start();
    const ops = this.config.monitor.ops;
    if (ops) {
      const profile = this.config.profiles[ops];
      if (!profile) this.notify(`monitor.ops: no profile "${ops}"`, 'error');
      else await this.spawnInternal('MAIN', 'ops', profile);
    }
  }

  /** The id an operator's name for an agent means (see agent-target.ts); one-line error otherwise. */
  resolveAgent(target: string): string {
    return this.agents.has(target) ? target : resolveAgentTarget(target, [...this.agents.keys()]);
  }

  private requireAgent(id: string): Agent {
    const a = this.agents.get(id);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${cleanForTerminal(id)}" (see flower-tui status)`);
    return a;
  }

  private requireWorktree(name: string): WorktreeInfo {
    const w = this.worktrees.find((x) => x.name === name || x.path === name || x.branch === name);
    if (!w) throw new FlowerError('unknown-worktree', `no worktree "${name}" (known: ${this.worktrees.map((x) => x.name).join(', ')})`);
    return w;
  }

  /** A name unique within the worktree: "claude", then "claude-2", ... */
  private uniqueName(worktree: string, base: string): string {
    let name = base;
    // An agent waiting to be restored keeps its id: a new one must not take it (and its session).
    const taken = (id: string) => this.agents.has(id) || this.pendingRestore.some((p) => p.id === id);
    for (let i = 2; taken(`${worktree}/${name}`); i++) name = `${base}-${i}`;
    return name;
  }

  /**
   * An agent's args after the profile's own: the user's, the session's, and for Claude Code a
   * SessionStart hook (passed with --settings) that tells us its session after /clear or a resume.
   */
  private argsFor(id: string, profile: Profile, session: string[]): string[] {
    const settings =
      profile.usage?.source === 'claude' || hooksOf(profile) === 'claude'
        ? claudeSettings({ sessionFile: profile.usage?.source === 'claude' && this.monitor.sessionFileFor(id) !== null, stateCommand: this.hookCommand(profile, 'claude') })
        : null;
    const codexHooks = this.hookCommand(profile, 'codex');
    return [...(this.userArgs.get(id) ?? []), ...session, ...(settings ? ['--settings', settings] : []), ...(codexHooks ? codexHookArgs(codexHooks) : []), ...mcpArgs(profile, this.config.mcp.enabled, id)];
  }

  /** The command an agent's hooks run to report its state (null: that profile has no such hooks, or no server). */
  private hookCommand(profile: Profile, kind: 'claude' | 'codex'): string | null {
    return this.hooks && hooksOf(profile) === kind ? `${this.hooks.command} hook ${kind}` : null;
  }

  /** Variables an agent's hooks (and `flower-tui report`) use to reach us. */
  private hookEnv(id: string): Record<string, string> {
    const sessionFile = this.monitor.sessionFileFor(id);
    return { ...(sessionFile ? { FLOWER_SESSION_FILE: sessionFile } : {}), ...(this.hooks ? { FLOWER_SOCKET: this.hooks.socket } : {}) };
  }

  /** Extra args the user gave an agent (spawn --args, config), without the session args we add. */
  private readonly userArgs = new Map<string, string[]>();

  private extraArgsOf(a: Agent): string[] {
    return this.userArgs.get(a.info.id) ?? [];
  }

  /** Lane commands with their results (what the CLI prints, what the TUI shows). */
  async laneCommand(cmd: ResultCommand, actor: TraceActor): Promise<unknown> {
    switch (cmd.type) {
      case 'mergePreview':
        return this.merges.preview(cmd.worktree);
      case 'merge': {
        const r = await this.merges.merge(cmd.worktree, actor, { commitMessage: cmd.commitMessage });
        this.afterMerge(r);
        return r;
      }
      case 'brief': {
        const r = await this.briefs.execute(cmd);
        // A brief done with a lane: that lane is ready, it joins the merge queue.
        const lane = cmd.op === 'done' && this.config.briefs.queueOnDone ? (r as { brief?: { lane?: string | null } } | undefined)?.brief?.lane : null;
        if (lane && !this.mergeQueue.runner.state.entries.some((e) => e.lane === lane)) {
          try {
            await this.mergeQueue.runner.ready(lane, `brief #${(r as { brief: { id: number } }).brief.id}`, actor);
          } catch (e) {
            this.notify(`brief done, but ${lane} could not join the merge queue: ${describeError(e)}`, 'error');
          }
        }
        return r;
      }
      case 'queue':
        return executeQueueCommand(this.mergeQueue.runner, cmd, actor);
      case 'updateLane':
        return updateOne(this.mergeQueue.keeper, cmd.worktree, actor);
      case 'cancelMerge':
        return { cancelled: this.merges.cancel() };
      case 'dismissMerge':
        if (!this.merges.view?.running) this.merges.view = null;
        this.queueSnapshot();
        return null;
      case 'diff':
        return { diff: await this.merges.diff(cmd.worktree) };
      case 'addWorktree':
        return this.lanes.add(cmd, actor);
      case 'removeWorktree':
        return this.lanes.remove(cmd.name, cmd.force, actor);
      case 'checkRemoval':
        return this.lanes.checkRemoval(cmd.name);
      case 'retrySetup':
        return this.lanes.retrySetup(cmd.name, actor);
      case 'removedLanes':
        return { removed: await this.lanes.removed() };
      case 'restoreLane':
        return this.lanes.restore(cmd.name, actor);
    }
  }

  /** What state knows of each lane (kind, port, agents to start). */
  stateWorktrees(): Record<string, WorktreeRecord> {
    return this.store?.data.worktrees ?? this.memoryLanes;
  }

  /** Without a state store (tests), lanes are remembered for this process only. */
  private memoryLanes: Record<string, WorktreeRecord> = {};

  rememberLane(name: string, rec: WorktreeRecord): void {
    if (this.store) this.store.update((s) => (s.worktrees[name] = rec));
    else this.memoryLanes[name] = rec;
  }

  forgetLane(name: string): void {
    this.mergeQueue.runner.laneRemoved(name);
    if (this.store) this.store.update((s) => delete s.worktrees[name]);
    else delete this.memoryLanes[name];
  }

  /** Something in derived state changed (a lane's setup progress): tell every cockpit. */
  changed(): void {
    this.queueSnapshot();
  }

  /** Worktrees as git lists them, keeping what state already knew of each (lane kind, port). */
  private rememberWorktrees(): void {
    const known = this.stateWorktrees();
    const next: Record<string, WorktreeRecord> = {};
    for (const w of this.worktrees) {
      if (w.isMain || w.prunable) continue;
      next[w.name] = { ...(known[w.name] ?? { lane: 'standing' }), path: w.path, branch: w.branch };
    }
    if (this.store) this.store.update((s) => (s.worktrees = next));
    else this.memoryLanes = next;
  }

  /**
   * An agent with a profile of flower-tui's own making (a lane's setup run): shown and traced like any
   * agent, but not started from the config's profiles.
   */
  async spawnInternal(worktreeName: string, name: string, profile: Profile): Promise<Agent> {
    const wt = this.requireWorktree(worktreeName);
    const id = `${wt.name}/${name}`;
    const old = this.agents.get(id);
    if (old) {
      await old.kill();
      this.agents.delete(id);
      old.dispose();
    }
    const agent = new Agent({
      id, name, worktree: wt.name, profileName: name, profile, extraArgs: [], sessionId: null, cwd: wt.path,
      cols: DEFAULT_COLS, rows: DEFAULT_ROWS, scrollback: this.config.ui.scrollback, killGraceMs: this.config.agents.killGraceMs, baseEnv: this.env,
      sandbox: () => this.sandboxFor(wt.name, wt.path),
    });
    this.agents.set(id, agent);
    this.internalAgents.add(id);
    agent.on('change', () => this.queueSnapshot());
    agent.on('screen', () => this.emit('event', { type: 'screen', agent: id }));
    agent.on('output', (data: Uint8Array) => this.emit('agent-output', id, data));
    agent.on('resized', (cols: number, rows: number) => this.emit('agent-resized', id, cols, rows));
    agent.start();
    this.queueSnapshot();
    return agent;
  }

  /**
   * The sandbox of one process flower-tui starts (agent, setup, gate in a lane; ops, health in MAIN),
   * from the current config and worktrees: decided at each start, so a respawn sees new lanes.
   */
  sandboxFor(worktree: string, cwd: string, hookDirs: string[] = []): SandboxDecision {
    return planSandbox(
      {
        config: this.config.sandbox,
        mainRoot: this.repo.mainRoot,
        commonDir: this.repo.commonDir,
        worktrees: this.worktrees,
        laneKind: (name) => this.stateWorktrees()[name]?.kind ?? null,
        secretPatterns: this.config.lanes.secretPatterns,
        envPath: this.env.PATH,
      },
      { worktree, cwd, hookDirs },
    );
  }

  /** Agents of flower-tui's own (setup runs): never remembered for restore. */
  private readonly internalAgents = new Set<string>();

  /** Keep the state file's record of an agent current. */
  private remember(info: AgentInfo, running: boolean): void {
    this.store?.update((s) => {
      const i = s.agents.findIndex((r) => r.id === info.id);
      const prev = i === -1 ? null : s.agents[i]!;
      const rec = {
        id: info.id,
        name: info.name,
        worktree: info.worktree,
        profile: info.profile,
        args: this.userArgs.get(info.id) ?? [],
        cwd: info.cwd,
        sessionId: info.sessionId,
        createdAt: prev?.createdAt ?? new Date(info.startedAt).toISOString(),
        refreshCount: prev?.refreshCount ?? 0,
        running,
      };
      if (i === -1) s.agents.push(rec);
      else s.agents[i] = rec;
    });
  }

  spawn(
    worktreeName: string,
    profileName: string,
    opts: { name?: string; args?: string[]; cols?: number; rows?: number; resumeSessionId?: string | null } = {},
  ): AgentInfo {
    const wt = this.requireWorktree(worktreeName);
    if (wt.isMain) {
      // The rule that makes the whole workflow safe: MAIN only ever receives merged code.
      throw new FlowerError('main-read-only', 'MAIN is read-only: it only receives merges — start agents in a worktree');
    }
    const profile = this.config.profiles[profileName];
    if (!profile) {
      throw new FlowerError('unknown-profile', `no profile "${profileName}" (known: ${Object.keys(this.config.profiles).join(', ')})`);
    }
    // Before anything starts: a bad name must not leave a running agent behind.
    checkName('agent', opts.name ?? profileName);
    const name = this.uniqueName(wt.name, opts.name ?? profileName);
    const id = `${wt.name}/${name}`;
    const session = sessionArgs(profile, opts.resumeSessionId ? 'resume' : 'fresh', opts.resumeSessionId ?? null);
    this.userArgs.set(id, opts.args ?? []);
    this.argsFile?.set(id, opts.args ?? []);
    const sessionFile = this.monitor.sessionFileFor(id);
    const agent = new Agent({
      id,
      name,
      worktree: wt.name,
      profileName,
      profile,
      extraArgs: this.argsFor(id, profile, session.args),
      sessionId: session.sessionId,
      extraEnv: this.hookEnv(id),
      // Claude Code only: its SessionStart hook (through the server, or the session file) says its input is up.
      readyWhen: this.hookCommand(profile, 'claude') !== null || (profile.usage?.source === 'claude' && sessionFile) ? (info) => sessionStarted(info, sessionFile) : undefined,
      sandbox: () => this.sandboxFor(wt.name, wt.path, sessionFile ? [path.dirname(sessionFile)] : []),
      cwd: wt.path,
      cols: opts.cols ?? DEFAULT_COLS,
      rows: opts.rows ?? DEFAULT_ROWS,
      scrollback: this.config.ui.scrollback,
      killGraceMs: this.config.agents.killGraceMs,
      baseEnv: this.env,
    });
    this.agents.set(id, agent);
    this.status.attach(agent);
    let wasLive = true;
    let lastSession = agent.info.sessionId;
    agent.on('change', (info: AgentInfo) => {
      if (info.sessionId !== lastSession && agentIsLive(info.state)) {
        // A new conversation (/clear, a Codex rollout found): restore must resume this one.
        lastSession = info.sessionId;
        this.remember(info, true);
      }
      this.queueSnapshot();
      const live = agentIsLive(info.state);
      if (wasLive && !live && !this.shuttingDown) {
        // The agent ended (exited, killed, failed): a restart must not bring it back.
        this.remember(info, false);
        if (info.state.kind !== 'killed') this.record({ actor: 'server', action: 'exit', target: id, details: { state: agentStateLabel(info.state) }, outcome: info.state.kind });
      } else if (!wasLive && live) this.remember(info, true);
      wasLive = live;
    });
    agent.on('screen', () => this.emit('event', { type: 'screen', agent: id }));
    // Raw streams for mirrors (the server forwards them to clients); not part of SupervisorEvent.
    agent.on('output', (data: Uint8Array) => this.emit('agent-output', id, data));
    agent.on('resized', (cols: number, rows: number) => this.emit('agent-resized', id, cols, rows));
    agent.start();
    this.monitor.watch(agent);
    this.remember(agent.info, agentIsLive(agent.info.state));
    this.queueSnapshot();
    return agent.info;
  }

  /**
   * What to bring back from the state file, decided once at server start: done at once ("auto"),
   * offered to the cockpit ("ask"), or dropped ("off"). Returns whether anything was remembered.
   */
  prepareRestore(deliberateStop: { by: string; at: number } | null = null): boolean {
    if (!this.store) return false;
    if (deliberateStop) {
      // Restore is for crashes and reboots; an operator's stop is respected: forget that they ran.
      const ids = this.store.data.agents.filter((r) => r.running).map((r) => r.id);
      if (ids.length) {
        this.store.update((s) => s.agents.forEach((r) => (r.running = false)));
        this.notRestored = { agents: ids, by: deliberateStop.by, at: deliberateStop.at };
        this.record({ actor: 'server', action: 'restore', target: this.repo.mainRoot, details: { notRestored: ids, stoppedBy: deliberateStop.by, stoppedAt: new Date(deliberateStop.at).toISOString() }, outcome: 'skipped', error: 'stopped deliberately' });
        this.notify(`not restored, stopped deliberately (${deliberateStop.by}, ${new Date(deliberateStop.at).toLocaleString()}): ${ids.join(', ')} — start them again with n or flower-tui spawn`);
        this.queueSnapshot();
      }
      return this.store.data.agents.length > 0;
    }
    this.pendingRestore = planRestore(this.store.data.agents, this.worktrees, this.config.profiles, (id) => this.argsFile?.get(id));
    if (this.pendingRestore.length === 0) return this.store.data.agents.length > 0;
    if (this.config.restore === 'auto') this.restore('server');
    else if (this.config.restore === 'off') {
      void this.dispatch({ type: 'restore', discard: true }, 'server');
      return false; // as on a first run: the configured agents start fresh
    }
    else this.notify(`${this.pendingRestore.length} agent${this.pendingRestore.length === 1 ? ' was' : 's were'} running before the server stopped: restore?`);
    this.queueSnapshot();
    return true;
  }

  /** Start the pending agents (all, or those named), resuming conversations where the profile can. */
  private restore(actor: TraceActor, ids?: string[]): void {
    const todo = this.pendingRestore.filter((p) => !ids || ids.includes(p.id));
    this.pendingRestore = this.pendingRestore.filter((p) => !todo.includes(p));
    const lines: string[] = [];
    for (const p of todo) {
      const rec = this.store?.data.agents.find((r) => r.id === p.id);
      if (!rec) continue;
      if (p.how === 'missing' || p.how === 'refused') {
        // Reported, not silently dropped: the trace keeps the record, the notice tells the operator.
        lines.push(`${p.id} not restored: ${p.reason ?? 'worktree or profile missing'}`);
        this.record({
          actor,
          action: 'restore',
          target: p.id,
          details: { worktree: rec.worktree, cwd: rec.cwd, profile: rec.profile },
          outcome: p.how === 'refused' ? 'refused' : 'skipped',
          error: p.reason ?? 'worktree or profile missing',
        });
        this.store?.update((s) => (s.agents = s.agents.filter((r) => r.id !== p.id)));
        this.argsFile?.delete(p.id);
        continue;
      }
      try {
        // The real args (a secret in them included), never state.json's redacted copy.
        const args = this.argsFile?.get(rec.id) ?? [];
        const info = this.spawn(rec.worktree, rec.profile, { name: rec.name, args, resumeSessionId: p.how === 'resume' ? rec.sessionId : null });
        lines.push(`${info.id} ${p.how === 'resume' ? `resumed (session ${rec.sessionId})` : 'started fresh'}`);
        this.record({ actor, action: 'restore', target: info.id, details: { how: p.how, sessionId: info.sessionId, pid: info.pid }, outcome: 'ok' });
      } catch (e) {
        lines.push(`${p.id} not restored: ${describeError(e)}`);
        this.record({ actor, action: 'restore', target: p.id, outcome: 'error', error: describeError(e) });
      }
    }
    if (lines.length) this.notify(`restored: ${lines.join('; ')}`, lines.some((l) => l.includes('not restored')) ? 'error' : 'info');
    this.queueSnapshot();
  }

  /** Start the agents the config lists for each worktree (skipping MAIN, which never hosts agents). */
  /**
   * `sizeHint` maps the planned lanes (worktree → agent ids) to the screen size each agent will be
   * shown at, so programs draw their first screen for the right size instead of reflowing at once.
   */
  startConfiguredAgents(sizeHint?: SizeHint): { started: AgentInfo[]; errors: string[] } {
    const started: AgentInfo[] = [];
    const errors: string[] = [];
    const plan: { worktree: string; agents: { id: string; name: string; profile: string; args?: string[] }[] }[] = [];
    const taken = new Set(this.agents.keys());
    for (const wt of this.worktrees) {
      if (wt.isMain) continue;
      const agents = [];
      for (const spec of agentsForWorktree(this.config, wt)) {
        const profile = agentSpecProfile(spec);
        const base = (typeof spec === 'string' ? undefined : spec.name) ?? profile;
        let name = base;
        for (let i = 2; taken.has(`${wt.name}/${name}`); i++) name = `${base}-${i}`;
        taken.add(`${wt.name}/${name}`);
        agents.push({ id: `${wt.name}/${name}`, name, profile, args: typeof spec === 'string' ? undefined : spec.args });
      }
      plan.push({ worktree: wt.name, agents });
    }
    const existing = (w: string) => [...this.agents.values()].filter((a) => a.info.worktree === w).map((a) => a.info.id);
    const sizes = sizeHint?.(plan.map((l) => ({ name: l.worktree, agents: [...existing(l.worktree), ...l.agents.map((a) => a.id)] })));
    for (const lane of plan) {
      for (const a of lane.agents) {
        try {
          const size = sizes?.get(a.id);
          const info = this.spawn(lane.worktree, a.profile, { name: a.name, args: a.args, cols: size?.cols, rows: size?.rows });
          started.push(info);
          this.record({ actor: 'server', action: 'spawn', target: info.id, details: { ...traceDetails({ type: 'spawn', worktree: lane.worktree, profile: a.profile }, info), reason: 'config' }, outcome: 'ok' });
        } catch (e) {
          errors.push(describeError(e));
          this.record({ actor: 'server', action: 'spawn', target: a.id, details: { worktree: lane.worktree, profile: a.profile, reason: 'config' }, outcome: 'error', error: describeError(e) });
        }
      }
    }
    return { started, errors };
  }

  /**
   * Re-read worktrees and MAIN's status. A call made while a refresh is running gets one more refresh
   * after it (shared by every caller meanwhile), so when the promise resolves the state reflects git
   * as it was when refreshGit() was called, never older.
   */
  refreshGit(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.refreshing) {
      this.refreshing = this.readGit().finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    this.refreshQueued ??= this.refreshing.then(() => {
      this.refreshQueued = null;
      return this.refreshGit();
    });
    return this.refreshQueued;
  }

  private async readGit(): Promise<void> {
    this.gitReads++;
    this.quietChecks = 0;
    this.watcher?.markBaseline();
    try {
      const [base, main] = await Promise.all([listWorktrees(this.repo), readMainStatus(this.repo.mainRoot, this.ownFiles())]);
      const list = await Promise.all(base.map((w) => this.withLaneInfo(w, main.branch)));
      // A worktree removed behind our back keeps its pane while its agents live: they are still running.
      const kept = this.worktrees.filter(
        (old) => !list.some((w) => w.path === old.path) && [...this.agents.values()].some((a) => a.info.worktree === old.name && a.isLive),
      );
      const next = [...list, ...kept.map((w) => ({ ...w, prunable: true }))];
      // Watch what git now has (a new worktree, a new commit's directories) before showing it: an edit
      // made the moment a pane shows the new commit is then seen.
      await this.watcher?.update(next.filter((w) => !w.prunable).map((w) => ({ root: w.path, head: w.head, isMain: w.isMain })));
      const mainHead = next.find((w) => w.isMain)?.head ?? null;
      main.headMoved = this.headWatch.observeHead(mainHead, main.subject, this.merges.movingMain);
      this.headWatch.observeDirty(main.changed);
      const changed = JSON.stringify(next) !== JSON.stringify(this.worktrees) || JSON.stringify(main) !== JSON.stringify(this.main);
      this.worktrees = next;
      this.main = main;
      if (changed) this.rememberWorktrees();
      if (changed) this.queueSnapshot();
      if (changed) void this.briefs.lanesChanged();
    } catch (e) {
      this.emit('event', { type: 'error', message: `git: ${describeError(e)}` });
    }
    this.schedulePoll();
  }

  /**
   * The next safety poll, counted from the last refresh of any kind: with file events working it only
   * catches a missed event (slow, and mostly a few stats, no git); without them it is what keeps the
   * panes current (git read every 3 s, the old cadence).
   */
  private schedulePoll(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (!this.watcher || this.closed || this.shuttingDown) return;
    const safety = this.pollOverride ?? this.config.monitor.gitPollMs;
    const ms = this.watcher.complete ? safety : safety > 0 ? Math.min(safety, UNWATCHED_POLL_MS) : UNWATCHED_POLL_MS;
    if (ms <= 0) return;
    this.pollTimer = setTimeout(() => this.safetyPoll(), ms);
    this.pollTimer.unref();
  }

  private safetyPoll(): void {
    this.pollTimer = null;
    const w = this.watcher;
    if (!w || this.closed) return;
    if (!w.complete || w.changedSinceBaseline() || ++this.quietChecks >= FULL_READ_EVERY_CHECKS) void this.refreshGit();
    else this.schedulePoll();
  }

  /** A linked worktree plus what flower-tui knows of it: lane kind, port, ahead/behind MAIN, dirty, setup. */
  private async withLaneInfo(w: WorktreeInfo, mainBranch: string | null): Promise<WorktreeInfo> {
    if (w.isMain) return w;
    const rec = this.stateWorktrees()[w.name];
    const counts = w.branch && mainBranch && !w.prunable ? await aheadBehind(this.repo.mainRoot, mainBranch, w.branch).catch(() => null) : null;
    const dirty = w.prunable ? null : await uncommittedChanges(w.path).then((c) => c.length, () => null);
    return {
      ...w,
      lane: { lane: rec?.lane ?? 'standing', kind: rec?.kind ?? null, port: rec?.port ?? null, ahead: counts?.ahead ?? null, behind: counts?.behind ?? null, dirty, setup: this.lanes.setupOf(w.name) },
    };
  }

  /** Stop every agent (whole process trees) and stop polling. Safe to call twice. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.autoDispatchTimer) clearInterval(this.autoDispatchTimer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.watcher?.close();
    this.monitor.stop();
    this.mainMonitor.stop();
    this.mergeQueue.runner.close();
    this.merges.cancel();
    await Promise.all([...this.agents.values()].map((a) => a.kill()));
    this.store?.flush();
    this.closed = true;
    for (const a of this.agents.values()) a.dispose();
    this.agents.clear();
  }

  /** Synchronous SIGKILL of every agent tree, for process 'exit' handlers. */
  killAllNow(): void {
    for (const a of this.agents.values()) a.killNow();
  }

  liveAgents(): AgentInfo[] {
    return [...this.agents.values()].filter((a) => a.isLive).map((a) => a.info);
  }

  currentConfig(): FlowerConfig {
    return this.config;
  }

  /** flower-tui's own files in MAIN (never the dirty alarm): its config there, the lanes' include list. */
  private ownFiles(): string[] {
    const own = ['flower.config.json', this.config.lanes.includeFile];
    const src = this.config.source;
    if (src && path.dirname(src) === this.repo.mainRoot) own.push(path.basename(src));
    return own;
  }

  /** Why the config on disk is not the one in use (an invalid new file; set by the server's ConfigReload), or null. */
  get configProblem(): string | null {
    return this.configIssue;
  }

  setConfigProblem(problem: string | null): void {
    if (problem === this.configIssue) return;
    this.configIssue = problem;
    this.queueSnapshot();
  }

  /** A new (validated) config: what reads it on use (merges, lanes, spawns) gets it at once; the timers restart. */
  setConfig(config: FlowerConfig): void {
    this.config = config;
    this.schedulePoll(); // monitor.gitPollMs may have changed
    if (this.monitorStarted && !this.closed && !this.shuttingDown) {
      this.mainMonitor.stop(); // merge.health, monitor.healthEveryMs may have changed
      this.mainMonitor.start();
    }
    this.queueSnapshot();
  }
}

/**
 * Claude Code has started its session (its SessionStart hook reported, through the server or by
 * writing the session file since this process started): its input box is ready for text.
 */
function sessionStarted(info: AgentInfo, sessionFile: string | null): boolean {
  if (info.status.hookAt !== null && info.status.state !== 'starting') return true;
  if (!sessionFile) return false;
  try {
    return statSync(sessionFile).mtimeMs >= info.startedAt - 1000;
  } catch {
    return false;
  }
}

/** Which hooks report a profile's state: its own choice, else its usage source's (Claude, Codex). */
function hooksOf(profile: Profile): 'claude' | 'codex' | 'none' {
  if (profile.hooks) return profile.hooks;
  const src = profile.usage?.source;
  return src === 'claude' || src === 'codex' ? src : 'none';
}

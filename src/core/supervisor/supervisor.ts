import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { Profile } from '../../config/schema.js';
import type { Agent } from '../agents/agent.js';
import type { TerminalScreen } from '../agents/terminal-screen.js';
import type { BriefDesk } from '../briefs/brief-desk.js';
import type { CommandContext } from '../commands/context.js';
import { dispatchCommand, type ResultOf } from '../commands/table.js';
import type { RepoLocation } from '../git/repo.js';
import { LaneManager } from '../lanes/lane-manager.js';
import type { MergeCoordinator } from '../merge/merge-coordinator.js';
import type { MergeQueue } from '../merge/queue-host.js';
import type { MainMonitor } from '../monitor/main-monitor.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import type { StatusHub } from '../status/status-hub.js';
import { AgentArgsFile } from '../store/agent-args.js';
import type { StateStore, WorktreeRecord } from '../store/state-store.js';
import type { TraceActor, TraceEntry, TraceWriter } from '../store/trace.js';
import type { AgentInfo, Notice, Snapshot, SupervisorCommand } from '../types.js';
import type { UsageMonitor } from '../usage/usage-monitor.js';
import { AgentRegistry } from './agent-registry.js';
import { Background } from './background.js';
import { ConfigInUse } from './config-in-use.js';
import { startConfiguredAgents, type SizeHint } from './configured-agents.js';
import { GitSync } from './git-sync.js';
import { laneHostOf } from './lane-host-of.js';
import { LaneRecords } from './lane-records.js';
import { MainWatch } from './main-watch.js';
import type { SupervisorOptions } from './options.js';
import { Outbox } from './outbox.js';
import { processSandbox } from './process-sandbox.js';
import { Restorer } from './restore.js';
import { openServices, type Services } from './services.js';
import { buildSnapshot } from './snapshot.js';

export type { SizeHint } from './configured-agents.js';
export type { SupervisorOptions } from './options.js';

/**
 * The one object that owns flower-tui's state: worktrees, agents (ptys + emulators) and MAIN's status.
 * Commands in (plain data), events out. No UI imports: the TUI, the CLI and tests all drive it the same way.
 * Each job is its own part (this folder); this class wires them and is what the server and tests hold.
 */
export class Supervisor extends EventEmitter {
  readonly repo: RepoLocation;
  private readonly configs: ConfigInUse;
  private readonly env: NodeJS.ProcessEnv;
  private readonly store: StateStore | null;
  private readonly trace: TraceWriter | null;
  /** Agents' real args, for restore only (state and trace keep them redacted). */
  private readonly argsFile: AgentArgsFile | null;
  private readonly agents: AgentRegistry;
  private readonly git: GitSync;
  private readonly laneRecords: LaneRecords;
  private readonly restorer: Restorer;
  private readonly services: Services;
  /** MAIN's alarms (HEAD moved, dirty), its health loop and its ops process. */
  private readonly mainWatch: MainWatch;
  private readonly commands: CommandContext;
  readonly lanes: LaneManager;
  private closed = false;
  /** While stopping everything, agents keep `running: true` in state: a restart restores them. */
  private shuttingDown = false;
  /** What goes out: coalesced snapshots, notices, trace lines. */
  private readonly outbox: Outbox;
  /** The queue, auto-dispatch, git's watching, the monitors: what runs without a command. */
  private readonly background: Background;

  private constructor(opts: SupervisorOptions) {
    super();
    this.repo = opts.repo;
    this.store = opts.store ?? null;
    this.argsFile = this.store ? new AgentArgsFile(path.dirname(this.store.file)) : null;
    this.trace = opts.trace ?? null;
    this.outbox = new Outbox({
      trace: this.trace,
      emit: (event, ...args) => this.emit(event, ...args),
      closed: () => this.closed,
      snapshot: () => this.snapshot(),
      // A head waiting for idle agents looks again (the queue may not be made yet: a change during wiring).
      poke: () => this.services?.mergeQueue.runner.poke(),
    });
    const env = (this.env = opts.env ?? process.env);
    const config = () => this.configs.current;
    const changed = () => this.outbox.queueSnapshot();
    this.configs = new ConfigInUse(opts.config, changed);
    const record = (e: Omit<TraceEntry, 'ts'>) => this.record(e);
    const notify = (text: string, level?: Notice['level']) => this.notify(text, level);
    this.laneRecords = new LaneRecords(this.store);
    this.lanes = new LaneManager(laneHostOf({
      repo: this.repo, records: this.laneRecords, record, changed,
      snapshot: () => this.snapshot(),
      laneRemoved: (name) => this.mergeQueue.runner.laneRemoved(name),
      refreshGit: () => this.refreshGit(),
      spawnInternal: (worktree, name, profile) => this.spawnInternal(worktree, name, profile),
      dispatch: (cmd, actor) => this.dispatch(cmd, actor),
    }), config);
    this.mainWatch = new MainWatch({
      stateDir: this.store ? path.join(this.repo.commonDir, 'flower') : null, mainRoot: this.repo.mainRoot, config, record, notify,
      monitor: () => this.services.mainMonitor,
      movingMain: () => this.services.merges.movingMain,
      spawnOps: (profile) => this.spawnInternal('MAIN', 'ops', profile),
    });
    this.services = openServices({
      repo: this.repo, config, env, store: this.store, trace: this.trace, record, changed, notify,
      agents: () => this.agents,
      worktrees: () => this.git.worktrees,
      laneOf: (name) => this.laneRecords.laneOf(name),
      event: (e) => this.emit('event', e),
      refreshGit: () => this.refreshGit(),
      sandboxFor: (worktree, cwd) => this.sandboxFor(worktree, cwd),
      send: async (agent, text, actor) => void (await this.dispatch({ type: 'send', agent, text, enter: true, timeoutMs: 60_000 }, actor)),
      addLane: (o, actor) => this.lanes.add(o, actor),
      removeLane: async (name) => void (await this.lanes.remove(name, false, 'policy')),
    });
    this.agents = new AgentRegistry({
      config, env, record, changed, hooks: opts.hooks ?? null, store: this.store, argsFile: this.argsFile,
      monitor: this.services.monitor,
      status: this.services.status,
      requireWorktree: (name) => this.git.requireWorktree(name),
      sandboxFor: (worktree, cwd, hookDirs) => this.sandboxFor(worktree, cwd, hookDirs),
      reserved: (id) => this.restorer.pending.some((p) => p.id === id),
      stopping: () => this.shuttingDown,
      emit: (event, ...args) => this.emit(event, ...args),
    });
    this.git = new GitSync({
      repo: this.repo, config,
      laneRecord: (name) => this.laneRecords.all()[name],
      setupOf: (name) => this.lanes.setupOf(name),
      hasLiveAgentIn: (w) => this.agents.all().some((a) => a.info.worktree === w && a.isLive),
      observeMain: (head, main) => this.mainWatch.observe(head, main),
      changed: (worktrees) => {
        this.laneRecords.sync(worktrees);
        this.outbox.queueSnapshot();
        void this.services.briefs.lanesChanged();
      },
      error: (message) => this.emit('event', { type: 'error', message }),
      stopping: () => this.shuttingDown,
    });
    this.restorer = new Restorer({
      mainRoot: this.repo.mainRoot, config, store: this.store, argsFile: this.argsFile, agents: this.agents, record, changed, notify,
      worktrees: () => this.git.worktrees,
    });
    this.background = new Background(this.git, this.services, notify);
    this.commands = {
      repo: this.repo, config, agents: this.agents, services: this.services, restorer: this.restorer, lanes: this.lanes, store: this.store, record, changed, notify,
      refreshGit: () => this.refreshGit(),
      afterMerge: (r) => this.services.afterMerge(r),
    };
  }

  static async open(opts: SupervisorOptions): Promise<Supervisor> {
    const s = new Supervisor(opts);
    if (opts.pollMs !== 0) s.git.watch(opts.pollMs);
    await s.refreshGit();
    s.background.start();
    return s;
  }

  get monitor(): UsageMonitor { return this.services.monitor; }
  get merges(): MergeCoordinator { return this.services.merges; }
  get mainMonitor(): MainMonitor { return this.services.mainMonitor; }
  get status(): StatusHub { return this.services.status; }
  get briefs(): BriefDesk { return this.services.briefs; }
  /** The merge queue and the lanes kept current (core/merge/queue-host.ts). */
  get mergeQueue(): MergeQueue { return this.services.mergeQueue; }
  /** How many times git was read (tests check that an idle supervisor reads nothing). */
  get gitReads(): number { return this.git.gitReads; }

  snapshot(): Snapshot {
    return buildSnapshot({
      repo: this.repo, config: this.configs.current, worktrees: this.git.worktrees, main: this.git.main, agents: this.agents, lanes: this.lanes, services: this.services,
      notices: this.outbox.notices, restorer: this.restorer, store: this.store, configIssue: this.configs.problem,
    });
  }

  /** The emulator of an agent, for in-process rendering. */
  screen(agentId: string): TerminalScreen | undefined {
    return this.agents.get(agentId)?.screen;
  }

  /** Passthrough (attach) needs direct access; everything else goes through dispatch(). */
  agent(agentId: string): Agent | undefined {
    return this.agents.get(agentId);
  }

  /** A line every cockpit shows (and keeps in the snapshot for cockpits that attach later). */
  notify(text: string, level: Notice['level'] = 'info'): void {
    this.outbox.notify(text, level);
  }

  /** Append to the trace; never lets a full disk or a permission error take an action down. */
  record(entry: Omit<TraceEntry, 'ts'>): void {
    this.outbox.record(entry);
  }

  /**
   * Execute a command on behalf of `actor`, through the command table (core/commands/): the one path
   * for every command. Operator-visible actions are recorded in the trace with their outcome. User
   * mistakes throw FlowerError with a one-line message.
   */
  dispatch<C extends SupervisorCommand>(cmd: C, actor: TraceActor = 'operator'): Promise<ResultOf<C>> {
    return dispatchCommand(this.commands, cmd, actor);
  }

  /** The MAIN monitor's health loop and the optional ops process (see main-watch.ts). */
  startMonitor(): Promise<void> {
    return this.mainWatch.start();
  }

  /** The id an operator's name for an agent means (see agent-target.ts); one-line error otherwise. */
  resolveAgent(target: string): string {
    return this.agents.resolve(target);
  }

  spawn(worktreeName: string, profileName: string, opts: { name?: string; args?: string[]; cols?: number; rows?: number; resumeSessionId?: string | null } = {}): AgentInfo {
    return this.agents.spawn(worktreeName, profileName, opts);
  }

  spawnInternal(worktreeName: string, name: string, profile: Profile): Promise<Agent> {
    return this.agents.spawnInternal(worktreeName, name, profile);
  }

  /**
   * What to bring back from the state file, decided once at server start: done at once ("auto"),
   * offered to the cockpit ("ask"), or dropped ("off"). Returns whether anything was remembered.
   */
  prepareRestore(deliberateStop: { by: string; at: number } | null = null): boolean {
    return this.restorer.prepare(deliberateStop);
  }

  /** Start the agents the config lists for each worktree (see configured-agents.ts). */
  startConfiguredAgents(sizeHint?: SizeHint): { started: AgentInfo[]; errors: string[] } {
    return startConfiguredAgents(this.configs.current, this.git.worktrees, this.agents, (e) => this.record(e), sizeHint);
  }

  /** Re-read worktrees and MAIN's status (see GitSync.refresh: never older than the call). */
  refreshGit(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.git.refresh();
  }

  /** What state knows of each lane (kind, port, agents to start). */
  stateWorktrees(): Record<string, WorktreeRecord> {
    return this.laneRecords.all();
  }

  rememberLane(name: string, rec: WorktreeRecord): void {
    this.laneRecords.remember(name, rec);
  }

  /** The sandbox of one process flower-tui starts, decided now (see process-sandbox.ts). */
  sandboxFor(worktree: string, cwd: string, hookDirs: string[] = []): SandboxDecision {
    const laneKind = (name: string) => this.laneRecords.all()[name]?.kind ?? null;
    return processSandbox({ config: this.configs.current, repo: this.repo, worktrees: this.git.worktrees, laneKind, envPath: this.env.PATH }, worktree, cwd, hookDirs);
  }

  /** Stop every agent (whole process trees) and stop polling. Safe to call twice. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.background.stop();
    await this.agents.stopAll();
    this.store?.flush();
    this.closed = true;
    this.git.close();
    this.agents.disposeAll();
  }

  /** Synchronous SIGKILL of every agent tree, for process 'exit' handlers. */
  killAllNow(): void {
    for (const a of this.agents.all()) a.killNow();
  }

  liveAgents(): AgentInfo[] {
    return this.agents.all().filter((a) => a.isLive).map((a) => a.info);
  }

  currentConfig(): FlowerConfig {
    return this.configs.current;
  }

  /** Why the config on disk is not the one in use (an invalid new file; set by the server's ConfigReload), or null. */
  get configProblem(): string | null {
    return this.configs.problem;
  }

  setConfigProblem(problem: string | null): void {
    this.configs.setProblem(problem);
  }

  /** A new (validated) config: what reads it on use (merges, lanes, spawns) gets it at once; the timers restart. */
  setConfig(config: FlowerConfig): void {
    this.configs.replace(config);
    this.git.schedulePoll(); // monitor.gitPollMs may have changed
    if (!this.closed && !this.shuttingDown) this.mainWatch.configChanged();
    this.outbox.queueSnapshot();
  }
}

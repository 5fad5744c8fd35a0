import { EventEmitter } from 'node:events';
import type { FlowerConfig } from '../config/config.js';
import { agentSpecProfile, agentsForWorktree } from '../config/config.js';
import { Agent } from './agents/agent.js';
import type { TerminalScreen } from './agents/terminal-screen.js';
import { FlowerError, describeError } from './errors.js';
import { listWorktrees, readMainStatus, type RepoLocation } from './git/repo.js';
import type { AgentInfo, MainInfo, Snapshot, SupervisorCommand, SupervisorEvent, WorktreeInfo } from './types.js';

export interface SupervisorOptions {
  repo: RepoLocation;
  config: FlowerConfig;
  /** Environment agents inherit (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How often git is asked about worktrees and MAIN; 0 disables polling (tests refresh by command). */
  pollMs?: number;
}

/** Where each planned agent will be shown: lanes in display order → agent id → screen size. */
export type SizeHint = (lanes: { name: string; agents: string[] }[]) => Map<string, { cols: number; rows: number }>;

/** Size an agent gets before the UI has laid it out. */
const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;

/**
 * The one object that owns flower-tui's state: worktrees, agents (ptys + emulators) and MAIN's status.
 * Commands in (plain data), events out. No UI imports: the TUI, the CLI and tests all drive it the same way.
 */
export class Supervisor extends EventEmitter {
  readonly repo: RepoLocation;
  private config: FlowerConfig;
  private readonly env: NodeJS.ProcessEnv;
  private worktrees: WorktreeInfo[] = [];
  private readonly agents = new Map<string, Agent>();
  private main: MainInfo = { branch: null, headShort: null, subject: null, changes: 0, error: null };
  private snapshotQueued = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshQueued: Promise<void> | null = null;
  private closed = false;

  private constructor(opts: SupervisorOptions) {
    super();
    this.repo = opts.repo;
    this.config = opts.config;
    this.env = opts.env ?? process.env;
  }

  static async open(opts: SupervisorOptions): Promise<Supervisor> {
    const s = new Supervisor(opts);
    await s.refreshGit();
    const pollMs = opts.pollMs ?? 3000;
    if (pollMs > 0) {
      s.pollTimer = setInterval(() => void s.refreshGit(), pollMs);
      s.pollTimer.unref();
    }
    return s;
  }

  snapshot(): Snapshot {
    return {
      repo: { mainRoot: this.repo.mainRoot, commonDir: this.repo.commonDir },
      worktrees: this.worktrees,
      agents: [...this.agents.values()].map((a) => a.info),
      main: this.main,
      profiles: Object.entries(this.config.profiles).map(([name, p]) => ({ name, command: p.command, description: p.description })),
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
    // Coalesce: a burst of changes (several agents starting) becomes one snapshot event.
    queueMicrotask(() => {
      this.snapshotQueued = false;
      if (!this.closed) this.emit('event', { type: 'snapshot', snapshot: this.snapshot() });
    });
  }

  /** Execute a command. User mistakes throw FlowerError with a one-line message. */
  async dispatch(cmd: SupervisorCommand): Promise<AgentInfo | void> {
    switch (cmd.type) {
      case 'spawn':
        return this.spawn(cmd.worktree, cmd.profile, { name: cmd.name, args: cmd.args, cols: cmd.cols, rows: cmd.rows });
      case 'kill':
        await this.requireAgent(cmd.agent).kill();
        return;
      case 'respawn': {
        const a = this.requireAgent(cmd.agent);
        await a.respawn();
        return a.info;
      }
      case 'remove': {
        const a = this.requireAgent(cmd.agent);
        await a.kill();
        this.agents.delete(cmd.agent);
        a.dispose();
        this.queueSnapshot();
        return;
      }
      case 'input':
        this.requireAgent(cmd.agent).write(cmd.data);
        return;
      case 'send':
        await this.requireAgent(cmd.agent).sendText(cmd.text, { enter: cmd.enter, timeoutMs: cmd.timeoutMs });
        return;
      case 'resize':
        this.requireAgent(cmd.agent).resize(cmd.cols, cmd.rows);
        return;
      case 'refreshWorktrees':
        await this.refreshGit();
        return;
    }
  }

  private requireAgent(id: string): Agent {
    const a = this.agents.get(id);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${id}" (see flower-tui status)`);
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
    for (let i = 2; this.agents.has(`${worktree}/${name}`); i++) name = `${base}-${i}`;
    return name;
  }

  spawn(worktreeName: string, profileName: string, opts: { name?: string; args?: string[]; cols?: number; rows?: number } = {}): AgentInfo {
    const wt = this.requireWorktree(worktreeName);
    if (wt.isMain) {
      // The rule that makes the whole workflow safe: MAIN only ever receives merged code.
      throw new FlowerError('main-read-only', 'MAIN is read-only: it only receives merges — start agents in a worktree');
    }
    const profile = this.config.profiles[profileName];
    if (!profile) {
      throw new FlowerError('unknown-profile', `no profile "${profileName}" (known: ${Object.keys(this.config.profiles).join(', ')})`);
    }
    const name = this.uniqueName(wt.name, opts.name ?? profileName);
    const id = `${wt.name}/${name}`;
    const agent = new Agent({
      id,
      name,
      worktree: wt.name,
      profileName,
      profile,
      extraArgs: opts.args ?? [],
      cwd: wt.path,
      cols: opts.cols ?? DEFAULT_COLS,
      rows: opts.rows ?? DEFAULT_ROWS,
      scrollback: this.config.ui.scrollback,
      killGraceMs: this.config.agents.killGraceMs,
      baseEnv: this.env,
    });
    this.agents.set(id, agent);
    agent.on('change', () => this.queueSnapshot());
    agent.on('screen', () => this.emit('event', { type: 'screen', agent: id }));
    // Raw streams for mirrors (the server forwards them to clients); not part of SupervisorEvent.
    agent.on('output', (data: string) => this.emit('agent-output', id, data));
    agent.on('resized', (cols: number, rows: number) => this.emit('agent-resized', id, cols, rows));
    agent.start();
    this.queueSnapshot();
    return agent.info;
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
          started.push(this.spawn(lane.worktree, a.profile, { name: a.name, args: a.args, cols: size?.cols, rows: size?.rows }));
        } catch (e) {
          errors.push(describeError(e));
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
    try {
      const [list, main] = await Promise.all([listWorktrees(this.repo), readMainStatus(this.repo.mainRoot)]);
      // A worktree removed behind our back keeps its pane while its agents live: they are still running.
      const kept = this.worktrees.filter(
        (old) => !list.some((w) => w.path === old.path) && [...this.agents.values()].some((a) => a.info.worktree === old.name && a.isLive),
      );
      const next = [...list, ...kept.map((w) => ({ ...w, prunable: true }))];
      const changed = JSON.stringify(next) !== JSON.stringify(this.worktrees) || JSON.stringify(main) !== JSON.stringify(this.main);
      this.worktrees = next;
      this.main = main;
      if (changed) this.queueSnapshot();
    } catch (e) {
      this.emit('event', { type: 'error', message: `git: ${describeError(e)}` });
    }
  }

  /** Stop every agent (whole process trees) and stop polling. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    await Promise.all([...this.agents.values()].map((a) => a.kill()));
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

  setConfig(config: FlowerConfig): void {
    this.config = config;
    this.queueSnapshot();
  }
}

import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { Profile } from '../../config/schema.js';
import { FlowerError } from '../../shared/errors.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';
import { resolveAgentTarget } from '../agents/agent-target.js';
import { Agent } from '../agents/agent.js';
import { checkName } from '../agents/names.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { sessionArgs } from '../agents/session-args.js';
import type { StatusHub } from '../status/status-hub.js';
import type { AgentArgsFile } from '../store/agent-args.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceEntry } from '../store/trace.js';
import { agentIsLive, agentStateLabel, type AgentInfo, type WorktreeInfo } from '../types.js';
import type { UsageMonitor } from '../usage/usage-monitor.js';
import { hookCommand, hookEnv, launchArgs, sessionStarted } from './agent-launch-args.js';

/** Size an agent gets before the UI has laid it out. */
const DEFAULT_COLS = 80;
const DEFAULT_ROWS = 24;

/** What the registry needs of the supervisor; events go out through `emit` (the supervisor's own). */
export interface AgentRegistryHost {
  config(): FlowerConfig;
  env: NodeJS.ProcessEnv;
  hooks: { socket: string; command: string } | null;
  store: StateStore | null;
  argsFile: AgentArgsFile | null;
  monitor: UsageMonitor;
  status: StatusHub;
  requireWorktree(name: string): WorktreeInfo;
  sandboxFor(worktree: string, cwd: string, hookDirs?: string[]): SandboxDecision;
  /** An id an agent waiting to be restored keeps: a new agent must not take it (and its session). */
  reserved(id: string): boolean;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  changed(): void;
  stopping(): boolean;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

export interface SpawnOptions {
  name?: string;
  args?: string[];
  cols?: number;
  rows?: number;
  resumeSessionId?: string | null;
}

/** Every agent (pty + emulator) by id: how each is started, named, remembered for restore and found again. */
export class AgentRegistry {
  private readonly agents = new Map<string, Agent>();
  /** Extra args the user gave an agent (spawn --args, config), without the session args we add. */
  private readonly userArgs = new Map<string, string[]>();

  constructor(private readonly host: AgentRegistryHost) {}

  get(id: string): Agent | undefined {
    return this.agents.get(id);
  }

  has(id: string): boolean {
    return this.agents.has(id);
  }

  ids(): string[] {
    return [...this.agents.keys()];
  }

  all(): Agent[] {
    return [...this.agents.values()];
  }

  infos(): AgentInfo[] {
    return this.all().map((a) => a.info);
  }

  /** The id an operator's name for an agent means (see agent-target.ts); one-line error otherwise. */
  resolve(target: string): string {
    return this.agents.has(target) ? target : resolveAgentTarget(target, this.ids());
  }

  require(id: string): Agent {
    const a = this.agents.get(id);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${cleanForTerminal(id)}" (see flower-tui status)`);
    return a;
  }

  /** Nothing typed ever reaches a process in MAIN (the ops process is shown, never driven). */
  requireWritable(id: string): Agent {
    const a = this.require(id);
    if (a.info.worktree === 'MAIN') throw new FlowerError('main-read-only', 'MAIN is read-only: nothing typed reaches its processes');
    return a;
  }

  spawn(worktreeName: string, profileName: string, opts: SpawnOptions = {}): AgentInfo {
    const { host } = this;
    const config = host.config();
    const wt = host.requireWorktree(worktreeName);
    if (wt.isMain) {
      // The rule that makes the whole workflow safe: MAIN only ever receives merged code.
      throw new FlowerError('main-read-only', 'MAIN is read-only: it only receives merges — start agents in a worktree');
    }
    const profile = config.profiles[profileName];
    if (!profile) {
      throw new FlowerError('unknown-profile', `no profile "${profileName}" (known: ${Object.keys(config.profiles).join(', ')})`);
    }
    // Before anything starts: a bad name must not leave a running agent behind.
    checkName('agent', opts.name ?? profileName);
    const name = this.uniqueName(wt.name, opts.name ?? profileName);
    const id = `${wt.name}/${name}`;
    const session = sessionArgs(profile, opts.resumeSessionId ? 'resume' : 'fresh', opts.resumeSessionId ?? null);
    this.userArgs.set(id, opts.args ?? []);
    host.argsFile?.set(id, opts.args ?? []);
    const sessionFile = host.monitor.sessionFileFor(id);
    const agent = new Agent({
      id,
      name,
      worktree: wt.name,
      profileName,
      profile,
      extraArgs: this.argsFor(id, profile, session.args),
      sessionId: session.sessionId,
      extraEnv: hookEnv(host, id),
      // Claude Code only: its SessionStart hook (through the server, or the session file) says its input is up.
      readyWhen: hookCommand(host, profile, 'claude') !== null || (profile.usage?.source === 'claude' && sessionFile) ? (info) => sessionStarted(info, sessionFile) : undefined,
      sandbox: () => host.sandboxFor(wt.name, wt.path, sessionFile ? [path.dirname(sessionFile)] : []),
      cwd: wt.path,
      cols: opts.cols ?? DEFAULT_COLS,
      rows: opts.rows ?? DEFAULT_ROWS,
      scrollback: config.ui.scrollback,
      killGraceMs: config.agents.killGraceMs,
      baseEnv: host.env,
    });
    this.agents.set(id, agent);
    host.status.attach(agent);
    let wasLive = true;
    let lastSession = agent.info.sessionId;
    agent.on('change', (info: AgentInfo) => {
      if (info.sessionId !== lastSession && agentIsLive(info.state)) {
        // A new conversation (/clear, a Codex rollout found): restore must resume this one.
        lastSession = info.sessionId;
        this.remember(info, true);
      }
      const live = agentIsLive(info.state);
      if (wasLive && !live && !host.stopping()) {
        // The agent ended (exited, killed, failed): a restart must not bring it back.
        this.remember(info, false);
        if (info.state.kind !== 'killed') host.record({ actor: 'server', action: 'exit', target: id, details: { state: agentStateLabel(info.state) }, outcome: info.state.kind });
      } else if (!wasLive && live) this.remember(info, true);
      wasLive = live;
    });
    this.start(agent);
    host.monitor.watch(agent);
    this.remember(agent.info, agentIsLive(agent.info.state));
    host.changed();
    return agent.info;
  }

  /**
   * An agent with a profile of flower-tui's own making (a lane's setup run, MAIN's ops process): shown
   * and traced like any agent, but not started from the config's profiles nor remembered for restore.
   */
  async spawnInternal(worktreeName: string, name: string, profile: Profile): Promise<Agent> {
    const { host } = this;
    const config = host.config();
    const wt = host.requireWorktree(worktreeName);
    const id = `${wt.name}/${name}`;
    const old = this.agents.get(id);
    if (old) {
      await old.kill();
      this.agents.delete(id);
      old.dispose();
    }
    const agent = new Agent({
      id, name, worktree: wt.name, profileName: name, profile, extraArgs: [], sessionId: null, cwd: wt.path,
      cols: DEFAULT_COLS, rows: DEFAULT_ROWS, scrollback: config.ui.scrollback, killGraceMs: config.agents.killGraceMs, baseEnv: host.env,
      sandbox: () => host.sandboxFor(wt.name, wt.path),
    });
    this.agents.set(id, agent);
    this.start(agent);
    host.changed();
    return agent;
  }

  /** The wiring every agent gets, written once: its changes, screens and raw streams go out as events. */
  private start(agent: Agent): void {
    const id = agent.info.id;
    agent.on('change', () => this.host.changed());
    agent.on('screen', () => this.host.emit('event', { type: 'screen', agent: id }));
    // Raw streams for mirrors (the server forwards them to clients); not part of SupervisorEvent.
    agent.on('output', (data: Uint8Array) => this.host.emit('agent-output', id, data));
    agent.on('resized', (cols: number, rows: number) => this.host.emit('agent-resized', id, cols, rows));
    agent.start();
  }

  /** Start an agent again (same id, same user args), with these session args. */
  async respawn(a: Agent, session: { args: string[]; sessionId: string | null }): Promise<void> {
    await a.respawn({ extraArgs: this.argsFor(a.info.id, a.profile, session.args), sessionId: session.sessionId });
  }

  /** Stop an agent and forget it: no pane, no state record, no args kept. */
  async remove(id: string): Promise<void> {
    const a = this.require(id);
    await a.kill();
    this.agents.delete(id);
    this.host.monitor.unwatch(id);
    this.host.status.forget(id);
    a.dispose();
    this.host.store?.update((s) => (s.agents = s.agents.filter((r) => r.id !== id)));
    this.host.argsFile?.delete(id);
  }

  /** Stop every agent (whole process trees), then let go of them. */
  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((a) => a.kill()));
  }

  disposeAll(): void {
    for (const a of this.agents.values()) a.dispose();
    this.agents.clear();
  }

  /** A name unique within the worktree: "claude", then "claude-2", ... */
  private uniqueName(worktree: string, base: string): string {
    let name = base;
    const taken = (id: string) => this.agents.has(id) || this.host.reserved(id);
    for (let i = 2; taken(`${worktree}/${name}`); i++) name = `${base}-${i}`;
    return name;
  }

  /** An agent's args after the profile's own (see agent-launch-args.ts). */
  private argsFor(id: string, profile: Profile, session: string[]): string[] {
    return launchArgs(this.host, id, profile, this.userArgs.get(id) ?? [], session);
  }

  /** Keep the state file's record of an agent current. */
  remember(info: AgentInfo, running: boolean): void {
    this.host.store?.update((s) => {
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
}

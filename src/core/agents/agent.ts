import { EventEmitter } from 'node:events';
import type { Profile } from '../../config/schema.js';
import type { AgentInfo, AgentState } from '../types.js';
import { agentEnv } from './agent-env.js';
import { initialAgentInfo, type AgentSpawnSpec } from './agent-spec.js';
import { killProcessTree, killProcessTreeNow } from './process-tree.js';
import { nextProcessTag } from './process-tag.js';
import { statusForProcessState, signalName } from './process-state.js';
import { spawnPty, type Pty } from './pty-backend.js';
import { respawnSeparator } from './respawn-separator.js';
import { sendText } from './send-text.js';
import { planStart } from './start-plan.js';
import { TerminalScreen } from './terminal-screen.js';
import { applyObservation, type StatusObservation } from '../status/agent-status.js';
import { blockingDialog } from '../status/screen-dialog.js';
import { completeUtf8Length } from './utf8-boundary.js';
import { redactArgs } from '../store/redact.js';
import type { AgentHistory, AgentView } from '../backend/agent-view.js';

export type { AgentSpawnSpec } from './agent-spec.js';

/** Past this many unparsed bytes the pty is paused: the program waits, instead of our memory. */
const PAUSE_BACKLOG = 1024 * 1024;
/** ...and resumed once the emulator is down to this. */
const RESUME_BACKLOG = 128 * 1024;

/**
 * One pty-backed process and its emulator. Emits 'change' when its info changes and 'screen' when its
 * screen may have changed. The emulator outlives the process so an exited agent's last screen stays
 * readable, and a respawn continues in the same emulator below a separator.
 */
export class Agent extends EventEmitter implements AgentView {
  readonly screen: TerminalScreen;
  private pty: Pty | null = null;
  private killRequested = false;
  private info_: AgentInfo;
  /** While attached, the real terminal answers the program's queries, not our emulator. */
  private repliesEnabled = true;
  private exitWaiters: (() => void)[] = [];
  /** When the program last printed (activity detection, send readiness). */
  lastOutputAt = 0;
  /**
   * The args the program really gets. `info.args` is their redacted form: info goes to every client,
   * `status --json`, the pane header and the trace, and a `--api-key=…` must reach none of them.
   */
  private argv: string[];
  /** The current process's tag (process-tag.ts): how its double-forked leftovers are found. */
  private tag: string | null = null;
  /** Killing what an exited program left in its session; kill() (and so shutdown) waits for it. */
  private sweeping: Promise<void> | null = null;

  constructor(private readonly spec: AgentSpawnSpec) {
    super();
    // Archived: an agent's emulator lives as long as the agent and holds its whole history.
    this.screen = new TerminalScreen(spec.cols, spec.rows, spec.scrollback, { archive: true });
    this.screen.onReply((data) => {
      if (this.repliesEnabled) this.pty?.write(data);
    });
    this.argv = [...spec.profile.args, ...spec.extraArgs];
    this.info_ = initialAgentInfo(spec, this.argv, this.screen);
  }

  get info(): AgentInfo {
    return this.info_;
  }

  get isLive(): boolean {
    return this.pty !== null;
  }

  private setState(state: AgentState, patch: Partial<AgentInfo> = {}): void {
    const before = this.info_.status;
    const status = statusForProcessState(before, state);
    this.info_ = { ...this.info_, ...patch, state, status };
    if (status !== before) this.emit('status', this.info_, before);
    this.emit('change', this.info_);
  }

  /** Evidence of what the agent is doing (a hook report, a screen or transcript guess): see core/status. */
  observe(obs: StatusObservation): boolean {
    const before = this.info_.status;
    const next = applyObservation(before, obs);
    if (!next) return false;
    this.info_ = { ...this.info_, status: next };
    if (next.state !== before.state || next.reason !== before.reason || next.source !== before.source) this.emit('status', this.info_, before);
    this.emit('change', this.info_);
    return true;
  }

  /** When text was last typed into the agent by flower-tui (send, keys): `wait --since-input`. */
  lastInputAt = 0;

  /** Start the process. Failures become a visible `failed` state, never an exception. */
  start(): void {
    if (this.pty) return;
    this.killRequested = false;
    const tag = nextProcessTag();
    const plan = planStart({ cwd: this.spec.cwd, command: this.spec.profile.command, profileName: this.spec.profileName, argv: this.argv, env: this.env, profileEnv: this.spec.profile.env, sandbox: this.spec.sandbox, tag });
    if (plan.kind === 'failed') {
      this.feed(plan.note);
      this.setState({ kind: 'failed', reason: plan.reason }, plan.patch);
      return;
    }
    const { sandbox } = plan;
    let p: Pty;
    try {
      p = spawnPty(plan.file, plan.args, { cwd: this.spec.cwd, env: plan.env, cols: this.info_.cols, rows: this.info_.rows });
    } catch (e) {
      this.setState({ kind: 'failed', reason: (e as Error).message.split('\n')[0] ?? 'spawn failed' }, { pid: null });
      return;
    }
    this.pty = p;
    this.tag = tag;
    this.setState({ kind: 'starting' }, { pid: p.pid, startedAt: Date.now(), ...sandbox });
    let sawOutput = false;
    let held: Buffer | null = null;
    let paused = false;
    // Raw bytes, end to end (see pty-backend): strings only if node-pty stopped giving us Buffers.
    (p.onData as unknown as (fn: (data: Buffer | string) => void) => void)((raw) => {
      const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      if (!sawOutput) {
        sawOutput = true;
        // "running" once the program has shown signs of life; before that it may still be loading.
        if (this.pty === p) this.setState({ kind: 'running' });
      }
      this.lastOutputAt = Date.now();
      const data = held ? Buffer.concat([held, chunk]) : chunk;
      const whole = completeUtf8Length(data);
      held = whole < data.length ? Buffer.from(data.subarray(whole)) : null;
      if (whole === 0) return;
      this.feed(whole < data.length ? data.subarray(0, whole) : data);
      if (!paused && this.screen.backlog > PAUSE_BACKLOG && this.pty === p) {
        // A flooding program outruns the emulator: stop reading its pty (it blocks in write, as
        // under any terminal) until the backlog is parsed. Ctrl-C then acts on what is on screen,
        // not on megabytes still queued, and memory stays bounded.
        paused = true;
        p.pause();
        const resumeWhenDrained = () => {
          if (this.pty !== p) return;
          if (this.screen.backlog > RESUME_BACKLOG) return void this.screen.write('', resumeWhenDrained);
          paused = false;
          p.resume();
        };
        this.screen.write('', resumeWhenDrained);
      }
    });
    p.onExit(({ exitCode, signal }) => {
      if (this.pty !== p) return;
      this.pty = null;
      // The program is gone but what it left in its session (nohup'd jobs, SIGHUP-ignoring
      // children) is not. Sweep it now, while those processes still pin the session id.
      if (!this.killRequested) {
        const sweep = killProcessTree(p.pid, this.spec.killGraceMs, tag, { sandboxed: this.info_.sandbox === 'bwrap' }).finally(() => {
          if (this.sweeping === sweep) this.sweeping = null;
        });
        this.sweeping = sweep;
      }
      const state: AgentState = this.killRequested
        ? { kind: 'killed' }
        : { kind: 'exited', code: exitCode, signal: signal ? signalName(signal) : null };
      this.setState(state, { pid: null });
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const w of waiters) w();
    });
    // A quiet program (a shell waiting at its prompt prints at once; some agents do not) is still
    // running: promote it after a short while so the header does not say "starting" forever.
    setTimeout(() => {
      if (this.pty === p && this.info_.state.kind === 'starting') this.setState({ kind: 'running' });
    }, 1500).unref();
  }

  /** Usage, activity, session or refresh count changed (from probes and the refresher). */
  patchInfo(patch: Partial<Pick<AgentInfo, 'usage' | 'activity' | 'sessionId' | 'refreshCount'>>): void {
    const next = { ...this.info_, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.info_)) return;
    this.info_ = next;
    this.emit('change', this.info_);
  }

  get profile(): Profile {
    return this.spec.profile;
  }

  get env(): Record<string, string> {
    return { ...agentEnv(this.spec.baseEnv, this.spec.profile.env, { agent: this.spec.id, worktree: this.spec.worktree }), ...(this.spec.extraEnv ?? {}) };
  }

  /** A line of flower-tui's own in this agent's screen (and its mirrors), e.g. how a lane setup ended. */
  showNote(text: string): void {
    this.feed(text);
  }

  /**
   * Everything shown in the emulator goes through here and is also emitted as 'output', so mirrors of
   * this screen (a server's clients) see exactly the same byte stream (always whole UTF-8 characters).
   */
  private feed(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // 'output' first: a client's mirror should not wait for our parse (it parses on its own).
    this.emit('output', bytes);
    this.screen.write(bytes, () => this.emit('screen'));
  }

  write(data: string): void {
    this.lastInputAt = Date.now();
    this.pty?.write(data);
  }

  /**
   * Type text into the agent once it is ready (running, and quiet for a moment so a starting TUI has
   * drawn its input box): keys sent earlier would be lost. Multi-line text goes as one bracketed
   * paste when the program asked for bracketed paste, so it is not submitted line by line.
   */
  sendText(text: string, opts: { enter: boolean; timeoutMs?: number }): Promise<void> {
    return sendText(
      this,
      { readyWhen: this.spec.readyWhen, bracketedPaste: () => this.screen.term.modes.bracketedPasteMode, dialogShown: () => blockingDialog(this.screen.visibleText()) !== null },
      text,
      opts,
    );
  }

  resize(cols: number, rows: number): void {
    this.screen.resize(Math.max(1, Math.floor(cols)), Math.max(1, Math.floor(rows)));
    const c = this.screen.cols;
    const r = this.screen.rows;
    if (c === this.info_.cols && r === this.info_.rows) return;
    try {
      this.pty?.resize(c, r);
    } catch {
      // The pty closed between our check and the ioctl: the exit handler will report it.
    }
    this.info_ = { ...this.info_, cols: c, rows: r };
    this.emit('resized', c, r);
    this.emit('change', this.info_);
    this.emit('screen');
  }

  setRepliesEnabled(on: boolean): void {
    this.repliesEnabled = on;
  }

  onOutput(fn: (data: Uint8Array) => void): () => void {
    this.on('output', fn);
    return () => this.off('output', fn);
  }

  /**
   * The scrollback, once what arrived so far is parsed: the emulator itself while xterm holds all
   * of it, else (part is in its archive) a copy that holds it all, row by row, for scroll mode and search.
   */
  async history(): Promise<AgentHistory> {
    await new Promise<void>((r) => this.screen.write('', r));
    if (!this.screen.archived) return { screen: this.screen, release: () => {} };
    const s = this.screen;
    const copy = new TerminalScreen(s.cols, s.rows, Math.max(1, s.historyRows));
    await new Promise<void>((r) => copy.write(s.serialize(), r));
    return { screen: copy, release: () => copy.dispose() };
  }

  /** Terminate the whole process tree (SIGHUP/SIGTERM, SIGKILL after the grace period) and wait for exit. */
  async kill(): Promise<void> {
    const p = this.pty;
    if (!p) {
      await this.sweeping;
      return;
    }
    this.killRequested = true;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    await killProcessTree(p.pid, this.spec.killGraceMs, this.tag ?? undefined, { sandboxed: this.info_.sandbox === 'bwrap' });
    // node-pty reports exit once the child is reaped; if that lags, do not hang shutdown on it.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  /** Last-resort synchronous kill for process exit paths. */
  killNow(): void {
    if (this.pty) killProcessTreeNow(this.pty.pid, [], this.tag ?? undefined);
  }

  /**
   * Kill (if running) and start again with the same profile and cwd. `next` replaces the extra args
   * and session (a respawn continues the conversation; a refresh starts a new one).
   */
  async respawn(next?: { extraArgs: string[]; sessionId: string | null }): Promise<void> {
    await this.kill();
    if (next) {
      this.argv = [...this.spec.profile.args, ...next.extraArgs];
      this.info_ = { ...this.info_, args: redactArgs(this.argv), sessionId: next.sessionId };
    }
    this.feed(respawnSeparator(new Date().toLocaleTimeString()));
    this.info_ = { ...this.info_, respawns: this.info_.respawns + 1 };
    this.start();
  }

  dispose(): void {
    this.killNow();
    this.screen.dispose();
    this.removeAllListeners();
  }
}

import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import type { Profile } from '../../config/schema.js';
import { agentStateLabel, type AgentInfo, type AgentState } from '../types.js';
import { FlowerError } from '../../shared/errors.js';
import { agentEnv } from './agent-env.js';
import { resolveCommand } from './command-path.js';
import { killProcessTree, killProcessTreeNow } from './process-tree.js';
import { nextProcessTag, PROCESS_TAG_VAR } from './process-tag.js';
import { spawnPty, type Pty } from './pty-backend.js';
import { TerminalScreen } from './terminal-screen.js';
import { applyObservation, initialStatus, type StatusObservation } from '../status/agent-status.js';
import { completeUtf8Length } from './utf8-boundary.js';
import { redactArgs } from '../store/redact.js';
import { wrapCommand } from '../sandbox/bwrap-args.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import type { AgentHistory, AgentView } from '../backend.js';

export interface AgentSpawnSpec {
  id: string;
  name: string;
  worktree: string;
  profileName: string;
  profile: Profile;
  /** Extra args after the profile's own (session args included). */
  extraArgs: string[];
  sessionId: string | null;
  /** Variables of flower-tui's own for this agent (e.g. where its session hook writes). */
  extraEnv?: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
  scrollback: number;
  killGraceMs: number;
  baseEnv: NodeJS.ProcessEnv;
  /**
   * How this process is sandboxed, decided at every start (lanes come and go between respawns).
   * None: unsandboxed (flower-tui's own tests of the pty layer).
   */
  sandbox?: () => SandboxDecision;
  /**
   * Its hooks report its state (Claude Code's SessionStart says when its input is ready): text sent
   * to it waits for that report, not only for a quiet screen (a TUI can pause before drawing its input).
   */
  readyWhen?: (info: AgentInfo) => boolean;
}

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
    this.screen = new TerminalScreen(spec.cols, spec.rows, spec.scrollback);
    this.screen.onReply((data) => {
      if (this.repliesEnabled) this.pty?.write(data);
    });
    this.argv = [...spec.profile.args, ...spec.extraArgs];
    this.info_ = {
      id: spec.id,
      name: spec.name,
      worktree: spec.worktree,
      profile: spec.profileName,
      command: spec.profile.command,
      args: redactArgs(this.argv),
      cwd: spec.cwd,
      state: { kind: 'starting' },
      pid: null,
      // The emulator has the last word on sizes (xterm's minimum is 2 columns): pty and info follow it.
      cols: this.screen.cols,
      rows: this.screen.rows,
      startedAt: Date.now(),
      respawns: 0,
      sessionId: spec.sessionId,
      usage: { source: spec.profile.usage?.source ?? 'none', tokens: null, window: null, percent: null, level: 'unknown', compacted: false, file: null, updatedAt: null },
      activity: 'unknown',
      status: initialStatus(),
      refreshCount: 0,
      sandbox: 'none',
      sandboxReason: null,
    };
  }

  get info(): AgentInfo {
    return this.info_;
  }

  get isLive(): boolean {
    return this.pty !== null;
  }

  private setState(state: AgentState, patch: Partial<AgentInfo> = {}): void {
    const before = this.info_.status;
    let status = before;
    if (state.kind === 'starting') status = applyObservation(before, { state: 'starting', source: 'process' }) ?? before;
    else if (state.kind === 'running') {
      // Signs of life say nothing about what it is doing, and never override what a hook said.
      if (before.state === 'starting' && before.hookAt === null) status = applyObservation(before, { state: 'running', source: 'process' }) ?? before;
    } else status = applyObservation(before, processStatus(state)) ?? before;
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
    let env: Record<string, string> = this.env;
    if (!isDirectory(this.spec.cwd)) {
      const reason = `no such directory: ${this.spec.cwd}`;
      this.feed(`\x1b[31m${reason}\x1b[0m\r\n\x1b[2mThe worktree was removed; remove this agent or recreate the worktree.\x1b[0m\r\n`);
      this.setState({ kind: 'failed', reason }, { pid: null });
      return;
    }
    const decision = this.spec.sandbox?.() ?? null;
    if (decision?.kind === 'refused') {
      // sandbox.mode "required" and no working bubblewrap: nothing runs unprotected.
      this.feed(`\x1b[31m${decision.reason}\x1b[0m\r\n\x1b[2mOr set sandbox.mode to "auto" in your flower-tui config to run unsandboxed.\x1b[0m\r\n`);
      this.setState({ kind: 'failed', reason: decision.reason }, { pid: null, sandbox: 'none', sandboxReason: decision.reason });
      return;
    }
    // The tag goes in after the sandbox's filter: kill and the watchdog find the processes by it.
    env = { ...(decision ? decision.env(env, this.spec.profile.env) : env), [PROCESS_TAG_VAR]: tag };
    const file = resolveCommand(this.spec.profile.command, env.PATH, this.spec.cwd);
    if (!file) {
      const reason = `command not found: ${this.spec.profile.command}`;
      // Say it in the pane too: the header is one truncated line, the pane has room for what to do.
      this.feed(`\x1b[31m${reason}\x1b[0m\r\n\x1b[2mInstall it, or fix profile "${this.spec.profileName}" in your flower-tui config.\x1b[0m\r\n`);
      this.setState({ kind: 'failed', reason }, { pid: null });
      return;
    }
    // The sandbox wraps the program itself (bwrap … -- file args): an argument vector, no shell.
    const run = decision?.kind === 'bwrap' ? wrapCommand(decision.bwrap, decision.args, file, this.argv) : { file, args: this.argv };
    const sandbox = { sandbox: decision?.kind === 'bwrap' ? ('bwrap' as const) : ('none' as const), sandboxReason: decision?.kind === 'none' ? decision.reason : null };
    let p: Pty;
    try {
      p = spawnPty(run.file, run.args, { cwd: this.spec.cwd, env, cols: this.info_.cols, rows: this.info_.rows });
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
  async sendText(text: string, opts: { enter: boolean; timeoutMs?: number }): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    const QUIET_MS = 400;
    const ENTER_WAIT_MS = 1500;
    for (;;) {
      const s = this.info_.state;
      if (s.kind !== 'starting' && s.kind !== 'running') {
        throw new FlowerError('agent-not-running', `${this.info_.id} is not running (${agentStateLabel(s)})`);
      }
      const hookSaysReady = !this.spec.readyWhen || this.spec.readyWhen(this.info_);
      // A TUI that says it is ready by hook still draws its input box after the hook: a longer quiet.
      const quiet = this.spec.readyWhen ? 1000 : QUIET_MS;
      // A prompt the agent said it shows (a permission dialog, its input box) or a dialog seen on its
      // screen counts as drawn once it has been up that long, even if the TUI keeps redrawing a spinner.
      const st = this.info_.status;
      const atPrompt = st.state === 'needs-you' || (st.state === 'idle' && st.source === 'hook');
      const settled = atPrompt && Date.now() - Date.parse(st.since) >= quiet;
      if (s.kind === 'running' && hookSaysReady && (settled || Date.now() - this.lastOutputAt >= quiet)) break;
      if (Date.now() > deadline) throw new FlowerError('agent-not-running', `${this.info_.id} did not become ready in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const body = text.replace(/\r?\n/g, '\r');
    const paste = text.includes('\n') && this.screen.term.modes.bracketedPasteMode;
    const typedAt = Date.now();
    this.write(paste ? `\x1b[200~${body}\x1b[201~` : body);
    if (opts.enter) {
      // TUIs treat a CR that comes with the text as part of it: Claude Code one in the same read as a
      // paste, Codex one within its paste-burst window (quick keys are a paste, shown only once the
      // burst is over; an Enter during it is a newline). So Enter goes once the agent has drawn the
      // text (its output after the write), at most ENTER_WAIT_MS later, then after a short gap.
      const deadline = typedAt + ENTER_WAIT_MS;
      while (this.lastOutputAt <= typedAt && Date.now() < deadline && this.pty) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, paste ? 150 : 30));
      this.write('\r');
    }
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

  /** The emulator itself has the scrollback: wait until what arrived so far is parsed. */
  async history(): Promise<AgentHistory> {
    await new Promise<void>((r) => this.screen.write('', r));
    return { screen: this.screen, release: () => {} };
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
    // Keep the old output above a separator: what the agent said before may be exactly what the
    // operator needs. Undo what the old program left behind without moving the cursor, since both
    // resets home it: DECSTBM (CSI r) always does, and leaving the alternate screen (?1049l)
    // restores the cursor saved on entry, which is row 1 when there was no entry. So each is
    // wrapped in save/restore (DECSC/DECRC; the saved cursor is per buffer).
    const keepCursor = (seq: string): string => `\x1b7${seq}\x1b8`;
    const leaveAltScreen = '\x1b7\x1b[?1049l';
    this.feed(`\x1b[0m${keepCursor('\x1b[r')}${leaveAltScreen}${keepCursor('\x1b[r')}\r\n\x1b[2m── respawned ${new Date().toLocaleTimeString()} ──\x1b[0m\r\n`);
    this.info_ = { ...this.info_, respawns: this.info_.respawns + 1 };
    this.start();
  }

  dispose(): void {
    this.killNow();
    this.screen.dispose();
    this.removeAllListeners();
  }
}

function processStatus(state: AgentState): StatusObservation {
  switch (state.kind) {
    case 'exited':
      return { state: 'exited', reason: state.signal ?? String(state.code), source: 'process' };
    case 'failed':
      return { state: 'failed', reason: state.reason, source: 'process' };
    default:
      return { state: state.kind === 'killed' ? 'killed' : 'running', source: 'process' };
  }
}

function signalName(n: number): string {
  const names: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM' };
  return names[n] ?? `signal ${n}`;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

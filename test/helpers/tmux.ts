// End-to-end test helper: run a program in a pane of a private tmux server, type into it and
// read its screen the way a person would see it. Only node built-ins; no shell strings anywhere
// (every tmux call is an argv array), so quoting can never change what a test means.
//
//   const s = TmuxSession.start({ command: ['node', 'bin/flower-tui.js'], cols: 100, rows: 30 });
//   try { await s.waitFor(/MAIN/); s.sendKeys('Tab'); s.typeText('hi'); ... } finally { s.kill(); }
//
// Notes on tmux behaviour this relies on (tmux >= 3.0, tested with 3.3a):
// - `-L <name> -f /dev/null` gives each session its own server and no user config.
// - remain-on-exit is set before the program starts, so a program that exits at once still
//   leaves its last screen, and #{pane_dead_status} to read.
// - tmux 3.3a sometimes never notices that a pane's program exited (a lost SIGCHLD: the child
//   stays a zombie and #{pane_dead_status} stays empty). paneExitStatus() works around it by
//   sending SIGCHLD to the server, which makes it reap all its children.
// - When tmux learns the exit status of a remain-on-exit pane it scrolls the screen up one line
//   and writes remain-on-exit-format on the last row. capture() undoes that (see there).
// - In tmux's argv, an argument ending in ';' ends the command (the ';' is dropped) and a final
//   '\;' becomes ';'. tmux() escapes every argument, so text like 'a;' is typed as-is.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TmuxStartOptions {
  /** argv of the program; run directly (execvp), never through a shell */
  command: string[];
  cols: number;
  rows: number;
  /**
   * Changes to the program's environment: a string sets the variable, undefined removes it.
   * CI and CONTINUOUS_INTEGRATION are removed unless given here (Ink draws nothing in CI).
   */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** remain-on-exit-format: the exact text tmux writes on a dead pane's last row. */
const DEAD_MARK = '[tmux:dead]';
/** Separates tmux commands in one invocation (every other argument gets ';'-escaped). */
const SEP: unique symbol = Symbol('tmux command separator');
type TmuxArg = string | typeof SEP;
const POLL_MS = 50;
const live = new Set<TmuxSession>();
let counter = 0;

// Never leave tmux servers behind, even when a test forgets kill() or throws before it.
process.once('exit', () => {
  for (const s of live) s.kill();
});

/** Environment for tmux itself: drop TMUX/TMUX_PANE so an outer tmux can't leak into targets. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function matches(screen: string, pattern: RegExp | string): boolean {
  if (typeof pattern === 'string') return screen.includes(pattern);
  pattern.lastIndex = 0; // a /g or /y regex keeps state between test() calls
  return pattern.test(screen);
}

export class TmuxSession {
  private dead = false;

  private constructor(
    /** the -L socket name of this session's private server */
    readonly socket: string,
    /** the pane id (like %0), used as the target of every command */
    readonly pane: string,
    /** the socket file, removed by kill(): tmux 3.3a leaves it behind in /tmp/tmux-UID */
    private readonly socketPath: string,
  ) {}

  static start(opts: TmuxStartOptions): TmuxSession {
    if (opts.command.length === 0) throw new Error('TmuxSession.start: empty command');
    if (!(opts.cols > 0 && opts.rows > 0)) throw new Error(`TmuxSession.start: bad size ${opts.cols}x${opts.rows}`);
    const changes: Record<string, string | undefined> = { CI: undefined, CONTINUOUS_INTEGRATION: undefined, ...opts.env };

    // The pane inherits the server's environment, and the server is started by this call, so
    // give tmux the final environment; also pass it as `env -u X Y=z cmd...`, which holds even
    // if the server's global environment differs (and makes argv > 1 word, so no `sh -c`).
    const serverEnv = baseEnv();
    const envArgs: string[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) {
        delete serverEnv[key];
        envArgs.push('-u', key);
      } else {
        serverEnv[key] = value;
      }
    }
    for (const [key, value] of Object.entries(changes)) if (value !== undefined) envArgs.push(`${key}=${value}`);
    const argv = ['/usr/bin/env', ...envArgs, ...opts.command];

    const socket = `flower-test-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;
    const size = ['-x', String(opts.cols), '-y', String(opts.rows)];
    // One tmux invocation: start the server, set global options *before* the program runs,
    // then create the session. exit-empty off: the server must not quit between start-server and
    // new-session (kill() stops it). status off: every row belongs to the pane.
    const out = tmux(socket, serverEnv, [
      'start-server', SEP,
      'set-option', '-g', 'exit-empty', 'off', SEP,
      'set-option', '-g', 'status', 'off', SEP,
      'set-option', '-g', 'default-size', `${opts.cols}x${opts.rows}`, SEP,
      'set-option', '-g', 'remain-on-exit', 'on', SEP,
      'set-option', '-g', 'remain-on-exit-format', DEAD_MARK, SEP,
      'new-session', '-d', '-P', '-F', '#{pane_id} #{socket_path}', '-s', 'test', ...size,
      ...(opts.cwd ? ['-c', opts.cwd] : []), ...argv,
    ]);
    const [pane = '', socketPath = ''] = out.trim().split(/ (.*)/s);
    const session = new TmuxSession(socket, pane, socketPath);
    live.add(session);
    try {
      // Make the size explicit and fixed: resize-window also sets this window's window-size to
      // manual. (Setting `-g window-size manual` before new-session crashes the tmux 3.3a server.)
      session.run(['resize-window', '-t', session.pane, ...size]);
    } catch (e) {
      session.kill();
      throw e;
    }
    return session;
  }

  /** Run a tmux command against this session's server; returns stdout. */
  run(args: TmuxArg[]): string {
    return tmux(this.socket, baseEnv(), args);
  }

  private format(fmt: string): string {
    return this.run(['display-message', '-p', '-t', this.pane, fmt]).replace(/\n$/, '');
  }

  /**
   * The screen as text, one line per row joined by '\n' (tmux trims trailing spaces); ansi: keep
   * SGR colours/attributes. After the program exits this is still its last screen: tmux then
   * scrolls everything up a row to write DEAD_MARK at the bottom, so we read one history line
   * too (in the same tmux call, so nothing can change in between) and drop the mark.
   */
  capture(opts: { ansi?: boolean } = {}): string {
    const out = this.run([
      'display-message', '-p', '-t', this.pane, '#{pane_dead} #{history_size}', SEP,
      'capture-pane', '-p', ...(opts.ansi ? ['-e'] : []), '-S', '-1', '-t', this.pane,
    ]);
    const lines = out.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const [dead, historySize] = (lines.shift() ?? '').split(' ');
    const hasHistory = Number(historySize) > 0;
    const history = hasHistory ? lines.shift() ?? '' : undefined; // -S -1 adds it only if one exists
    const bottom = (lines.at(-1) ?? '').replace(/\x1b\[[0-9;:]*m/g, '');
    if (dead === '1' && history !== undefined && bottom === DEAD_MARK) return [history, ...lines.slice(0, -1)].join('\n');
    return lines.join('\n');
  }

  /** tmux key names: Enter, Tab, BTab, Escape, Up, C-q, M-x, F1... (unknown names are typed). */
  sendKeys(...keys: string[]): void {
    if (keys.length) this.run(['send-keys', '-t', this.pane, ...keys]);
  }

  /** Type text literally (no key-name lookup). */
  typeText(text: string): void {
    if (text) this.run(['send-keys', '-t', this.pane, '-l', '--', text]);
  }

  /** Resolve with the screen once it matches; on timeout, throw with the last screen. */
  waitFor(pattern: RegExp | string, opts: WaitOptions = {}): Promise<string> {
    return this.poll(pattern, true, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /** Resolve with the screen once it no longer matches; on timeout, throw with the last screen. */
  waitForGone(pattern: RegExp | string, opts: WaitOptions = {}): Promise<string> {
    return this.poll(pattern, false, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  private async poll(pattern: RegExp | string, want: boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (matches(screen, pattern) === want) return screen;
      if (Date.now() >= deadline) {
        const what = want ? 'appear' : 'go away';
        let status = '';
        try {
          if (this.paneDead()) status = ` (pane is dead, exit status ${this.paneExitStatus() ?? 'unknown'})`;
        } catch {
          /* the screen is what matters in this message */
        }
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${String(pattern)} to ${what}${status}; last screen:\n` +
            `----- screen -----\n${screen}\n------------------`,
        );
      }
      await sleep(POLL_MS);
    }
  }

  /** pid of the program in the pane (env execs it, so this is the program itself). */
  panePid(): number {
    return Number(this.format('#{pane_pid}'));
  }

  paneDead(): boolean {
    return this.format('#{pane_dead}') === '1';
  }

  /** Exit code of the pane's program; null while it runs or when it was killed by a signal. */
  paneExitStatus(): number | null {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [dead, status, signal] = this.format('#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}').split('|');
      if (dead !== '1') return null;
      if (status) return Number(status);
      if (signal) return null;
      // Dead (pty closed) but not yet reaped: prod the server into calling waitpid (see top).
      const serverPid = Number(this.format('#{pid}'));
      try {
        process.kill(serverPid, 'SIGCHLD');
      } catch {
        /* server gone: the loop's next tmux call will throw a clear error */
      }
      sleepSync(25);
    }
    return null;
  }

  /** Resize the window (and so the pane) to exactly cols x rows; the program gets SIGWINCH. */
  resize(cols: number, rows: number): void {
    this.run(['resize-window', '-t', this.pane, '-x', String(cols), '-y', String(rows)]);
  }

  /** Stop the private server and everything in it. Safe to call more than once. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    live.delete(this);
    spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'kill-server'], { env: baseEnv(), stdio: 'ignore', timeout: 5000 });
    if (this.socketPath.includes(this.socket)) rmSync(this.socketPath, { force: true });
  }
}

function tmux(socket: string, env: NodeJS.ProcessEnv, args: TmuxArg[]): string {
  const argv = args.map((a) => (a === SEP ? ';' : a.endsWith(';') ? `${a.slice(0, -1)}\\;` : a));
  const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...argv], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
  });
  if (r.error) throw new Error(`tmux ${argv[0] ?? ''} failed: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`tmux ${argv.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** True while pid exists and is not a zombie (an exited child nobody has reaped yet). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else. ESRCH (or anything else): gone.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ...": comm may contain spaces and parens, so take the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // Unreadable: it exited between the two checks, unless there is no /proc at all (not Linux),
    // where kill(pid, 0) is all we have.
    return !existsSync('/proc/self/stat');
  }
}

/** Poll cond until it is true; throws after timeoutMs (default 10 s) with message. */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() >= deadline) {
      throw new Error(`waitUntil timed out after ${timeoutMs} ms${opts.message ? `: ${opts.message}` : ''}`);
    }
    await sleep(opts.intervalMs ?? POLL_MS);
  }
}

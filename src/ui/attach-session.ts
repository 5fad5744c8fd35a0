import type { AgentView, OwnTty } from '../core/backend/cockpit-backend.js';
import { findDetachKey } from './input/key-tokens.js';

/** Modes an agent may have switched on in the real terminal; all are switched off on detach. */
export const RESET_AGENT_MODES =
  '\x1b[<u' + // kitty keyboard protocol: pop
  '\x1b[>4;0m' + // modifyOtherKeys off
  '\x1b[?1004l' + // focus events
  '\x1b[?2004l' + // bracketed paste
  '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l' + // mouse
  '\x1b[?1l\x1b>' + // application cursor / keypad
  '\x1b[?7h\x1b[?25h\x1b[0m\x1b[r';

/** An answer from the real terminal to a query the agent made before we attached (CPR, DA). */
const TERMINAL_REPLY = /^\x1b\[[?>]?[\d;]*[Rcn]$/;

export interface AttachIo {
  write(data: string | Uint8Array): void;
  /** The real terminal's device, when the server may write to it directly (remote backend, a real tty). */
  tty?: OwnTty | null;
  cols(): number;
  rows(): number;
}

/**
 * Full-screen passthrough to one agent: its screen is repainted from the emulator, then bytes flow
 * both ways untouched until the detach key. The agent keeps feeding its emulator, so the grid is
 * current again the moment we detach.
 */
export class AttachSession {
  private readonly startedAt = Date.now();
  private live = false;
  private pending: string[] = [];
  /** The server writes the agent's output to the terminal itself (handed over): we must not. */
  private direct = false;
  private handing: Promise<boolean> | null = null;
  private readonly onOutput = (data: Uint8Array) => {
    if (this.live && !this.direct) this.io.write(data);
  };
  private unsubscribe: (() => void) | null = null;
  private unsubscribeReload: (() => void) | null = null;
  private disposed = false;

  constructor(
    readonly agent: AgentView,
    private readonly io: AttachIo,
    private readonly detachLetter: string,
    private readonly onDetach: (reason: 'key') => void,
  ) {}

  async start(): Promise<void> {
    const a = this.agent;
    a.setRepliesEnabled(false);
    this.unsubscribe = a.onOutput(this.onOutput);
    // The mirror was reloaded from the server (we fell behind and missed bytes, or a resize reflowed
    // the screen): what the terminal shows is no longer certain, so paint the screen again.
    this.unsubscribeReload = a.onReload?.(() => {
      // (Not while the server writes: its stream is the terminal's, and it repaints on its own.)
      if (this.live && !this.direct) this.io.write('\x1b[2J\x1b[H\x1b[0m' + a.screen.paint(0));
    }) ?? null;
    this.io.write('\x1b[?1049l\x1b[?1000l\x1b[?1006l\x1b[?2004l');
    a.resize(this.io.cols(), this.io.rows());
    await this.settle();
    if (this.disposed) return;
    // The screen with its scrollback, current up to now (so the terminal's own scrollback has the
    // agent's history); output from here on is piped live: no gap, nothing shown twice.
    const history = await a.history().catch(() => null);
    if (this.disposed) return history?.release();
    const screen = history?.screen ?? a.screen;
    // Leave the terminal's own scrollback alone (as tmux does): no ESC[3J, and no ESC[2J either
    // (most terminals drop the cleared rows). Scrolling the visible rows up instead keeps what
    // was on the screen before the cockpit in the scrollback, above the agent's history.
    const rows = this.io.rows();
    this.io.write(`\x1b[0m\x1b[${rows};1H${'\n'.repeat(rows)}\x1b[H\x1b[?7h` + screen.paint());
    history?.release();
    this.live = true;
    for (const p of this.pending) this.input(p);
    this.pending = [];
    // Live: the server may take over writing the agent's output to the terminal (the echo's hop).
    if (this.io.tty && a.handOver && !this.disposed) this.handing = a.handOver(this.io.tty, (on) => (this.direct = on));
  }

  /**
   * Give the program a moment to redraw for its new size: until it is not mid-frame (synchronized
   * output off) and has been quiet for 80 ms, at most 250 ms.
   */
  private async settle(): Promise<void> {
    const started = Date.now();
    let lastOutput = Date.now();
    const stop = this.agent.onOutput(() => (lastOutput = Date.now()));
    try {
      while (Date.now() - started < 250 && !this.disposed) {
        const quiet = Date.now() - lastOutput >= 80;
        if (quiet && !this.agent.screen.term.modes.synchronizedOutputMode) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      stop();
    }
  }

  /** Raw input from the real terminal. */
  input(data: string): void {
    if (this.disposed) return;
    if (!this.live) {
      this.pending.push(data);
      return;
    }
    // Answers to queries the program sent before we attached are for the emulator, not the program.
    if (Date.now() - this.startedAt < 300 && TERMINAL_REPLY.test(data)) return;
    const hit = findDetachKey(data, this.detachLetter);
    if (!hit) {
      this.agent.write(data);
      return;
    }
    if (hit[0] > 0) this.agent.write(data.slice(0, hit[0]));
    this.onDetach('key');
  }

  resize(): void {
    if (!this.disposed) this.agent.resize(this.io.cols(), this.io.rows());
  }

  /**
   * Stop piping and hand the real terminal back (the caller repaints the grid once this resolves:
   * a server writing to the terminal has stopped, and its last bytes are out, by then).
   */
  dispose(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.disposed = true;
    this.unsubscribe?.();
    this.unsubscribeReload?.();
    if (!this.handing) return Promise.resolve(this.finish());
    return this.handing.then((handed) => (handed && this.agent.takeBack ? this.agent.takeBack() : undefined)).then(() => this.finish());
  }

  /** The same, at once (exit paths): the server's writes end when this process's connection does. */
  disposeNow(): void {
    if (this.disposed) return;
    void this.dispose();
    if (this.handing) this.finish();
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.direct = false;
    this.agent.setRepliesEnabled(true);
    this.io.write(RESET_AGENT_MODES);
  }
}

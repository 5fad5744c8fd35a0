import fs from 'node:fs';
import tty from 'node:tty';
import type { TerminalScreen } from '../core/agents/terminal-screen.js';

/** Past this much unwritten output the terminal is not keeping up: skip ahead to a repaint once it drains. */
export const TTY_BEHIND_BYTES = 1024 * 1024;
const TTY_PATH = /^\/dev\/(pts\/\d+|tty[A-Za-z0-9]*)$/;

/**
 * The client's terminal, opened by the server: only a character device that is the one the client
 * named (its rdev), owned by this user, at a terminal's path. A one-line Error otherwise.
 */
export function openClientTty(path: string, rdev: number): tty.WriteStream {
  if (!TTY_PATH.test(path)) throw new Error(`${path} is not a terminal's path`);
  const st = fs.statSync(path);
  if (!st.isCharacterDevice()) throw new Error(`${path} is not a terminal`);
  if (st.uid !== process.getuid?.()) throw new Error(`${path} belongs to another user`);
  if (st.rdev !== rdev) throw new Error(`${path} is not the client's terminal`);
  // O_NOCTTY: the server (a session leader of its own) must never acquire it as its controlling terminal.
  const fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
  // Re-check on the descriptor: the path could have been replaced between the stat and the open.
  const opened = fs.fstatSync(fd);
  if (opened.rdev !== rdev || opened.uid !== process.getuid?.()) {
    fs.closeSync(fd);
    throw new Error(`${path} changed while it was opened`);
  }
  const stream = new tty.WriteStream(fd);
  const handle = (stream as unknown as { _handle?: { fd?: number; setBlocking?(on: boolean): number } })._handle;
  // libuv reopens a pty's slave for its own handle (so its non-blocking mode is not shared with the
  // client's): our descriptor is then a spare, and would outlive the stream.
  if (typeof handle?.fd === 'number' && handle.fd >= 0 && handle.fd !== fd) fs.closeSync(fd);
  // Node makes a tty stream blocking (for a process's own stdout); here a slow terminal must never
  // stall the server, whose loop serves every agent: non-blocking, so a backlog shows in writableLength.
  handle?.setBlocking?.(false);
  return stream;
}

/**
 * One attached client's terminal, written by the server with one agent's output (issue 20: the
 * echo no longer passes through the client). Never two writers: the client stops writing at the
 * `ttyOpened` mark and the server starts at `ttyGo` (held until then), and on `ttyClose` the server
 * stops and answers once its bytes are out. A terminal that falls behind gets the screen repainted
 * when it drains instead of an unbounded queue.
 */
export class DirectTty {
  private live = false;
  private pending: Buffer[] = [];
  private behind = false;
  private closed = false;
  /** Bytes before the hand-over never reached the client (it lagged): start from a repaint. */
  repaintFirst = false;

  constructor(
    readonly agent: string,
    private readonly stream: tty.WriteStream,
    private readonly screen: () => TerminalScreen | undefined,
    private readonly gone: (why: string) => void,
  ) {
    stream.on('error', (e) => {
      // The terminal went away (EIO: it was closed): stop writing; the client learns it its own way.
      this.destroy();
      this.gone(e.message);
    });
    stream.on('drain', () => {
      if (this.behind && !this.closed) this.repaint();
    });
  }

  /** The client has written everything before the mark: from now on the server writes. */
  go(): void {
    if (this.closed || this.live) return;
    if (this.repaintFirst) {
      this.repaintFirst = false;
      return this.repaint();
    }
    this.live = true;
    const held = this.pending;
    this.pending = [];
    for (const b of held) this.put(b);
  }

  output(data: Uint8Array): void {
    if (this.closed) return;
    if (!this.live) return void this.pending.push(Buffer.from(data));
    if (this.behind) return; // skipped: the repaint after the drain shows where it got to
    this.put(data);
  }

  private put(data: Uint8Array): void {
    this.stream.write(data);
    if (this.stream.writableLength > TTY_BEHIND_BYTES) this.behind = true;
  }

  /** The screen as it is now, then the bytes that follow it (held meanwhile, so none is lost or doubled). */
  private repaint(): void {
    const screen = this.screen();
    if (!screen) return;
    this.live = false;
    screen.write('', () => {
      if (this.closed) return;
      this.behind = false;
      this.stream.write(`\x1b[2J\x1b[H\x1b[0m${screen.paint(0)}`);
      this.go();
    });
  }

  /** Stop writing; resolves once every byte written is out of this process (then the client writes again). */
  close(): Promise<void> {
    this.closed = true;
    this.pending = [];
    return new Promise((resolve) => {
      const done = () => {
        this.stream.destroy();
        resolve();
      };
      if (this.stream.writableLength === 0 || this.stream.destroyed) return done();
      const timer = setTimeout(done, 2000); // a terminal that never drains must not hold the detach
      this.stream.once('drain', () => {
        clearTimeout(timer);
        done();
      });
    });
  }

  /** The client is gone: stop at once (its terminal is the next program's now). */
  destroy(): void {
    this.closed = true;
    this.pending = [];
    this.stream.destroy();
  }
}

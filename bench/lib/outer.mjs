// The outer terminal: a pty the bench drains, with escape-stripped text and an optional parsed screen
// to wait on.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { onCleanup } from './cleanup.mjs';
import { COLS, ROOT, ROWS } from './options.mjs';
import { killPid } from './proc.mjs';

const { Terminal } = xtermHeadless;

/** Strips escape sequences from a terminal byte stream (latin1 text), keeping printable text. */
export class Stripper {
  state = 0;
  feed(s) {
    let out = '';
    let start = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.state === 0) {
        if (c >= 0x20 && c !== 0x7f) {
          if (start < 0) start = i;
          continue;
        }
        if (start >= 0) {
          out += s.slice(start, i);
          start = -1;
        }
        if (c === 0x1b) this.state = 1;
        else if (c === 0x0a) out += '\n';
        continue;
      }
      if (this.state === 1) this.state = c === 0x5b ? 2 : c === 0x5d || c === 0x50 || c === 0x5f || c === 0x5e ? 3 : c >= 0x20 && c <= 0x2f ? 5 : 0;
      else if (this.state === 2) {
        if (c >= 0x40 && c <= 0x7e) this.state = 0;
      } else if (this.state === 3) {
        if (c === 0x07) this.state = 0;
        else if (c === 0x1b) this.state = 4;
      } else if (this.state === 4) this.state = c === 0x5c ? 0 : 3;
      else if (this.state === 5) {
        if (c >= 0x30) this.state = 0;
      }
    }
    if (start >= 0) out += s.slice(start);
    return out;
  }
}

const CLEAR_SEQS = [Buffer.from('\x1b[2J'), Buffer.from('\x1b[3J')];

/**
 * A program running in an outer pty that the bench drains as fast as it can (a terminal that is never
 * slow). Counts bytes and clear-screens; optionally keeps an xterm of what the program drew.
 */
export class Outer {
  constructor(file, args, { cols = COLS, rows = ROWS, cwd = ROOT, env = process.env, screen = false } = {}) {
    this.cols = cols;
    this.rows = rows;
    this.bytes = 0;
    this.clears = 0;
    this.tail = Buffer.alloc(0);
    this.listeners = new Set();
    this.exited = false;
    this.spawnedAt = performance.now();
    this.p = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd, env, encoding: null });
    this.pid = this.p.pid;
    this.exit = new Promise((r) => this.p.onExit((e) => ((this.exited = true), r(e))));
    this.term = screen ? new Terminal({ cols, rows, scrollback: 0, allowProposedApi: true, logLevel: 'off' }) : null;
    this.screenOn = screen;
    this.screenWaiters = new Set();
    this.p.onData((buf) => this.onData(buf));
    onCleanup(() => this.kill());
  }

  onData(buf) {
    const t = performance.now();
    this.bytes += buf.length;
    const joined = this.tail.length ? Buffer.concat([this.tail, buf]) : buf;
    const from = Math.max(0, this.tail.length - 3);
    for (const seq of CLEAR_SEQS) for (let i = joined.indexOf(seq, from); i >= 0; i = joined.indexOf(seq, i + 1)) this.clears++;
    for (const fn of this.listeners) fn(buf, t, joined, this.tail.length);
    this.tail = joined.length > 1024 ? Buffer.from(joined.subarray(joined.length - 1024)) : joined === buf ? Buffer.from(buf) : joined;
    if (this.term && this.screenOn) {
      this.term.write(buf, () => {
        for (const w of [...this.screenWaiters]) {
          if (w.pred(this.screenText())) {
            this.screenWaiters.delete(w);
            w.resolve(t);
          }
        }
      });
    }
  }

  screenText() {
    const b = this.term.buffer.active;
    const out = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** Resolves with the arrival time of the chunk after which the parsed screen satisfies pred. */
  waitScreen(pred, timeoutMs = 10_000, what = 'screen') {
    if (!this.term) throw new Error('no screen on this outer terminal');
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      const timer = setTimeout(() => {
        this.screenWaiters.delete(w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.screenText()}`));
      }, timeoutMs);
      // Already true? Check after whatever is queued in the emulator is parsed.
      this.term.write('', () => {
        if (!this.screenWaiters.has(w)) return;
        if (pred(this.screenText())) {
          this.screenWaiters.delete(w);
          w.resolve(performance.now());
        }
      });
      this.screenWaiters.add(w);
    });
  }

  /** Resolves with the arrival time of the chunk whose printable text (escapes stripped) contains `text`. */
  waitText(text, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const st = new Stripper();
      let acc = '';
      const fn = (buf, t) => {
        acc += st.feed(buf.toString('latin1'));
        if (acc.includes(text)) {
          this.listeners.delete(fn);
          clearTimeout(timer);
          resolve(t);
        } else if (acc.length > 4096) acc = acc.slice(-2048);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(fn);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${text}" in the output`));
      }, timeoutMs);
      this.listeners.add(fn);
    });
  }

  /**
   * Cheap end-marker detection for bulk output: a raw search for its last 4 bytes, then a check of the
   * printable text around it (the marker's cells may be interleaved with cursor moves).
   */
  waitMarker(marker, timeoutMs) {
    const key = Buffer.from(marker.slice(-4));
    return new Promise((resolve, reject) => {
      const fn = (buf, t, joined, tailLen) => {
        for (let i = joined.indexOf(key, Math.max(0, tailLen - key.length + 1)); i >= 0; i = joined.indexOf(key, i + 1)) {
          const win = joined.subarray(Math.max(0, i - 600), i + key.length).toString('latin1');
          if (new Stripper().feed(win).includes(marker)) {
            this.listeners.delete(fn);
            clearTimeout(timer);
            resolve(t);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(fn);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the end marker ${marker}`));
      }, timeoutMs);
      this.listeners.add(fn);
    });
  }

  write(s) {
    if (!this.exited) this.p.write(s);
  }

  kill(sig = 'SIGKILL') {
    if (this.exited) return;
    killPid(this.pid, sig);
  }

  async close() {
    if (!this.exited) {
      this.kill('SIGTERM');
      await Promise.race([this.exit, sleep(3000)]);
      this.kill('SIGKILL');
    }
    this.term?.dispose();
    this.term = null;
  }
}

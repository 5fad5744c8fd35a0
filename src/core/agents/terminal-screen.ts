import xtermHeadless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import unicode11Addon from '@xterm/addon-unicode11';

// Both packages are CommonJS bundles; named ESM imports of them fail at run time under Node.
const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;
const { Unicode11Addon } = unicode11Addon;
export type XTerm = InstanceType<typeof Terminal>;

/** xterm's write queue (internal): how much is waiting, and its own switch for parsing at once. */
interface XtermWriteQueue {
  _writeBuffer: unknown[];
  _pendingData: number;
  _didUserInput: boolean;
}

/**
 * One agent's terminal emulator: every byte its pty prints goes through here, so the screen is
 * right (colours, cursor addressing, alternate screen) whether or not anyone is looking at it.
 */
export class TerminalScreen {
  readonly term: XTerm;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private readonly queue: XtermWriteQueue | null;
  /** Pending bytes when xterm's own count is out of reach (see write). */
  private pending = 0;

  constructor(cols: number, rows: number, scrollback: number, opts: { convertEol?: boolean } = {}) {
    // allowProposedApi: reading term.buffer throws without it. logLevel off: parser warnings would
    // otherwise be printed with console.* straight into the UI. Scrollback at least 1: with 0,
    // xterm 6 can throw mid-parse after a resize (found by fuzzing resizes and writes).
    this.term = new Terminal({ cols: Math.max(1, cols), rows: Math.max(1, rows), scrollback: Math.max(1, scrollback), allowProposedApi: true, logLevel: 'off', convertEol: opts.convertEol ?? false });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
    // Unicode 11 widths (emoji such as ✨ or 🚀 are two columns), as terminals and string-width
    // (Ink, agents' own TUIs) count them: with xterm's default (Unicode 6) a wide character took one
    // cell, so everything right of it on the row (a pane's right border) moved one column left.
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    const q = (this.term as unknown as { _core?: { _writeBuffer?: Partial<XtermWriteQueue> } })._core?._writeBuffer;
    this.queue = q && Array.isArray(q._writeBuffer) && typeof q._pendingData === 'number' && typeof q._didUserInput === 'boolean' ? (q as XtermWriteQueue) : null;
  }

  get cols(): number {
    return this.term.cols;
  }
  get rows(): number {
    return this.term.rows;
  }

  /**
   * Parse `data`. When nothing is queued it is parsed now, in this call (and `done` runs before it
   * returns): xterm would otherwise wait for a timer (≥ 1 ms in Node) on every write, which is most
   * of a keystroke's echo latency and a timer per spinner frame. xterm does exactly this itself for
   * writes that follow user input; we reuse that switch. Writes while others are queued, and the
   * rest of a write too large for one 12 ms slice, go the usual asynchronous way, in order.
   */
  write(data: string | Uint8Array, done?: () => void): void {
    if (this.queue) {
      if (this.queue._writeBuffer.length === 0) this.queue._didUserInput = true;
      this.term.write(data, done);
      return;
    }
    // xterm's internals moved: count what is pending ourselves, so producers can still pause.
    const n = data.length;
    this.pending += n;
    this.term.write(data, () => {
      this.pending -= n;
      done?.();
    });
  }

  /** Bytes (or UTF-16 units) written but not parsed yet: a producer should pause while this is large. */
  get backlog(): number {
    return this.queue ? this.queue._pendingData : this.pending;
  }

  /** Whether writes are parsed synchronously when nothing is queued (false if xterm's internals changed). */
  get parsesSynchronously(): boolean {
    return this.queue !== null;
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(1, cols);
    const r = Math.max(1, rows);
    if (c !== this.term.cols || r !== this.term.rows) this.term.resize(c, r);
  }

  /** A private OSC code (flower-tui's own markers, e.g. setup progress): invisible to the user. */
  onOsc(code: number, fn: (data: string) => void): { dispose(): void } {
    return this.term.parser.registerOscHandler(code, (data) => {
      fn(data);
      return true;
    });
  }

  /** Replies the emulator owes the program (cursor position reports, device attributes). */
  onReply(fn: (data: string) => void): { dispose(): void } {
    return this.term.onData(fn);
  }

  /** Escape sequences that recreate the current screen (and scrollback) in another terminal. */
  serialize(scrollback?: number): string {
    return penResetBeforeAltScreen(this.serializer.serialize(scrollback === undefined ? undefined : { scrollback })) + this.serializeState();
  }

  /**
   * The screen (and `scrollback` lines of history) as a real terminal should show it: serialize(),
   * plus the cursor shown again when the program left it visible (a terminal may have it hidden).
   * What an attach paints, and what the server repaints on a terminal that fell behind.
   */
  paint(scrollback?: number): string {
    return this.serialize(scrollback) + (this.cursorHidden ? '\x1b[?25l' : '\x1b[?25h');
  }

  /**
   * What serialize() leaves out but a mirror loaded from it needs to carry on exactly like this
   * emulator: a hidden cursor (DECTCEM) and the position DECSC saved (DECRC is common in prompts
   * and status lines). Part of serialize()'s output.
   */
  private serializeState(): string {
    const b = (this.term as unknown as { _core?: { buffer?: { x: number; y: number; ybase: number; savedX?: number; savedY?: number } } })._core?.buffer;
    let s = '';
    if (b && typeof b.savedY === 'number' && (b.savedX || b.savedY)) {
      const sy = b.savedY - b.ybase;
      if (sy >= 0 && sy < this.rows) s += `\x1b[${sy + 1};${(b.savedX ?? 0) + 1}H\x1b7\x1b[${b.y + 1};${Math.min(b.x, this.cols - 1) + 1}H`;
    }
    if (this.cursorHidden) s += '\x1b[?25l';
    return s;
  }

  /** Whether the program asked to hide its cursor (DECTCEM); not in xterm's public API yet. */
  get cursorHidden(): boolean {
    const core = (this.term as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core;
    return core?.coreService?.isCursorHidden ?? false;
  }

  /** Plain text of the visible rows, trailing blanks trimmed: for tests, search and screen probes. */
  visibleText(): string[] {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
    return out;
  }

  dispose(): void {
    this.term.dispose();
  }
}

const ALT_SCREEN_SWITCH = '\x1b[?1049h\x1b[H';

/**
 * The serializer ends each buffer by setting the pen the program last chose (right at the very
 * end), but it does so after the normal buffer too, and then draws the alternate buffer's cells as
 * if the pen were default: with vim, whose pen is bold+reverse after its status line, the first
 * rows of every attach and mirror came out bold+reverse until vim's first reset. A reset before
 * the switch makes the alternate buffer start from the default pen it assumes. (Cells never hold
 * ESC, so the only occurrence is the switch itself.)
 */
export function penResetBeforeAltScreen(serialized: string): string {
  const i = serialized.indexOf(ALT_SCREEN_SWITCH);
  return i === -1 ? serialized : `${serialized.slice(0, i)}\x1b[0m${serialized.slice(i)}`;
}

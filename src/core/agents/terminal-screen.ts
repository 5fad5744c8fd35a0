import xtermHeadless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import unicode11Addon from '@xterm/addon-unicode11';
import { archiveDroppedRows, canArchive, continuationRows } from './archive-hooks.js';
import { ScrollbackArchive } from './scrollback-archive.js';
import { compactLater, forget } from './compaction-scheduler.js';

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
  /** The scrollback beyond xterm's own short one (opts.archive); compaction-scheduler makes it compact. */
  private readonly archive: ScrollbackArchive | null = null;

  /**
   * `archive`: keep only a short scrollback in xterm (ARCHIVE_TAIL rows) and the rest compact (see
   * ScrollbackArchive): for emulators that live long and hold a whole history (an agent's, on the
   * server), not for copies that are read row by row (scroll mode) or mirrors that keep none.
   */
  constructor(cols: number, rows: number, scrollback: number, opts: { convertEol?: boolean; archive?: boolean } = {}) {
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
    if (opts.archive && scrollback > 2 * ARCHIVE_TAIL && canArchive(this.term)) {
      this.term.options.scrollback = ARCHIVE_TAIL;
      this.archive = new ScrollbackArchive(scrollback - ARCHIVE_TAIL, this.term.buffer.active.getNullCell(), () => compactLater(this.archive!));
      archiveDroppedRows(this.term, this.archive);
    }
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
    if (c === this.term.cols && r === this.term.rows) return;
    if (!this.archive) return this.term.resize(c, r);
    // Narrowing reflows the rows xterm holds into more rows, and xterm drops what no longer fits
    // without a trace: give it room for all of them, then shrink back, which hands the excess to
    // the archive like any row leaving the top.
    this.term.options.scrollback = (ARCHIVE_TAIL + this.term.rows) * Math.ceil(this.term.cols / c) + r;
    this.term.resize(c, r);
    this.term.options.scrollback = ARCHIVE_TAIL;
  }

  /** Rows of history this emulator holds (its own scrollback and the archive's). */
  get historyRows(): number {
    return this.ownScrollback() + (this.archive?.length ?? 0);
  }

  /** Whether part of the history is kept outside xterm (then reading it means serialize()). */
  get archived(): boolean {
    return (this.archive?.length ?? 0) > 0;
  }

  private ownScrollback(): number {
    const normal = this.term.buffer.normal;
    return Math.max(0, normal.length - this.term.rows);
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
    const own = this.ownScrollback();
    const fromArchive = this.archive && scrollback !== 0 ? Math.min(this.archive.length, scrollback === undefined ? Infinity : scrollback - own) : 0;
    if (fromArchive <= 0) return penResetBeforeAltScreen(this.serializer.serialize(scrollback === undefined ? undefined : { scrollback })) + this.serializeState();
    // The archive's rows (with xterm's rows that continue the last of them: a line is not cut in
    // two where the archive ends), then enough line feeds to scroll them off the screen: xterm's
    // serializer then starts, as it expects, at the top left of a blank screen, the pen default.
    const continuation = continuationRows(this.term);
    const mine = penResetBeforeAltScreen(this.serializer.serialize({ scrollback: own - continuation.length })) + this.serializeState();
    return `${this.archive!.serialize(fromArchive, continuation)}${'\r\n'.repeat(this.rows)}\x1b[H${mine}`;
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
    if (this.archive) {
      forget(this.archive);
      this.archive.clear();
    }
    this.term.dispose();
  }
}

/** Rows of scrollback xterm keeps itself when the rest is archived: what a grow of the pane pulls back. */
const ARCHIVE_TAIL = 100;

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

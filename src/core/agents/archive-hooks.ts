import type { Terminal as XTerm } from '@xterm/headless';
import type { RawRow } from './row-ansi.js';
import type { ScrollbackArchive } from './scrollback-archive.js';

/**
 * xterm's list of rows (its internal CircularList), as far as the archive needs it. Every way a
 * row leaves the top of the normal buffer goes through one of these four methods: a line feed at
 * the bottom (push, or recycle when full), a scroll with rows below the scroll region (splice), and
 * a resize or an erase of the scrollback (trimStart).
 */
interface RowList {
  readonly length: number;
  readonly maxLength: number;
  readonly isFull: boolean;
  get(i: number): RawRow | undefined;
  set(i: number, row: RawRow): void;
  push(row: RawRow): void;
  recycle(): RawRow;
  splice(start: number, deleteCount: number, ...items: RawRow[]): void;
  trimStart(n: number): void;
}

interface CoreBuffers {
  normal: { lines: RowList };
  active: unknown;
  onBufferActivate?: (fn: () => void) => unknown;
}

function coreBuffers(term: XTerm): CoreBuffers | null {
  const b = (term as unknown as { _core?: { buffers?: CoreBuffers } })._core?.buffers;
  const l = b?.normal?.lines;
  if (!b || !l || typeof b.onBufferActivate !== 'function') return null;
  for (const m of ['get', 'set', 'push', 'recycle', 'splice', 'trimStart'] as const) if (typeof l[m] !== 'function') return null;
  return b;
}

/** Whether this xterm's internals are the ones the hooks know (else the emulator keeps all its scrollback). */
export function canArchive(term: XTerm): boolean {
  return coreBuffers(term) !== null;
}

/**
 * Hand every row that leaves the top of `term`'s normal buffer to `archive` instead of letting xterm
 * drop it, exactly when it leaves (so nothing is lost however much one write scrolls). An erase of
 * the scrollback (ED 3) and a full reset (RIS) clear the archive too, as they clear xterm's.
 */
export function archiveDroppedRows(term: XTerm, archive: ScrollbackArchive): { dispose(): void } {
  const buffers = coreBuffers(term);
  if (!buffers) throw new Error('xterm internals not recognised');
  let hooked: RowList | null = null;
  let eraseNext = false;

  const hook = (lines: RowList): void => {
    hooked = lines;
    const { push, recycle, splice, trimStart } = lines;
    lines.push = function (row) {
      if (this.isFull) archive.keep(this.get(0)!);
      push.call(this, row);
    };
    lines.recycle = function () {
      // xterm overwrites the row it recycles: give it another to overwrite and keep the old one.
      const old = this.get(0)!;
      this.set(0, archive.takeSpare() ?? blankLike(old));
      archive.keep(old);
      return recycle.call(this);
    };
    lines.splice = function (start, deleteCount, ...items) {
      const over = this.length - deleteCount + items.length - this.maxLength;
      // The rows that will be trimmed: the first `over` of the list as it is after the splice.
      for (let i = 0; i < over; i++) archive.keep(i < start ? this.get(i)! : i - start < items.length ? items[i - start]! : this.get(i - items.length + deleteCount)!);
      splice.call(this, start, deleteCount, ...items);
    };
    lines.trimStart = function (n) {
      if (eraseNext) eraseNext = false;
      else for (let i = 0; i < Math.min(n, this.length); i++) archive.keep(this.get(i)!);
      trimStart.call(this, n);
    };
  };
  hook(buffers.normal.lines);

  // ED 3 erases the scrollback: the archive is scrollback too. xterm trims only when there is some,
  // and only the active buffer (the alternate one has none).
  const ed3 = term.parser.registerCsiHandler({ final: 'J' }, (params) => {
    if (params[0] === 3 && buffers.active === buffers.normal) {
      archive.clear();
      eraseNext = buffers.normal.lines.length > term.rows;
    }
    return false;
  });
  // A reset (RIS, term.reset()) makes new buffers, with no scrollback.
  const reset = term.buffer.onBufferChange(() => {
    if (buffers.normal.lines === hooked) return;
    archive.clear();
    hook(buffers.normal.lines);
  });
  return {
    dispose: () => {
      ed3.dispose();
      reset.dispose();
    },
  };
}

/**
 * The first rows of the normal buffer's scrollback that continue the line the archive ends with
 * (they are wrapped): serialize() gives them to the archive, so the line reads back whole.
 */
export function continuationRows(term: XTerm): RawRow[] {
  const lines = coreBuffers(term)?.normal.lines;
  const out: RawRow[] = [];
  if (!lines) return out;
  const own = lines.length - term.rows;
  for (let i = 0; i < own; i++) {
    const row = lines.get(i);
    if (!row?.isWrapped) break;
    out.push(row);
  }
  return out;
}

function blankLike(row: RawRow): RawRow {
  // xterm's BufferLine: new BufferLine(0) is an empty row that copyFrom() then fills.
  return new (row.constructor as new (cols: number) => RawRow)(0);
}

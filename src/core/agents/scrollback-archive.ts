import type { IBufferCell } from '@xterm/headless';
import { rowShape, rowToAnsi, wrapJoin, type RawRow, type RowShape } from './row-ansi.js';

/**
 * The older part of an agent's scrollback, kept compact. xterm holds every row as 12 bytes per
 * cell (a 200-column row is 2.4 KB however short its text); here a row is the escape sequences
 * that draw it, about a byte per character. Rows arrive as xterm drops them off the top of its own
 * (short) scrollback, still in xterm's form: taking them is a pointer move, so a flood costs
 * nothing extra. They are made compact a slice at a time off the output path (compactSome), so
 * however fast rows arrive the work is bounded by the archive's size, not by the flood's.
 */
export class ScrollbackArchive {
  /** Oldest first, from `head`: a row not yet made compact, or its escape sequences. */
  private rows: Array<RawRow | string | undefined>;
  /** Whether the row continues the one before it (xterm's isWrapped), by the same index. */
  private wrapped: Uint8Array;
  /** The row's RowShape once it is compact: width, empty cells at its end, first cell (its width, +4 with a background). */
  private width: Uint16Array;
  private tail: Uint16Array;
  private lead: Uint8Array;
  private head = 0;
  private count = 0;
  /** How many rows are still raw (compactSome's work). */
  private raw = 0;
  /** Raw rows that fell off the end, for xterm to reuse (it would otherwise allocate a new row). */
  private readonly spare: RawRow[] = [];

  constructor(
    readonly capacity: number,
    private readonly cell: IBufferCell,
    /** Called when a raw row arrives while none were waiting: time to schedule compactSome. */
    private readonly onRaw: () => void = () => {},
  ) {
    this.rows = new Array(capacity);
    this.wrapped = new Uint8Array(capacity);
    this.width = new Uint16Array(capacity);
    this.tail = new Uint16Array(capacity);
    this.lead = new Uint8Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Rows not yet compact. */
  get rawRows(): number {
    return this.raw;
  }

  /** A row xterm no longer holds, appended at the newest end; the oldest falls off when full. */
  keep(row: RawRow): void {
    let i: number;
    if (this.count === this.capacity) {
      i = this.head;
      this.drop(i);
      this.head = (this.head + 1) % this.capacity;
    } else {
      i = (this.head + this.count) % this.capacity;
      this.count++;
    }
    this.rows[i] = row;
    this.wrapped[i] = row.isWrapped ? 1 : 0;
    if (this.raw++ === 0) this.onRaw();
  }

  /** A row that fell off and may be reused by xterm, if there is one. */
  takeSpare(): RawRow | undefined {
    return this.spare.pop();
  }

  clear(): void {
    for (let k = 0; k < this.count; k++) this.drop((this.head + k) % this.capacity);
    this.head = 0;
    this.count = 0;
  }

  /**
   * Make up to `max` raw rows compact, newest first (during a flood the oldest are the next to
   * fall off: work on them would be wasted). Returns how many are still raw.
   */
  compactSome(max: number): number {
    for (let k = this.count - 1; k >= 0 && max > 0 && this.raw > 0; k--) {
      const i = (this.head + k) % this.capacity;
      const r = this.rows[i];
      if (typeof r === 'string' || r === undefined) continue;
      this.compact(i, r);
      max--;
    }
    return this.raw;
  }

  /**
   * The newest `n` rows (all by default) as escape sequences for a terminal at column 0 with the
   * default pen: rows separated by CRLF, except where a row continues the one before it: there it
   * wraps (wrapJoin), so the wrap survives and reflows if the reader is of another width.
   * `continuation`: rows that follow (xterm's own, wrapped onto the last of these), written the same way.
   */
  serialize(n = this.count, continuation: RawRow[] = []): string {
    const take = Math.min(n, this.count);
    const parts: string[] = [];
    let prev: RowShape | null = null;
    for (let k = this.count - take; k < this.count; k++) {
      const i = (this.head + k) % this.capacity;
      const text = this.textAt(i);
      const shape = this.shape(i);
      if (prev) parts.push(this.wrapped[i] ? wrapJoin(prev, shape) : '\r\n');
      parts.push(text);
      prev = shape;
    }
    for (const row of continuation) {
      const shape = rowShape(row, this.cell);
      if (prev) parts.push(wrapJoin(prev, shape));
      parts.push(rowToAnsi(row, this.cell, shape.leadBg));
      prev = shape;
    }
    return parts.join('');
  }

  private textAt(i: number): string {
    const r = this.rows[i];
    if (typeof r === 'string') return r;
    if (r === undefined) return '';
    // Asked before compactSome got here (e.g. an attach right after a flood): make it compact now.
    return this.compact(i, r);
  }

  private shape(i: number): RowShape {
    const lead = this.lead[i]!;
    return { width: this.width[i]!, tail: this.tail[i]!, lead: lead & 3, leadBg: (lead & 4) !== 0 };
  }

  private compact(i: number, r: RawRow): string {
    const shape = rowShape(r, this.cell);
    const text = rowToAnsi(r, this.cell, r.isWrapped && shape.leadBg);
    this.width[i] = shape.width;
    this.tail[i] = shape.tail;
    this.lead[i] = shape.lead | (shape.leadBg ? 4 : 0);
    this.rows[i] = text;
    this.raw--;
    this.spare.push(r);
    if (this.spare.length > 64) this.spare.length = 64;
    return text;
  }

  private drop(i: number): void {
    const r = this.rows[i];
    if (r !== undefined && typeof r !== 'string') {
      this.raw--;
      if (this.spare.length < 64) this.spare.push(r);
    }
    this.rows[i] = undefined;
  }
}

import type { IBufferCell } from '@xterm/headless';

/**
 * One of xterm's buffer rows (its internal BufferLine, of which only this much is used): what a
 * history row is before it is made compact.
 */
export interface RawRow {
  isWrapped: boolean;
  length: number;
  loadCell(index: number, cell: IBufferCell): IBufferCell;
}

/**
 * A row as the escape sequences that draw it on a terminal, starting and ending with the default
 * pen: the compact form of a scrollback row (about one byte per character instead of xterm's 12
 * per cell). Attributes are those xterm's serializer keeps (colours, bold, dim, italic, underline,
 * blink, inverse, invisible, strikethrough, overline), with the same conventions, so a row reads
 * back the same whether it came from here or from the serializer: empty cells are skipped with
 * cursor-forward (and erased first when they have a background), trailing ones are dropped.
 * `cell` is scratch space (an xterm CellData, e.g. from buffer.getNullCell()). `eraseEmpty`: erase
 * empty cells even with the default background, for a row the reader's terminal may create filled
 * with a colour (a wrap fills the new row with the background in effect, see wrapJoin).
 */
export function rowToAnsi(row: RawRow, cell: IBufferCell, eraseEmpty = false): string {
  // Pieces joined once at the end: `+=` would leave a rope of a node per cell (a kilobyte per row
  // of V8 heap where the flat string takes a few dozen bytes), and the archive keeps thousands.
  const out: string[] = [];
  let empty = 0;
  const pen: Pen = [...DEFAULT_PEN];
  // The pen's attributes as xterm packs them (two words per cell, 0 for the default): a cell with
  // the same two words has the pen's style, so most cells skip styleChange's dozen calls.
  const words = hasAttributeWords(cell);
  let penFg = 0;
  let penBg = 0;
  for (let x = 0; x < row.length; x++) {
    const c = row.loadCell(x, cell);
    const width = c.getWidth();
    if (width === 0) continue; // the right half of a wide character
    const chars = c.getChars();
    const samePen = words && (c as unknown as Words).fg === penFg && (c as unknown as Words).bg === penBg;
    const sgr = samePen ? '' : styleChange(c, pen);
    const restyle = samePen ? false : chars === '' ? !sameBg(c, pen) : sgr !== '';
    if (restyle) {
      if (empty > 0) out.push(skipEmpty(empty, pen, eraseEmpty));
      empty = 0;
      out.push(`\x1b[${sgr}m`);
      copyPen(c, pen);
      if (words) ({ fg: penFg, bg: penBg } = c as unknown as Words);
    }
    if (chars === '') {
      empty += width;
      continue;
    }
    if (empty > 0) out.push(skipEmpty(empty, pen, eraseEmpty));
    empty = 0;
    out.push(chars);
  }
  // Trailing empty cells: only a background makes them visible (and xterm's own erase keeps it).
  if (empty > 0 && (eraseEmpty || !bgDefault(pen))) out.push(`\x1b[${empty}X`);
  if (pen.some((v, i) => v !== DEFAULT_PEN[i])) out.push('\x1b[0m');
  return out.join('');
}

/** What decides how a row joins the one after it when it wraps (see wrapJoin). */
export interface RowShape {
  /** Cells in the row. */
  width: number;
  /** Empty cells at its end (the right half of a wide character is not empty). */
  tail: number;
  /** Its first cell: 0 empty, else the width of the character there. */
  lead: number;
  /** Whether its first cell has a background colour. */
  leadBg: boolean;
}

export function rowShape(row: RawRow, cell: IBufferCell): RowShape {
  let tail = 0;
  for (let x = row.length - 1; x >= 0; x--) {
    const c = row.loadCell(x, cell);
    if (c.getChars() !== '' || c.getWidth() === 0) break;
    tail++;
  }
  const first = row.length > 0 ? row.loadCell(0, cell) : null;
  return { width: row.length, tail, lead: first && first.getChars() !== '' ? first.getWidth() : 0, leadBg: first !== null && first.getBgColorMode() !== 0 };
}

/**
 * What goes between a row's escape sequences and those of the next row, which continues it
 * (xterm's isWrapped), so that a terminal reading them wraps there too. Printing the next row's
 * first character wraps by itself when the row is full (or lacks just the cell a wide character
 * would not fit in); the terminal then fills the new row with that character's background, so a
 * row with one (leadBg) is written with rowToAnsi's eraseEmpty. Otherwise, as xterm's serializer
 * does, the wrap is forced with the default pen: fill the row with throwaway characters up to one
 * past its end, then erase them. Returns '' when it wraps by itself.
 */
export function wrapJoin(prev: RowShape, next: RowShape): string {
  if (next.lead > 0 && (prev.tail === 0 || (prev.tail === 1 && next.lead === 2))) return '';
  let s = `${'-'.repeat(prev.tail + 1)}\x1b[1D\x1b[1X`;
  if (prev.tail > 0) {
    // The filler also went into the row's own empty cells: go back up and erase it there.
    const at = prev.width - prev.tail;
    s += `\x1b[A${at > 0 ? `\x1b[${at}C` : ''}\x1b[${prev.tail}X${at > 0 ? `\x1b[${at}D` : ''}\x1b[B`;
  }
  return s;
}

/** xterm's CellData keeps a cell's attributes in two numbers, `fg` and `bg` (0 and 0 by default). */
interface Words {
  fg: number;
  bg: number;
}

function hasAttributeWords(c: IBufferCell): boolean {
  const w = c as unknown as Partial<Words>;
  return typeof w.fg === 'number' && typeof w.bg === 'number';
}

function skipEmpty(n: number, pen: Pen, erase: boolean): string {
  if (n === 0) return '';
  return bgDefault(pen) && !erase ? `\x1b[${n}C` : `\x1b[${n}X\x1b[${n}C`;
}

/** The attributes last drawn with: fg mode, fg, bg mode, bg, flags. */
type Pen = [number, number, number, number, number];
/** xterm's default cell: default colours read as -1. */
const DEFAULT_PEN: Readonly<Pen> = [0, -1, 0, -1, 0];

function bgDefault(p: Pen): boolean {
  return p[2] === 0;
}

function copyPen(c: IBufferCell, p: Pen): void {
  p[0] = c.getFgColorMode();
  p[1] = c.getFgColor();
  p[2] = c.getBgColorMode();
  p[3] = c.getBgColor();
  p[4] = flagsOf(c);
}

function sameBg(c: IBufferCell, p: Pen): boolean {
  return c.getBgColorMode() === p[2] && c.getBgColor() === p[3];
}

const FLAGS: Array<[keyof IBufferCell, number, number]> = [
  ['isInverse', 7, 27],
  ['isBold', 1, 22],
  ['isUnderline', 4, 24],
  ['isOverline', 53, 55],
  ['isBlink', 5, 25],
  ['isInvisible', 8, 28],
  ['isItalic', 3, 23],
  ['isDim', 2, 22],
  ['isStrikethrough', 9, 29],
];

function flagsOf(c: IBufferCell): number {
  let f = 0;
  for (let i = 0; i < FLAGS.length; i++) if ((c[FLAGS[i]![0]] as () => number | boolean)()) f |= 1 << i;
  return f;
}

/** SGR parameters that turn the pen into the cell's attributes ('' when they are the same). */
function styleChange(c: IBufferCell, s: Pen): string {
  const fgMode = c.getFgColorMode();
  const fg = c.getFgColor();
  const bgMode = c.getBgColorMode();
  const bg = c.getBgColor();
  const flags = flagsOf(c);
  if (fgMode === s[0] && fg === s[1] && bgMode === s[2] && bg === s[3] && flags === s[4]) return '';
  if (c.isAttributeDefault()) return '0';
  const out: number[] = [];
  if (fgMode !== s[0] || fg !== s[1]) out.push(...colour(c.isFgRGB(), c.isFgPalette(), fg, 30));
  if (bgMode !== s[2] || bg !== s[3]) out.push(...colour(c.isBgRGB(), c.isBgPalette(), bg, 40));
  // Bold and dim share their reset (22): turning one off turns both off, so the one that stays on is set again after.
  const off = s[4] & ~flags;
  const on = flags & ~s[4];
  for (let i = 0; i < FLAGS.length; i++) if (off & (1 << i)) out.push(FLAGS[i]![2]);
  const reBoldDim = off & (BOLD | DIM) ? flags & (BOLD | DIM) : 0;
  for (let i = 0; i < FLAGS.length; i++) if ((on | reBoldDim) & (1 << i)) out.push(FLAGS[i]![1]);
  return out.join(';');
}

const BOLD = 1 << 1;
const DIM = 1 << 7;

function colour(rgb: boolean | number, palette: boolean | number, value: number, base: 30 | 40): number[] {
  if (rgb) return [base + 8, 2, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
  if (palette) {
    if (value >= 16) return [base + 8, 5, value];
    return [value & 8 ? base + 60 + (value & 7) : base + (value & 7)];
  }
  return [base + 9];
}

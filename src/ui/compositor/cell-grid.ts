/**
 * A screenful of cells in flat typed arrays: the compositor's frame. Colours are xterm's encoding
 * (colour mode bits | colour value) so cells copy from the emulator without translation.
 */
export const ATTR_BOLD = 1;
export const ATTR_DIM = 2;
export const ATTR_ITALIC = 4;
export const ATTR_UNDERLINE = 8;
export const ATTR_BLINK = 16;
export const ATTR_INVERSE = 32;
export const ATTR_INVISIBLE = 64;
export const ATTR_STRIKE = 128;
export const ATTR_OVERLINE = 256;

/** xterm's colour modes (Attributes.CM_*), kept in the top byte of a colour value. */
export const CM_DEFAULT = 0;
export const CM_P16 = 0x1000000;
export const CM_P256 = 0x2000000;
export const CM_RGB = 0x3000000;
export const CM_MASK = 0x3000000;

export class CellGrid {
  cols = 0;
  rows = 0;
  /** The cell's text; '' marks the right half of a wide character. */
  chars: string[] = [];
  fg = new Int32Array(0);
  bg = new Int32Array(0);
  attrs = new Uint16Array(0);

  constructor(cols: number, rows: number) {
    this.resize(cols, rows);
  }

  resize(cols: number, rows: number): void {
    this.cols = Math.max(0, cols);
    this.rows = Math.max(0, rows);
    const n = this.cols * this.rows;
    this.chars = new Array<string>(n).fill(' ');
    this.fg = new Int32Array(n);
    this.bg = new Int32Array(n);
    this.attrs = new Uint16Array(n);
  }

  clear(): void {
    this.chars.fill(' ');
    this.fg.fill(0);
    this.bg.fill(0);
    this.attrs.fill(0);
  }

  /** Copy `src` (whole) to position (x, y), clipped to this grid and outside `exclude`. */
  blit(src: CellGrid, x: number, y: number, exclude: { x: number; y: number; width: number; height: number } | null = null): void {
    for (let sy = 0; sy < src.rows; sy++) {
      const dy = y + sy;
      if (dy < 0 || dy >= this.rows) continue;
      for (let sx = 0; sx < src.cols; sx++) {
        const dx = x + sx;
        if (dx < 0 || dx >= this.cols) continue;
        if (exclude && dx >= exclude.x && dx < exclude.x + exclude.width && dy >= exclude.y && dy < exclude.y + exclude.height) continue;
        const si = sy * src.cols + sx;
        const di = dy * this.cols + dx;
        this.chars[di] = src.chars[si]!;
        this.fg[di] = src.fg[si]!;
        this.bg[di] = src.bg[si]!;
        this.attrs[di] = src.attrs[si]!;
      }
    }
  }

  copyFrom(src: CellGrid): void {
    if (src.cols !== this.cols || src.rows !== this.rows) this.resize(src.cols, src.rows);
    for (let i = 0; i < src.chars.length; i++) this.chars[i] = src.chars[i]!;
    this.fg.set(src.fg);
    this.bg.set(src.bg);
    this.attrs.set(src.attrs);
  }

  /** Copy the rows of `src` marked non-zero in `rows` (all of it when the sizes differ). */
  copyRows(src: CellGrid, rows: Uint8Array): void {
    if (src.cols !== this.cols || src.rows !== this.rows) return this.copyFrom(src);
    for (let y = 0; y < this.rows; y++) {
      if (!rows[y]) continue;
      const a = y * this.cols;
      const b = a + this.cols;
      for (let i = a; i < b; i++) this.chars[i] = src.chars[i]!;
      this.fg.set(src.fg.subarray(a, b), a);
      this.bg.set(src.bg.subarray(a, b), a);
      this.attrs.set(src.attrs.subarray(a, b), a);
    }
  }

  /** A row as plain text (wide-char halves skipped), for tests and debugging. */
  rowText(y: number): string {
    let s = '';
    for (let x = 0; x < this.cols; x++) s += this.chars[y * this.cols + x]!;
    return s;
  }
}

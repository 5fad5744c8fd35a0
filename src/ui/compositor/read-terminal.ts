import type { IBufferCell } from '@xterm/headless';
import type { XTerm } from '../../core/agents/terminal-screen.js';
import { ATTR_BLINK, ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE, ATTR_STRIKE, ATTR_UNDERLINE, CM_P256, type CellGrid } from './cell-grid.js';

let scratch: IBufferCell | undefined;

/**
 * Copy `grid.rows` lines of a terminal's active buffer, starting at absolute line `top`
 * (null = the live screen), into `grid`. Attribute reads are numeric: building string keys per
 * cell costs 4–8× more (measured in reference/rendering.md).
 */
export function readTerminal(term: XTerm, grid: CellGrid, top: number | null): void {
  const buf = term.buffer.active;
  const start = top ?? buf.baseY;
  const cols = Math.min(grid.cols, term.cols);
  for (let y = 0; y < grid.rows; y++) {
    // Past the end, xterm's circular buffer would hand back old lines: treat them as blank.
    const n = start + y;
    const line = n >= 0 && n < buf.length ? buf.getLine(n) : undefined;
    const row = y * grid.cols;
    for (let x = 0; x < grid.cols; x++) {
      const i = row + x;
      const cell = line && x < cols ? line.getCell(x, scratch) : undefined;
      if (!cell) {
        grid.chars[i] = ' ';
        grid.fg[i] = 0;
        grid.bg[i] = 0;
        grid.attrs[i] = 0;
        continue;
      }
      scratch = cell;
      const width = cell.getWidth();
      grid.chars[i] = width === 0 ? '' : cell.getChars() || ' ';
      grid.fg[i] = cell.getFgColorMode() ? cell.getFgColorMode() | cell.getFgColor() : 0;
      grid.bg[i] = cell.getBgColorMode() ? cell.getBgColorMode() | cell.getBgColor() : 0;
      let a = 0;
      if (cell.isBold()) a |= ATTR_BOLD;
      if (cell.isDim()) a |= ATTR_DIM;
      if (cell.isItalic()) a |= ATTR_ITALIC;
      if (cell.isUnderline()) a |= ATTR_UNDERLINE;
      if (cell.isBlink()) a |= ATTR_BLINK;
      if (cell.isInverse()) a |= ATTR_INVERSE;
      if (cell.isInvisible()) a |= ATTR_INVISIBLE;
      if (cell.isStrikethrough()) a |= ATTR_STRIKE;
      if (cell.isOverline()) a |= ATTR_OVERLINE;
      grid.attrs[i] = a;
      // A wide character whose right half falls outside the grid cannot be drawn: show a blank.
      if (width === 2 && x === grid.cols - 1) grid.chars[i] = ' ';
    }
  }
}

/** Search highlights in scroll mode: the current match stands out from the others. */
export function highlight(grid: CellGrid, top: number, matches: { line: number; col: number; length: number }[], current: number): void {
  matches.forEach((m, idx) => {
    const y = m.line - top;
    if (y < 0 || y >= grid.rows) return;
    for (let x = m.col; x < Math.min(grid.cols, m.col + m.length); x++) {
      const i = y * grid.cols + x;
      grid.fg[i] = CM_P256 | 16;
      grid.bg[i] = CM_P256 | (idx === current ? 214 : 228);
      grid.attrs[i] = idx === current ? ATTR_BOLD : 0;
    }
  });
}

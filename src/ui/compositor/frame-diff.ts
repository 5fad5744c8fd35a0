import type { CellGrid } from './cell-grid.js';
import { sgr } from './sgr.js';

/**
 * The bytes that turn the terminal showing `prev` into one showing `next`: only changed cells are
 * written, the cursor moves only on jumps, SGR changes only when the look changes. `prev` null means
 * the terminal's contents are unknown (first frame, after attach): every cell is written, still
 * without clearing the screen, so nothing flickers. `rows`, when given, limits the work to the rows
 * marked non-zero (the caller knows nothing else changed).
 */
export function frameDiff(prev: CellGrid | null, next: CellGrid, rows: Uint8Array | null = null): string {
  const out: string[] = [];
  const full = !prev || prev.cols !== next.cols || prev.rows !== next.rows;
  let cx = -1;
  let cy = -1;
  let pen = '';
  for (let y = 0; y < next.rows; y++) {
    if (rows && !full && !rows[y]) continue;
    const row = y * next.cols;
    for (let x = 0; x < next.cols; x++) {
      const i = row + x;
      const ch = next.chars[i]!;
      if (ch === '') continue; // right half of a wide character: drawn with its left half
      if (
        !full &&
        prev!.chars[i] === ch &&
        prev!.fg[i] === next.fg[i] &&
        prev!.bg[i] === next.bg[i] &&
        prev!.attrs[i] === next.attrs[i] &&
        // a wide character whose right half changed must be redrawn whole
        (x + 1 >= next.cols || (next.chars[i + 1] === '') === (prev!.chars[i + 1] === ''))
      ) {
        continue;
      }
      if (cx !== x || cy !== y) {
        out.push(`\x1b[${y + 1};${x + 1}H`);
        cy = y;
      }
      const look = sgr(next.fg[i]!, next.bg[i]!, next.attrs[i]!);
      if (look !== pen) {
        out.push(look);
        pen = look;
      }
      out.push(ch);
      const wide = x + 1 < next.cols && next.chars[i + 1] === '';
      cx = x + (wide ? 2 : 1);
      // After the last column the cursor is in the pending-wrap state: force a jump next time.
      if (cx >= next.cols) cx = -1;
    }
  }
  if (out.length === 0) return '';
  out.push('\x1b[0m');
  return out.join('');
}

import { ATTR_BLINK, ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, ATTR_INVISIBLE, ATTR_ITALIC, ATTR_OVERLINE, ATTR_STRIKE, ATTR_UNDERLINE, CM_MASK, CM_P16, CM_P256, CM_RGB } from './cell-grid.js';

function colourParams(value: number, foreground: boolean): string {
  const mode = value & CM_MASK;
  const c = value & 0xffffff;
  if (mode === CM_P16) {
    if (c < 8) return String((foreground ? 30 : 40) + c);
    return String((foreground ? 90 : 100) + (c - 8));
  }
  if (mode === CM_P256) return `${foreground ? 38 : 48};5;${c & 0xff}`;
  if (mode === CM_RGB) return `${foreground ? 38 : 48};2;${(c >> 16) & 0xff};${(c >> 8) & 0xff};${c & 0xff}`;
  return '';
}

/** A complete SGR sequence for a cell's look (always starting from a reset, so it never depends on the previous pen). */
export function sgr(fg: number, bg: number, attrs: number): string {
  let s = '\x1b[0';
  if (attrs) {
    if (attrs & ATTR_BOLD) s += ';1';
    if (attrs & ATTR_DIM) s += ';2';
    if (attrs & ATTR_ITALIC) s += ';3';
    if (attrs & ATTR_UNDERLINE) s += ';4';
    if (attrs & ATTR_BLINK) s += ';5';
    if (attrs & ATTR_INVERSE) s += ';7';
    if (attrs & ATTR_INVISIBLE) s += ';8';
    if (attrs & ATTR_STRIKE) s += ';9';
    if (attrs & ATTR_OVERLINE) s += ';53';
  }
  const f = colourParams(fg, true);
  if (f) s += ';' + f;
  const b = colourParams(bg, false);
  if (b) s += ';' + b;
  return s + 'm';
}

import type { XTerm } from '../core/agents/terminal-screen.js';
import type { SearchMatch } from './ui-state.js';

/**
 * Every occurrence of `query` in an agent's whole buffer (scrollback + screen), oldest first.
 * Smart case, as in vim and less: an all-lowercase query ignores case.
 */
export function searchBuffer(term: XTerm, query: string, limit = 10_000): SearchMatch[] {
  if (!query) return [];
  const caseless = query === query.toLowerCase();
  const needle = caseless ? query.toLowerCase() : query;
  const buf = term.buffer.active;
  const out: SearchMatch[] = [];
  for (let y = 0; y < buf.length && out.length < limit; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    let text = line.translateToString(false);
    if (caseless) text = text.toLowerCase();
    // translateToString gives one character per cell only for narrow text; map string offsets back to
    // cells when the line has wide characters.
    let from = 0;
    for (let at = text.indexOf(needle, from); at !== -1 && out.length < limit; at = text.indexOf(needle, from)) {
      out.push({ line: y, col: stringIndexToCell(line, at), length: cellsOf(line, at, needle.length) });
      from = at + Math.max(1, needle.length);
    }
  }
  return out;
}

type Line = NonNullable<ReturnType<XTerm['buffer']['active']['getLine']>>;

function stringIndexToCell(line: Line, index: number): number {
  let chars = 0;
  for (let x = 0; x < line.length; x++) {
    const cell = line.getCell(x);
    if (!cell || cell.getWidth() === 0) continue;
    const len = cell.getChars().length || 1;
    if (chars + len > index) return x;
    chars += len;
  }
  return line.length;
}

function cellsOf(line: Line, index: number, length: number): number {
  const start = stringIndexToCell(line, index);
  const end = stringIndexToCell(line, index + length);
  return Math.max(1, end - start);
}

import { displayWidth } from '../../shared/display-width.js';

/**
 * One piece of a one-row text (a pane title, an agent header, MAIN's first line). Pieces keep their
 * reading order; `priority` says what survives a narrow terminal: the lowest goes first.
 */
export interface Segment {
  /** What is shown, its separator (" · ") included, so a dropped piece takes its separator with it. */
  text: string;
  priority: number;
  /** May be cut short (with "…") instead of dropped, while at least `minWidth` columns of it remain. */
  shrink?: boolean;
  minWidth?: number;
  /** A shorter form to show when the whole text does not fit (" · 90% ROT" for the full usage). */
  short?: string;
}

const ELLIPSIS = '…';

/** `s` cut to at most `width` columns, "…" included, by display width (wide characters count two). */
export function truncateToWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of s) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + ELLIPSIS;
}

/**
 * The segments that fit in `width` columns, in their reading order. Room is given by priority, the
 * highest first: a segment that fits is kept whole; one that does not is cut short when it may
 * shrink (to the room left, if at least `minWidth`), else kept in its `short` form if that fits, else
 * left out, and the next one down gets its chance. The highest-priority segment is always kept, cut
 * if it must. Pure, so tests check the choice at any width without rendering.
 */
export function fitSegments<T extends Segment>(segments: T[], width: number): T[] {
  const order = segments.map((_, i) => i).sort((a, b) => segments[b]!.priority - segments[a]!.priority || a - b);
  const kept = new Map<number, T>();
  let room = width;
  for (const i of order) {
    const s = segments[i]!;
    const w = displayWidth(s.text);
    if (w <= room) {
      kept.set(i, s);
      room -= w;
    } else if (s.shrink && room >= (s.minWidth ?? 4)) {
      kept.set(i, { ...s, text: truncateToWidth(s.text, room) });
      room = 0;
    } else if (s.short !== undefined && displayWidth(s.short) <= room) {
      kept.set(i, { ...s, text: s.short });
      room -= displayWidth(s.short);
    } else if (kept.size === 0) {
      kept.set(i, { ...s, text: truncateToWidth(s.text, Math.max(0, room)) });
      room = 0;
    }
  }
  return [...kept.keys()].sort((a, b) => a - b).map((i) => kept.get(i)!);
}

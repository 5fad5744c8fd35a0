/**
 * Grid maths: where every pane, agent header and agent screen goes for a terminal size. Pure, so both
 * Ink (drawing borders and headers) and the compositor (drawing agent cells) use the very same numbers.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutInput {
  cols: number;
  rows: number;
  /** Linked worktrees in display order (MAIN is not in this list: it always has the top strip). */
  lanes: { name: string; agents: string[] }[];
  /** The focused worktree and agent, so windowing keeps them visible. */
  focusLane: string | null;
  focusAgent: string | null;
  /** MAIN's strip height (border included); default MAIN_HEIGHT. The monitor asks for more when there is room. */
  mainHeight?: number;
  /** Show the ops process's screen inside MAIN's strip. */
  ops?: string | null;
}

export interface AgentSlot {
  id: string;
  /** The one-row header above the screen. */
  header: Rect;
  /** Where the agent's screen is drawn; its pty is sized to this. */
  screen: Rect;
}

export interface LanePane {
  name: string;
  /** Outer rectangle including the border. */
  rect: Rect;
  slots: AgentSlot[];
  /** Agents of this lane that did not fit (only the focused one is shown then). */
  hiddenAgents: number;
  /** 1-based position among all lanes, for the "2" in `1`–`9` focus keys. */
  index: number;
}

export interface Layout {
  cols: number;
  rows: number;
  tooSmall: { needCols: number; needRows: number } | null;
  main: Rect;
  /** Where the ops process's screen goes inside MAIN's strip, when shown. */
  ops: Rect | null;
  lanes: LanePane[];
  /** Lanes not drawn because they do not fit, before and after the visible window. */
  hiddenBefore: number;
  hiddenAfter: number;
  /** The area lanes share (for the "no worktrees" hint). */
  laneArea: Rect;
  status: Rect;
}

export const MIN_COLS = 40;
export const MIN_ROWS = 12;
export const MAIN_HEIGHT = 3;
const MIN_LANE_WIDTH = 24;
const MIN_LANE_HEIGHT = 6;
/** Header + 2 screen rows: smaller than that an agent is not worth showing stacked. */
const MIN_AGENT_HEIGHT = 3;

/** Split `total` into `n` integer parts that differ by at most one, larger ones first. */
export function splitEven(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * How many columns of lanes to use for `n` lanes in `w`×`h`: the arrangement whose smallest pane is
 * closest to "square" in cells (a cell is about twice as tall as wide), among those that fit.
 */
export function chooseColumns(n: number, w: number, h: number): number | null {
  let best: number | null = null;
  let bestScore = -1;
  for (let c = 1; c <= n; c++) {
    const r = Math.ceil(n / c);
    const pw = Math.floor(w / c);
    const ph = Math.floor(h / r);
    if (pw < MIN_LANE_WIDTH || ph < MIN_LANE_HEIGHT) continue;
    const score = Math.min(pw, ph * 2.2);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** How many lanes fit at most in the lane area. */
function capacity(w: number, h: number): number {
  return Math.max(0, Math.floor(w / MIN_LANE_WIDTH) * Math.floor(h / MIN_LANE_HEIGHT));
}

/** Window of `count` consecutive items out of `n` that contains index `focus`. */
export function visibleWindow(n: number, count: number, focus: number): [number, number] {
  if (count >= n) return [0, n];
  const f = Math.max(0, focus);
  let start = Math.max(0, Math.min(f - Math.floor(count / 2), n - count));
  if (f < start) start = f;
  if (f >= start + count) start = f - count + 1;
  return [start, start + count];
}

export function layoutAgents(inner: Rect, agents: string[], focusAgent: string | null): { slots: AgentSlot[]; hidden: number } {
  if (agents.length === 0) return { slots: [], hidden: 0 };
  let shown = agents;
  let hidden = 0;
  const fit = Math.max(1, Math.floor(inner.height / MIN_AGENT_HEIGHT));
  if (agents.length > fit) {
    // Too many to stack: show a window around the focused agent, the header says how many are hidden.
    const fi = Math.max(0, focusAgent ? agents.indexOf(focusAgent) : 0);
    const [s, e] = visibleWindow(agents.length, fit, fi);
    shown = agents.slice(s, e);
    hidden = agents.length - shown.length;
  }
  const heights = splitEven(inner.height, shown.length);
  let y = inner.y;
  const slots = shown.map((id, i) => {
    const h = heights[i]!;
    const slot: AgentSlot = {
      id,
      header: { x: inner.x, y, width: inner.width, height: 1 },
      screen: { x: inner.x, y: y + 1, width: inner.width, height: Math.max(1, h - 1) },
    };
    y += h;
    return slot;
  });
  return { slots, hidden };
}

export function computeLayout(input: LayoutInput): Layout {
  const { cols, rows } = input;
  const status: Rect = { x: 0, y: rows - 1, width: cols, height: 1 };
  const mh = Math.max(MAIN_HEIGHT, input.mainHeight ?? MAIN_HEIGHT);
  const main: Rect = { x: 0, y: 0, width: cols, height: mh };
  const laneArea: Rect = { x: 0, y: mh, width: cols, height: Math.max(0, rows - mh - 1) };
  // The ops screen takes the right part of MAIN's strip when it is wide and tall enough to read.
  const opsWidth = Math.floor((cols - 2) * 0.45);
  const ops: Rect | null = input.ops && mh >= 5 && cols >= 100 ? { x: cols - 1 - opsWidth, y: 1, width: opsWidth, height: mh - 2 } : null;
  const empty: Layout = { cols, rows, tooSmall: null, main, ops, lanes: [], hiddenBefore: 0, hiddenAfter: 0, laneArea, status };
  if (cols < MIN_COLS || rows < MIN_ROWS) return { ...empty, tooSmall: { needCols: MIN_COLS, needRows: MIN_ROWS } };

  const n = input.lanes.length;
  if (n === 0) return empty;
  const focusIdx = Math.max(0, input.lanes.findIndex((l) => l.name === input.focusLane));
  const count = Math.max(1, Math.min(n, capacity(laneArea.width, laneArea.height)));
  const [start, end] = visibleWindow(n, count, focusIdx);
  const visible = input.lanes.slice(start, end);
  const c = chooseColumns(visible.length, laneArea.width, laneArea.height) ?? 1;
  const r = Math.ceil(visible.length / c);
  const heights = splitEven(laneArea.height, r);
  const lanes: LanePane[] = [];
  let y = laneArea.y;
  for (let row = 0; row < r; row++) {
    const inRow = visible.slice(row * c, row * c + c);
    // The last row may hold fewer lanes: they share its full width rather than leaving a hole.
    const widths = splitEven(laneArea.width, inRow.length);
    let x = laneArea.x;
    inRow.forEach((lane, i) => {
      const rect: Rect = { x, y, width: widths[i]!, height: heights[row]! };
      const inner: Rect = { x: x + 1, y: y + 1, width: Math.max(1, rect.width - 2), height: Math.max(1, rect.height - 2) };
      const { slots, hidden } = layoutAgents(inner, lane.agents, input.focusAgent);
      lanes.push({ name: lane.name, rect, slots, hiddenAgents: hidden, index: start + lanes.length + 2 });
      x += widths[i]!;
    });
    y += heights[row]!;
  }
  return { ...empty, lanes, hiddenBefore: start, hiddenAfter: n - end };
}

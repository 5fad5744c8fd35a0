import type { XTerm } from '../../core/agents/terminal-screen.js';
import type { Rect } from '../../layout/layout.js';
import { ATTR_BOLD, ATTR_DIM, ATTR_INVERSE, CellGrid } from './cell-grid.js';
import { frameDiff } from './frame-diff.js';
import { highlight, readTerminal } from './read-terminal.js';

/** One agent screen placed on the terminal. */
export interface PanePlacement {
  agent: string;
  rect: Rect;
  term: XTerm;
  /** Absolute first line to show (scroll mode), or null for the live screen. */
  top: number | null;
  matches?: { line: number; col: number; length: number }[];
  currentMatch?: number;
  focused: boolean;
  /** Shown as it last was, in grey: its host is out of reach (not live). */
  greyed?: boolean;
}

interface PaneCache {
  grid: CellGrid;
  dirty: boolean;
  lastRead: number;
  placement: PanePlacement;
}

export interface CompositorOptions {
  fps: number;
  backgroundFps: number;
  /**
   * NO_COLOR (no-color.org): the chrome in monochrome. Colours go; what a background colour marked
   * (the focused header, an alarm) is shown in reverse video, and bold stays, so states still read
   * apart (their words are there anyway). Agents' own output keeps its colours, as in tmux.
   */
  monochrome?: boolean;
  /** Override for tests: where frames go. */
  write: (data: string) => boolean;
  onDrain: (fn: () => void) => void;
}

const SYNC_BEGIN = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
/** A program holding synchronized output is mid-frame; tmux gives it at most this long. */
const SYNC_HOLD_CAP_MS = 1000;

/**
 * Owns the real terminal while the grid shows. Each frame merges the chrome (Ink's output, via a
 * headless terminal) with the visible agents' screens and writes only the cells that changed.
 * Frames are driven by change, not by a clock: nothing changes, nothing is done (idle = 0 % CPU).
 */
export class Compositor {
  private cols = 0;
  private rows = 0;
  private chrome: XTerm | null = null;
  private chromeGrid = new CellGrid(0, 0);
  private chromeDirty = true;
  private panes = new Map<string, PaneCache>();
  private overlay: Rect | null = null;
  private prev: CellGrid | null = null;
  private next = new CellGrid(0, 0);
  /** The chrome, the layout or the overlay changed: rebuild `next` whole, not pane by pane. */
  private recompose = true;
  /** Rows of `next` that may differ from `prev` (only these are diffed). */
  private dirtyRows = new Uint8Array(0);
  /** When background panes were last read: they are all read together, at most backgroundFps times a second. */
  private lastBackgroundRead = -Infinity;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** When the scheduled frame will run: an earlier request (the focused pane, a key) moves it forward. */
  private timerDue = Infinity;
  private lastFrame = 0;
  private blocked = false;
  private paused = true;
  private syncSince = new Map<string, number>();
  /** Frames written (for tests and the benchmark). */
  frames = 0;

  constructor(private readonly opts: CompositorOptions) {}

  setSize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.chromeGrid.resize(cols, rows);
    this.next.resize(cols, rows);
    this.dirtyRows = new Uint8Array(rows);
    this.recompose = true;
    this.prev = null;
    this.chromeDirty = true;
    for (const p of this.panes.values()) p.dirty = true;
    this.request();
  }

  setChrome(term: XTerm): void {
    this.chrome = term;
    this.markChromeDirty();
  }

  markChromeDirty(): void {
    this.chromeDirty = true;
    this.recompose = true;
    this.request();
  }

  /** Which agents are visible where. Unchanged placements keep their cached cells. */
  setPanes(placements: PanePlacement[], overlay: Rect | null): void {
    const seen = new Set<string>();
    for (const pl of placements) {
      seen.add(pl.agent);
      const cur = this.panes.get(pl.agent);
      if (!cur) {
        this.panes.set(pl.agent, { grid: new CellGrid(pl.rect.width, pl.rect.height), dirty: true, lastRead: -Infinity, placement: pl });
        this.recompose = true;
        continue;
      }
      const o = cur.placement;
      const moved = o.rect.x !== pl.rect.x || o.rect.y !== pl.rect.y || o.rect.width !== pl.rect.width || o.rect.height !== pl.rect.height;
      if (moved) {
        cur.grid.resize(pl.rect.width, pl.rect.height);
        this.recompose = true;
      }
      if (moved || o.top !== pl.top || o.term !== pl.term || o.matches !== pl.matches || o.currentMatch !== pl.currentMatch || o.greyed !== pl.greyed) cur.dirty = true;
      cur.placement = pl;
    }
    for (const id of [...this.panes.keys()]) {
      if (!seen.has(id)) {
        this.panes.delete(id);
        this.recompose = true;
      }
    }
    const ov = this.overlay;
    if ((ov === null) !== (overlay === null) || (ov && overlay && (ov.x !== overlay.x || ov.y !== overlay.y || ov.width !== overlay.width || ov.height !== overlay.height))) {
      this.overlay = overlay;
      this.recompose = true;
    }
    this.request();
  }

  markAgentDirty(agent: string): void {
    const p = this.panes.get(agent);
    if (!p) return; // not visible: nothing to draw (its emulator still records everything)
    p.dirty = true;
    // The focused pane is drawn at once (a keystroke's echo); the others wait for the next
    // background frame, so several panes printing at once cost one frame, not one each.
    const gap = 1000 / this.opts.backgroundFps;
    this.request(p.placement.focused ? undefined : Math.max(0, Math.max(this.lastBackgroundRead, p.lastRead) + gap - performance.now()));
  }

  /** Forget what is on screen: the next frame rewrites every cell (after attach, or a terminal reset). */
  invalidate(): void {
    this.prev = null;
    this.recompose = true;
    this.request();
  }

  pause(): void {
    this.paused = true;
    this.cancel();
  }

  resume(): void {
    this.paused = false;
    this.invalidate();
  }

  private cancel(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    this.timerDue = Infinity;
  }

  private request(delayMs?: number): void {
    if (this.paused || this.blocked) return;
    const minGap = 1000 / this.opts.fps;
    const now = performance.now();
    const wait = delayMs ?? Math.max(0, this.lastFrame + minGap - now);
    const due = now + wait;
    if (this.timer) {
      if (due >= this.timerDue) return;
      this.cancel();
    }
    this.timerDue = due;
    // Leading edge when idle (a keystroke's echo shows at once), then at most `fps` frames a second.
    this.timer = wait <= 0 ? setImmediate(() => this.frame()) : setTimeout(() => this.frame(), wait);
  }

  private frame(): void {
    this.timer = null;
    this.timerDue = Infinity;
    if (this.paused || this.cols === 0 || this.rows === 0) return;
    const now = performance.now();
    this.lastFrame = now;
    if (this.chromeDirty && this.chrome) {
      readTerminal(this.chrome, this.chromeGrid, null);
      if (this.opts.monochrome) monochrome(this.chromeGrid);
      this.chromeDirty = false;
    }
    const full = this.recompose;
    this.recompose = false;
    if (full) {
      this.next.copyFrom(this.chromeGrid);
      this.dirtyRows.fill(1);
    }
    const bgGap = 1000 / this.opts.backgroundFps;
    const backgroundDue = now - this.lastBackgroundRead >= bgGap - 1;
    let readBackground = false;
    let later = Infinity;
    for (const [id, p] of this.panes) {
      const pl = p.placement;
      let drawn = false;
      if (p.dirty) {
        const syncing = pl.top === null && pl.term.modes.synchronizedOutputMode;
        if (!syncing) this.syncSince.delete(id);
        const holding = syncing && this.holdSync(id, now);
        const tooSoon = !pl.focused && (!backgroundDue || now - p.lastRead < bgGap - 1);
        if (holding || tooSoon) {
          // Keep showing the previous cells; come back for this pane shortly.
          later = Math.min(later, holding ? 16 : Math.max(this.lastBackgroundRead, p.lastRead) + bgGap - now);
        } else {
          readTerminal(pl.term, p.grid, pl.top);
          if (pl.top !== null && pl.matches?.length) highlight(p.grid, pl.top, pl.matches, pl.currentMatch ?? -1);
          if (pl.greyed) greyOut(p.grid);
          p.dirty = false;
          p.lastRead = now;
          drawn = true;
          if (!pl.focused) readBackground = true;
        }
      }
      if (full || drawn) {
        this.next.blit(p.grid, pl.rect.x, pl.rect.y, this.overlay);
        if (!full) this.dirtyRows.fill(1, Math.max(0, pl.rect.y), Math.min(this.rows, pl.rect.y + pl.rect.height));
      }
    }
    if (readBackground) this.lastBackgroundRead = now;
    const diff = frameDiff(this.prev, this.next, this.prev ? this.dirtyRows : null);
    if (!this.prev) this.prev = new CellGrid(this.cols, this.rows);
    this.prev.copyRows(this.next, this.dirtyRows);
    this.dirtyRows.fill(0);
    if (diff) {
      this.frames++;
      const ok = this.opts.write(SYNC_BEGIN + diff + SYNC_END);
      if (!ok) {
        // The terminal is behind: produce nothing until it drains, then draw the latest state once.
        this.blocked = true;
        this.opts.onDrain(() => {
          this.blocked = false;
          this.request();
        });
      }
    }
    if (later !== Infinity) this.request(Math.max(1, later));
  }

  /** True while a pane's program is mid-frame (synchronized output), for at most SYNC_HOLD_CAP_MS. */
  private holdSync(agent: string, now: number): boolean {
    const since = this.syncSince.get(agent);
    if (since === undefined) {
      this.syncSince.set(agent, now);
      return true;
    }
    if (now - since < SYNC_HOLD_CAP_MS) return true;
    this.syncSince.delete(agent);
    return false;
  }
}

/** A screen that is not live: its colours dropped and every cell dim, so it reads as a still. */
export function greyOut(grid: CellGrid): void {
  for (let i = 0; i < grid.fg.length; i++) {
    grid.attrs[i] = (grid.attrs[i]! | ATTR_DIM) & ~ATTR_BOLD;
    grid.fg[i] = 0;
    grid.bg[i] = 0;
  }
}

/** Strip a grid's colours in place; a cell that had a background colour becomes reverse video. */
export function monochrome(grid: CellGrid): void {
  for (let i = 0; i < grid.fg.length; i++) {
    if (grid.bg[i] !== 0) grid.attrs[i] = grid.attrs[i]! | ATTR_INVERSE;
    grid.fg[i] = 0;
    grid.bg[i] = 0;
  }
}

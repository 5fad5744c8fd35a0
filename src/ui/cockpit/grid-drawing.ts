import React from 'react';
import { PassThrough } from 'node:stream';
import { render, type Instance } from 'ink';
import type { CockpitBackend } from '../../core/backend/cockpit-backend.js';
import { TerminalScreen } from '../../core/agents/terminal-screen.js';
import type { FlowerConfig } from '../../config/config.js';
import type { Layout } from '../../layout/layout.js';
import { App } from '../components/App.js';
import { dialogRect } from '../components/overlay.js';
import { Compositor } from '../compositor/compositor.js';
import { HeaderClock } from '../header-clock.js';
import type { Keymap } from '../keymap.js';
import { VirtualStdout } from '../virtual-stdout.js';
import type { CockpitState } from './cockpit-state.js';
import { cockpitLayout } from './cockpit-layout.js';
import { shownDurations } from './header-durations.js';
import { panePlacements, type PaneSizes } from './pane-placement.js';
import type { ScrollHistory } from './scroll-history.js';

export interface DrawingOptions {
  state: CockpitState;
  backend: CockpitBackend;
  config: FlowerConfig;
  keymap: Keymap;
  stdout: NodeJS.WriteStream;
  history: ScrollHistory;
  sizes: PaneSizes;
  /** An agent is attached: it owns the terminal, the grid is not drawn. */
  attached(): boolean;
  finished(): boolean;
}

/**
 * The grid as drawn: Ink renders the chrome into a virtual stdout feeding a headless terminal, and
 * the compositor lays each visible agent's cells over the chrome's into the real terminal. Header
 * durations tick on a clock of their own.
 */
export class GridDrawing {
  readonly compositor: Compositor;
  private readonly chrome: TerminalScreen;
  private readonly vout: VirtualStdout;
  private ink: Instance | null = null;
  private current!: Layout;

  constructor(private readonly o: DrawingOptions) {
    const { cols, rows } = this.size();
    this.chrome = new TerminalScreen(cols, rows, 0, { convertEol: true });
    this.vout = new VirtualStdout(cols, rows, (chunk) => this.chrome.write(chunk, () => this.compositor.markChromeDirty()));
    this.compositor = new Compositor({
      fps: o.config.ui.fps,
      backgroundFps: o.config.ui.backgroundFps,
      monochrome: Boolean(process.env.NO_COLOR),
      write: (d) => o.stdout.write(d),
      onDrain: (fn) => o.stdout.once('drain', fn),
    });
    this.compositor.setChrome(this.chrome.term);
    this.compositor.setSize(cols, rows);
  }

  /** The layout last drawn (computed at the latest update). */
  get layout(): Layout {
    return this.current;
  }

  size(): { cols: number; rows: number } {
    return { cols: this.o.stdout.columns || 80, rows: this.o.stdout.rows || 24 };
  }

  /** Mount Ink (chrome only: agents' rectangles stay blank there) and start drawing. */
  start(): void {
    this.ink = render(React.createElement(App, this.appProps()), {
      stdout: this.vout as unknown as NodeJS.WriteStream,
      stdin: new PassThrough() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 30,
    });
    this.compositor.resume();
  }

  private appProps() {
    const s = this.o.state;
    return {
      snapshot: s.snapshot,
      ui: s.ui,
      layout: this.current ?? this.computeLayout(),
      keymap: this.o.keymap,
      scrollDepth: (agent: string) => {
        const t = this.o.history.screen(agent)?.term;
        const scroll = s.ui.scroll;
        return t && scroll?.agent === agent ? Math.max(0, t.buffer.active.baseY - scroll.top) : 0;
      },
    };
  }

  private computeLayout(): Layout {
    const { cols, rows } = this.size();
    return cockpitLayout(cols, rows, this.o.state.snapshot, this.o.state.ui);
  }

  /** Layout, pty sizes, compositor placements, chrome: all from state (only the layout while attached). */
  update(): void {
    this.current = this.computeLayout();
    if (this.o.attached()) return this.clock.stop(); // the attached agent owns the terminal; the grid catches up on detach
    const { snapshot, ui } = this.o.state;
    const placements = panePlacements(this.current, snapshot, ui, this.o.backend, this.o.sizes, (agent) => this.o.history.screen(agent));
    const { cols, rows } = this.size();
    this.compositor.setPanes(this.current.tooSmall ? [] : placements, dialogRect(ui.dialog, snapshot, this.o.keymap, cols, rows));
    this.ink?.rerender(React.createElement(App, this.appProps()));
    this.showDurations();
  }

  /** Header durations ("working 42s") move on between snapshots: one timer for the first to change. */
  private readonly clock = new HeaderClock(() => {
    if (this.o.finished() || this.o.attached()) return;
    this.ink?.rerender(React.createElement(App, this.appProps()));
    this.showDurations();
  });

  private showDurations(): void {
    if (this.o.finished() || this.o.attached() || !this.current || this.current.tooSmall) return this.clock.stop();
    this.clock.show(shownDurations(this.current, this.o.state.snapshot));
  }

  stopClock(): void {
    this.clock.stop();
  }

  /** The terminal's new size: chrome, virtual stdout and compositor follow. */
  resize(): void {
    const { cols, rows } = this.size();
    this.chrome.resize(cols, rows);
    this.vout.resize(cols, rows);
    this.compositor.setSize(cols, rows);
  }

  /** Unmount Ink (the terminal is given back). */
  unmount(): void {
    try {
      this.ink?.unmount();
    } catch {
      /* already unmounted */
    }
    this.ink = null;
  }
}

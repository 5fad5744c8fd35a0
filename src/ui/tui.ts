import React from 'react';
import { PassThrough } from 'node:stream';
import { render, type Instance } from 'ink';
import type { BackendEvent, CockpitBackend } from '../core/backend/cockpit-backend.js';
import { TerminalScreen } from '../core/agents/terminal-screen.js';
import { agentStateLabel, type SupervisorEvent } from '../core/types.js';
import type { FlowerConfig } from '../config/config.js';
import { App } from './components/App.js';
import { dialogRect } from './components/overlay.js';
import { AttachSession } from './attach-session.js';
import { editText } from '../shared/editor.js';
import { Compositor } from './compositor/compositor.js';
import { tokenizeKeys } from './input/key-tokens.js';
import type { Keymap } from './keymap.js';
import type { Layout } from '../layout/layout.js';
import { VirtualStdout } from './virtual-stdout.js';
import { HeaderClock } from './header-clock.js';
import { CockpitState } from './cockpit/cockpit-state.js';
import { gridModes, gridModesAgain, lendTerminal, TERMINAL_RESTORE } from './cockpit/terminal-modes.js';
import { PaneSizes, panePlacements } from './cockpit/pane-placement.js';
import { ScrollHistory } from './cockpit/scroll-history.js';
import { TraceLoading } from './cockpit/trace-loading.js';
import { FocusMemory } from './cockpit/focus-memory.js';
import { LaneCommands } from './cockpit/lane-commands.js';
import { RestoreOffer } from './cockpit/restore-offer.js';
import { onBackendEvent, type EventHost } from './cockpit/backend-events.js';
import { runEffects, type EffectHost } from './cockpit/effect-runner.js';
import { attentionBytes } from './cockpit/notifications.js';
import { withEditedSpec } from './cockpit/dialog-opening.js';
import { runKeys, type KeyHost } from './cockpit/key-runner.js';
import { shownDurations } from './cockpit/header-durations.js';
import { cockpitLayout } from './cockpit/cockpit-layout.js';

export { TERMINAL_RESTORE };

export interface TuiOptions {
  backend: CockpitBackend;
  config: FlowerConfig;
  keymap: Keymap;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** A line shown in the status bar at start (e.g. which agents failed to start). */
  initialMessage?: { text: string; level: 'info' | 'error' };
}

/**
 * The interactive cockpit: its lifecycle (start, quit, the terminal given back) and attach. It wires
 * the supervisor's state into Ink (chrome) and the compositor (agent screens), and routes raw
 * keyboard input to the grid, a dialog, or an attached agent; the parts live in ./cockpit/.
 */
export class Tui {
  private readonly s: CockpitState;
  private layout!: Layout;
  private readonly compositor: Compositor;
  private readonly chrome: TerminalScreen;
  private readonly vout: VirtualStdout;
  private ink: Instance | null = null;
  private attach: AttachSession | null = null;
  private resizeTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly sizes = new PaneSizes();
  private readonly history: ScrollHistory;
  private readonly trace: TraceLoading;
  private readonly focus: FocusMemory;
  private readonly lanes: LaneCommands;
  private readonly restore: RestoreOffer;
  private readonly events: EventHost;
  private readonly effects: EffectHost;
  private readonly keys: KeyHost;
  /** Set when leaving: "detached" (agents keep running) or "stopped". */
  outcome: 'detached' | 'stopped' = 'stopped';
  private finished = false;
  private resolveExit!: () => void;
  readonly exited: Promise<void>;

  constructor(private readonly o: TuiOptions) {
    this.s = new CockpitState(o.backend, o.config, () => this.update());
    this.history = new ScrollHistory(o.backend);
    this.trace = new TraceLoading(this.s);
    this.focus = new FocusMemory(this.s);
    this.lanes = new LaneCommands(this.s);
    this.restore = new RestoreOffer(this.s);
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
    this.exited = new Promise((r) => (this.resolveExit = r));
    if (o.initialMessage) this.s.ui = { ...this.s.ui, message: o.initialMessage };
    const parts = { state: this.s, trace: this.trace, lanes: this.lanes };
    this.events = {
      ...parts,
      sizes: this.sizes,
      focus: this.focus,
      restore: this.restore,
      attachedAgent: () => this.attach?.agent.info.id ?? null,
      endAttach: (reason) => this.endAttach(reason),
      markAgentDirty: (agent) => this.compositor.markAgentDirty(agent),
      invalidate: () => this.compositor.invalidate(),
      ring: (agent, reason, needsYou) => this.ring(agent, reason, needsYou),
      quit: () => this.quit().then(() => void (this.outcome = 'stopped')),
    };
    this.effects = {
      ...parts,
      quit: () => this.quit(),
      attach: (agent) => this.startAttach(agent),
      editSpec: (title, spec) => this.editSpec(title, spec),
    };
    this.keys = { state: this.s, history: this.history, focus: this.focus, effects: this.effects, keymap: o.keymap, layout: () => this.layout, finished: () => this.finished };
  }

  private size(): { cols: number; rows: number } {
    return { cols: this.o.stdout.columns || 80, rows: this.o.stdout.rows || 24 };
  }

  start(): void {
    const { stdin, stdout, backend } = this.o;
    const s = this.s;
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    stdin.on('data', this.onInput);
    stdin.resume();
    stdout.on('resize', this.onResize);
    stdout.write(gridModes(this.o.config.ui.mouse));
    this.unsubscribe = backend.subscribe((e: SupervisorEvent | BackendEvent) => onBackendEvent(this.events, e));
    this.focus.startFocus();
    // What the server has to say that this operator may not have seen (a restore, a recovered state file).
    const recent = s.snapshot.notices.filter((n) => Date.now() - Date.parse(n.ts) < 10 * 60_000).pop();
    if (recent && !s.ui.message) s.ui = { ...s.ui, message: { text: recent.text, level: recent.level } };
    this.restore.offer(this.attach !== null);
    this.ink = render(React.createElement(App, this.appProps()), {
      stdout: this.vout as unknown as NodeJS.WriteStream,
      stdin: new PassThrough() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 30,
    });
    this.compositor.resume();
    this.update();
  }

  private appProps() {
    return {
      snapshot: this.s.snapshot,
      ui: this.s.ui,
      layout: this.layout ?? this.computeLayout(),
      keymap: this.o.keymap,
      scrollDepth: (agent: string) => {
        const t = this.history.screen(agent)?.term;
        const scroll = this.s.ui.scroll;
        return t && scroll?.agent === agent ? Math.max(0, t.buffer.active.baseY - scroll.top) : 0;
      },
    };
  }

  private computeLayout(): Layout {
    const { cols, rows } = this.size();
    return cockpitLayout(cols, rows, this.s.snapshot, this.s.ui);
  }

  /** Re-derive everything visible from state: layout, pty sizes, compositor placements, chrome. */
  private update(): void {
    if (this.finished) return;
    this.history.dropStale(this.s.ui);
    this.focus.sendFocus();
    this.layout = this.computeLayout();
    if (this.attach) return this.clock.stop(); // the attached agent owns the terminal; the grid catches up on detach
    const { snapshot, ui } = this.s;
    const placements = panePlacements(this.layout, snapshot, ui, this.o.backend, this.sizes, (agent) => this.history.screen(agent));
    const { cols, rows } = this.size();
    this.compositor.setPanes(this.layout.tooSmall ? [] : placements, dialogRect(ui.dialog, snapshot, this.o.keymap, cols, rows));
    this.ink?.rerender(React.createElement(App, this.appProps()));
    this.showDurations();
  }

  /** Header durations ("working 42s") move on between snapshots: one timer for the first to change. */
  private readonly clock = new HeaderClock(() => {
    if (this.finished || this.attach) return;
    this.ink?.rerender(React.createElement(App, this.appProps()));
    this.showDurations();
  });

  private showDurations(): void {
    if (this.finished || this.attach || !this.layout || this.layout.tooSmall) return this.clock.stop();
    this.clock.show(shownDurations(this.layout, this.s.snapshot));
  }

  /** An agent wants the operator: the bell, and a desktop notification when configured. */
  private ring(agent: string, reason: string, needsYou: boolean): void {
    if (this.attach?.agent.info.id === agent) return; // the operator is looking right at it
    const out = attentionBytes(this.o.config.notify, agent, reason, needsYou);
    if (out) this.o.stdout.write(out);
  }

  private readonly onInput = (chunk: string | Buffer) => {
    const data = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.attach) {
      this.attach.input(data);
      return;
    }
    if (this.layout.tooSmall) {
      // Only quitting makes sense when nothing can be shown.
      if (data === 'q' || data === '\x03') runEffects(this.effects, [{ type: 'quit' }]);
      return;
    }
    runKeys(this.keys, tokenizeKeys(data));
  };

  /**
   * ctrl-e on a new brief's spec: the terminal is lent to $VISUAL/$EDITOR (grid drawing paused,
   * the alternate screen and raw mode left), then taken back; the edited spec goes back into the
   * spec field, so the operator still sees it and adds it with Enter (or Esc).
   */
  private editSpec(title: string, spec: string): void {
    this.compositor.pause();
    const r = lendTerminal({ stdin: this.o.stdin, stdout: this.o.stdout, onInput: this.onInput, mouse: this.o.config.ui.mouse }, () => editText(spec, 'spec.md'));
    this.s.ui = withEditedSpec(this.s.ui, title, spec, r);
    this.compositor.resume();
    this.update();
  }

  private async startAttach(agentId: string): Promise<void> {
    const agent = this.o.backend.agent(agentId);
    if (!agent || this.attach) return;
    this.compositor.pause();
    const session = new AttachSession(
      agent,
      { write: (d) => this.o.stdout.write(d), cols: () => this.size().cols, rows: () => this.size().rows },
      this.o.keymap.detachLetter,
      () => this.endAttach('key'),
    );
    this.attach = session;
    void this.o.backend.dispatch({ type: 'note', action: 'attach', agent: agentId }).catch(() => {});
    await session.start();
  }

  private endAttach(reason: 'key' | 'exit' | 'server'): void {
    const a = this.attach;
    if (!a) return;
    this.attach = null;
    a.dispose();
    const id = a.agent.info.id;
    if (reason === 'key') void this.o.backend.dispatch({ type: 'note', action: 'detach', agent: id }).catch(() => {});
    this.o.stdout.write(gridModesAgain(this.o.config.ui.mouse));
    const label = agentStateLabel(a.agent.info.state);
    const text = reason === 'exit' ? `${id} ${label} — detached` : reason === 'server' ? 'server gone' : `detached from ${id}`;
    this.s.ui = { ...this.s.ui, message: { text, level: 'info' } };
    // Our pane sizes must be asked for again: attaching gave the agent the whole terminal.
    this.sizes.forget(id);
    this.compositor.resume();
    this.update();
  }

  private readonly onResize = () => {
    if (this.resizeTimer) clearTimeout(this.resizeTimer);
    // Debounced: dragging a window edge sends dozens of sizes; programs redraw once for the last one.
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null;
      const { cols, rows } = this.size();
      this.chrome.resize(cols, rows);
      this.vout.resize(cols, rows);
      this.compositor.setSize(cols, rows);
      if (this.attach) this.attach.resize();
      this.update();
    }, 40);
  };

  /**
   * Leave the grid: restore the terminal, then either stop every agent (local backend) or just
   * disconnect (remote: the server keeps them running). Resolves `exited`. Safe to call twice.
   */
  async quit(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.clock.stop();
    this.teardownTerminal();
    if (this.o.backend.kind === 'local') this.o.stdout.write('flower-tui: stopping agents…\r');
    await this.o.backend.close();
    this.outcome = this.o.backend.kind === 'remote' && !this.s.stopping ? 'detached' : 'stopped';
    this.o.stdout.write('\x1b[2K');
    this.resolveExit();
  }

  /** Give the terminal back exactly as we found it. Synchronous: also used from exit handlers. */
  teardownTerminal(): void {
    this.attach?.dispose();
    this.attach = null;
    this.history.release();
    this.compositor.pause();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.o.stdin.off('data', this.onInput);
    this.o.stdout.off('resize', this.onResize);
    try {
      this.ink?.unmount();
    } catch {
      /* already unmounted */
    }
    this.ink = null;
    this.o.stdout.write(TERMINAL_RESTORE);
    try {
      this.o.stdin.setRawMode?.(false);
    } catch {
      /* stdin already closed (terminal gone) */
    }
    this.o.stdin.pause();
  }
}

import type { BackendEvent, CockpitBackend } from '../core/backend/cockpit-backend.js';
import { agentStateLabel, type SupervisorEvent } from '../core/types.js';
import type { FlowerConfig } from '../config/config.js';
import { AttachSession } from './attach-session.js';
import { ownTty } from './own-tty.js';
import { editText } from '../shared/editor.js';
import { tokenizeKeys } from './input/key-tokens.js';
import type { Keymap } from './keymap.js';
import { CockpitState } from './cockpit/cockpit-state.js';
import { gridModes, gridModesAgain, lendTerminal, TERMINAL_RESTORE } from './cockpit/terminal-modes.js';
import { PaneSizes } from './cockpit/pane-placement.js';
import { GridDrawing } from './cockpit/grid-drawing.js';
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
  /** Ink's chrome and the compositor's agents, laid out from state. */
  private readonly drawing: GridDrawing;
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
    this.drawing = new GridDrawing({
      state: this.s, backend: o.backend, config: o.config, keymap: o.keymap, stdout: o.stdout, history: this.history, sizes: this.sizes,
      attached: () => this.attach !== null,
      finished: () => this.finished,
    });
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
    this.keys = { state: this.s, history: this.history, focus: this.focus, effects: this.effects, keymap: o.keymap, layout: () => this.drawing.layout, finished: () => this.finished };
  }

  private get compositor() {
    return this.drawing.compositor;
  }

  private size(): { cols: number; rows: number } {
    return this.drawing.size();
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
    this.drawing.start();
    this.update();
  }

  /** Re-derive everything visible from state: layout, pty sizes, compositor placements, chrome. */
  private update(): void {
    if (this.finished) return;
    this.history.dropStale(this.s.ui);
    this.focus.sendFocus();
    this.drawing.update();
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
    if (this.drawing.layout.tooSmall) {
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
      { write: (d) => this.o.stdout.write(d), cols: () => this.size().cols, rows: () => this.size().rows, tty: ownTty(this.o.stdout as NodeJS.WriteStream) },
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
    // The grid is drawn once the terminal is ours again (a server writing to it has stopped).
    void a.dispose().then(() => this.afterDetach(a, reason));
  }

  private afterDetach(a: AttachSession, reason: 'key' | 'exit' | 'server'): void {
    if (this.finished) return;
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
      this.drawing.resize();
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
    this.drawing.stopClock();
    this.teardownTerminal();
    if (this.o.backend.kind === 'local') this.o.stdout.write('flower-tui: stopping agents…\r');
    await this.o.backend.close();
    this.outcome = this.o.backend.kind === 'remote' && !this.s.stopping ? 'detached' : 'stopped';
    this.o.stdout.write('\x1b[2K');
    this.resolveExit();
  }

  /** Give the terminal back exactly as we found it. Synchronous: also used from exit handlers. */
  teardownTerminal(): void {
    this.attach?.disposeNow();
    this.attach = null;
    this.history.release();
    this.compositor.pause();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.o.stdin.off('data', this.onInput);
    this.o.stdout.off('resize', this.onResize);
    this.drawing.unmount();
    this.o.stdout.write(TERMINAL_RESTORE);
    try {
      this.o.stdin.setRawMode?.(false);
    } catch {
      /* stdin already closed (terminal gone) */
    }
    this.o.stdin.pause();
  }
}

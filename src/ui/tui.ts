import React from 'react';
import { PassThrough } from 'node:stream';
import { render, type Instance } from 'ink';
import type { AgentHistory, BackendEvent, CockpitBackend, LaneCommand } from '../core/backend.js';
import type { MergePreview } from '../core/merge/merge-preview.js';
import type { BriefDetail } from '../core/briefs/brief-ops.js';
import { TerminalScreen } from '../core/agents/terminal-screen.js';
import { describeError } from '../shared/errors.js';
import { agentStateLabel, type Snapshot, type SupervisorEvent } from '../core/types.js';
import type { FlowerConfig } from '../config/config.js';
import { App } from './components/App.js';
import { dialogRect } from './components/overlay.js';
import { AttachSession, RESET_AGENT_MODES } from './attach-session.js';
import { editText } from '../shared/editor.js';
import { Compositor, type PanePlacement } from './compositor/compositor.js';
import { handleKey, type Effect, type KeyContext } from './input/grid-keys.js';
import { tokenizeKeys, type Key } from './input/key-tokens.js';
import type { Keymap } from './keymap.js';
import { computeLayout, type Layout } from '../layout/layout.js';
import { searchBuffer } from './scrollback-search.js';
import { initialUiState, lanesOf, reconcileFocus, type UiState } from './ui-state.js';
import { VirtualStdout } from './virtual-stdout.js';
import { HeaderClock } from './header-clock.js';

export interface TuiOptions {
  backend: CockpitBackend;
  config: FlowerConfig;
  keymap: Keymap;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** A line shown in the status bar at start (e.g. which agents failed to start). */
  initialMessage?: { text: string; level: 'info' | 'error' };
}

/** MAIN's strip grows with the terminal (and with a dirty alarm to show): the ops loop needs to see it. */
export function mainHeightFor(rows: number, snapshot: Snapshot): number {
  const base = rows >= 40 ? 7 : rows >= 24 ? 5 : 3;
  return snapshot.main.changes > 0 && rows >= 20 ? Math.max(base, 5) : base;
}

/** Terminal modes the grid runs with; undone by TERMINAL_RESTORE on every exit path. */
const GRID_MODES_BASE = '\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[?2004h';
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const TERMINAL_RESTORE = RESET_AGENT_MODES + '\x1b[?1049l\x1b[?25h\x1b[?7h';

/**
 * The interactive cockpit: wires the supervisor's state into Ink (chrome) and the compositor
 * (agent screens), and routes raw keyboard input to the grid, a dialog, or an attached agent.
 */
export class Tui {
  private ui: UiState = initialUiState();
  private snapshot: Snapshot;
  private layout!: Layout;
  private readonly compositor: Compositor;
  private readonly chrome: TerminalScreen;
  private readonly vout: VirtualStdout;
  private ink: Instance | null = null;
  private attach: AttachSession | null = null;
  private resizeTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The pane size this client last asked for, per agent: we only ask again when our layout changes,
   * so two clients of different sizes cannot ping-pong resizes through snapshot events. */
  private readonly requestedSize = new Map<string, string>();
  /** Scroll mode's view of an agent: its screen with scrollback (a copy fetched from the server when remote). */
  private scrollHistory: { agent: string; history: AgentHistory } | null = null;
  /** The agent whose history could not be fetched just now: scroll mode runs on its live screen. */
  private historyUnavailable: string | null = null;
  /** Keys wait here while a scroll history is being fetched, then run in order. */
  private heldKeys: Key[] | null = null;
  /** The focus this client last told the server about (undefined: not yet, or a new connection). */
  private sentFocus: string | null | undefined = undefined;
  /** Set when leaving: "detached" (agents keep running) or "stopped". */
  outcome: 'detached' | 'stopped' = 'stopped';
  private stopping = false;
  private finished = false;
  private resolveExit!: () => void;
  readonly exited: Promise<void>;

  constructor(private readonly o: TuiOptions) {
    this.snapshot = o.backend.snapshot();
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
    if (o.initialMessage) this.ui = { ...this.ui, message: o.initialMessage };
  }

  private size(): { cols: number; rows: number } {
    return { cols: this.o.stdout.columns || 80, rows: this.o.stdout.rows || 24 };
  }

  start(): void {
    const { stdin, stdout, backend } = this.o;
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    stdin.on('data', this.onInput);
    stdin.resume();
    stdout.on('resize', this.onResize);
    stdout.write(GRID_MODES_BASE + (this.o.config.ui.mouse ? MOUSE_ON : ''));
    this.unsubscribe = backend.subscribe(this.onEvent);
    this.ui = reconcileFocus(this.ui, this.snapshot);
    // Start where the operator left off; else on the first lane's first agent: that is where the work
    // is (MAIN is one Tab away).
    const lanes = lanesOf(this.snapshot);
    const saved = this.snapshot.savedFocus;
    const savedLane = saved && lanes.find((l) => l.name === saved.lane);
    if (savedLane) this.ui = { ...this.ui, focusLane: savedLane.name, focusAgent: saved!.agent && savedLane.agents.includes(saved!.agent) ? saved!.agent : (savedLane.agents[0] ?? null) };
    else if (lanes[0]) this.ui = { ...this.ui, focusLane: lanes[0].name, focusAgent: lanes[0].agents[0] ?? null };
    this.savedFocus = `${this.ui.focusLane}\0${this.ui.focusAgent ?? ''}`;
    // What the server has to say that this operator may not have seen (a restore, a recovered state file).
    const recent = this.snapshot.notices.filter((n) => Date.now() - Date.parse(n.ts) < 10 * 60_000).pop();
    if (recent && !this.ui.message) this.ui = { ...this.ui, message: { text: recent.text, level: recent.level } };
    this.offerRestore();
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
      snapshot: this.snapshot,
      ui: this.ui,
      layout: this.layout ?? this.computeLayout(),
      keymap: this.o.keymap,
      scrollDepth: (agent: string) => {
        const t = this.scrollScreen(agent)?.term;
        return t && this.ui.scroll?.agent === agent ? Math.max(0, t.buffer.active.baseY - this.ui.scroll.top) : 0;
      },
    };
  }

  private computeLayout(): Layout {
    const { cols, rows } = this.size();
    return computeLayout({ cols, rows, lanes: lanesOf(this.snapshot), focusLane: this.ui.focusLane, focusAgent: this.ui.focusAgent, mainHeight: mainHeightFor(rows, this.snapshot), ops: this.snapshot.monitor.ops });
  }

  /** Re-derive everything visible from state: layout, pty sizes, compositor placements, chrome. */
  private update(): void {
    if (this.finished) return;
    this.dropStaleScrollHistory();
    if (this.ui.focusAgent !== this.sentFocus) {
      this.sentFocus = this.ui.focusAgent;
      this.o.backend.setFocus?.(this.ui.focusAgent);
    }
    this.layout = this.computeLayout();
    if (this.attach) return this.clock.stop(); // the attached agent owns the terminal; the grid catches up on detach
    const placements: PanePlacement[] = [];
    for (const lane of this.layout.lanes) {
      for (const slot of lane.slots) {
        const agent = this.o.backend.agent(slot.id);
        if (!agent) continue;
        // The pty gets exactly the space it is shown in, so full-screen programs lay out for it.
        const want = `${slot.screen.width}x${slot.screen.height}`;
        if (this.requestedSize.get(slot.id) !== want) {
          this.requestedSize.set(slot.id, want);
          agent.resize(slot.screen.width, slot.screen.height);
        }
        const scroll = this.ui.scroll?.agent === slot.id ? this.ui.scroll : null;
        placements.push({
          agent: slot.id,
          rect: slot.screen,
          term: (scroll ? this.scrollScreen(slot.id) : agent.screen)?.term ?? agent.screen.term,
          top: scroll ? scroll.top : null,
          matches: scroll?.matches,
          currentMatch: scroll?.current,
          focused: this.ui.focusAgent === slot.id,
        });
      }
    }
    if (this.layout.ops && this.snapshot.monitor.ops) {
      const ops = this.o.backend.agent(this.snapshot.monitor.ops);
      const r = this.layout.ops;
      if (ops) {
        const want = `${r.width}x${r.height}`;
        if (this.requestedSize.get(this.snapshot.monitor.ops) !== want) {
          this.requestedSize.set(this.snapshot.monitor.ops, want);
          ops.resize(r.width, r.height);
        }
        placements.push({ agent: this.snapshot.monitor.ops, rect: r, term: ops.screen.term, top: null, focused: false });
      }
    }
    const { cols, rows } = this.size();
    this.compositor.setPanes(this.layout.tooSmall ? [] : placements, dialogRect(this.ui.dialog, this.snapshot, this.o.keymap, cols, rows));
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
    const shown: { state: Parameters<HeaderClock['show']>[0][number]['state']; since: string }[] = this.layout.lanes.flatMap((l) => l.slots.map((s) => this.snapshot.agents.find((a) => a.id === s.id)?.status).filter((s) => s !== undefined));
    // MAIN's monitor shows the queue head's step as m:ss ("gate 0:42"): it moves every second.
    const head = this.snapshot.queue?.entries[0];
    if (head && head.step !== 'queued' && head.stepAt) shown.push({ state: 'seconds', since: head.stepAt });
    this.clock.show(shown);
  }

  private readonly onEvent = (e: SupervisorEvent | BackendEvent) => {
    if (e.type === 'screen') this.compositor.markAgentDirty(e.agent);
    else if (e.type === 'snapshot') {
      this.snapshot = e.snapshot;
      if (this.pendingFocusLane && this.snapshot.worktrees.some((w) => w.name === this.pendingFocusLane)) {
        this.ui = { ...this.ui, focusLane: this.pendingFocusLane, focusAgent: null };
        this.pendingFocusLane = null;
      }
      this.ui = reconcileFocus(this.ui, this.snapshot);
      if (this.attach && !this.o.backend.agent(this.attach.agent.info.id)?.isLive) this.endAttach('exit');
      this.offerRestore();
      if (this.ui.dialog?.kind === 'trace') this.loadTraceSoon();
      this.update();
    } else if (e.type === 'error') {
      this.setMessage(e.message, 'error');
    } else if (e.type === 'notice') {
      this.setMessage(e.notice.text, e.notice.level);
    } else if (e.type === 'attention') {
      this.ring(e.agent, e.reason, e.needsYou === true);
    } else if (e.type === 'disconnected') {
      if (this.stopping) {
        // We asked the server to stop: its going away is the success, not an accident.
        void this.quit().then(() => (this.outcome = 'stopped'));
        return;
      }
      if (this.attach) this.endAttach('server');
      this.requestedSize.clear();
      this.ui = { ...this.ui, dialog: { kind: 'server-gone', reason: e.reason } };
      this.update();
    } else if (e.type === 'reconnected') {
      this.requestedSize.clear();
      this.sentFocus = undefined;
      this.snapshot = this.o.backend.snapshot();
      this.ui = reconcileFocus({ ...this.ui, dialog: null, message: { text: 'server restarted — agents were restored from the config', level: 'info' } }, this.snapshot);
      this.compositor.invalidate();
      this.update();
    }
  };

  /** An agent wants the operator: the bell, and a desktop notification when configured (OSC 9 and 777). */
  private ring(agent: string, reason: string, needsYou: boolean): void {
    if (this.attach?.agent.info.id === agent) return; // the operator is looking right at it
    const n = this.o.config.notify;
    const text = (needsYou ? `${agent} ${reason}` : `${agent}: ${reason}`).replace(/[\x00-\x1f\x7f]/g, ' ');
    let out = n.bell ? '\x07' : '';
    if (n.desktop ?? needsYou) out += `\x1b]9;flower-tui: ${text}\x07\x1b]777;notify;flower-tui;${text}\x07`;
    if (out) this.o.stdout.write(out);
  }

  private restoreOffered = false;

  /** Agents waiting to be restored ("restore": "ask"): ask once per cockpit, without covering another dialog. */
  private offerRestore(): void {
    const pending = this.snapshot.pendingRestore;
    if (this.restoreOffered || pending.length === 0 || this.ui.dialog || this.attach) return;
    this.restoreOffered = true;
    this.ui = { ...this.ui, dialog: { kind: 'restore', agents: pending } };
  }

  private traceTimer: NodeJS.Timeout | null = null;

  /** While the trace view is open, new entries appear (at most once a second: reading is not free). */
  private loadTraceSoon(): void {
    if (this.traceTimer) return;
    this.traceTimer = setTimeout(() => {
      this.traceTimer = null;
      if (this.ui.dialog?.kind === 'trace') {
        this.loadTrace();
        this.update();
      }
    }, 1000);
  }

  private loadTrace(): void {
    const d = this.ui.dialog;
    if (d?.kind !== 'trace') return;
    const filter =
      d.scope === 'agent' ? { agent: d.agent ?? '\0none', text: d.text || undefined } : d.scope === 'worktree' ? { worktree: d.lane, text: d.text || undefined } : { text: d.text || undefined };
    let entries;
    try {
      entries = this.o.backend.readTrace(filter).reverse();
    } catch (err) {
      this.setMessage(`cannot read the trace: ${describeError(err)}`, 'error');
      return;
    }
    this.ui = { ...this.ui, dialog: { ...d, entries, offset: Math.min(d.offset, Math.max(0, entries.length - 1)) } };
  }

  private focusTimer: NodeJS.Timeout | null = null;
  private savedFocus = '';

  /** Remember where the operator was looking (state: "layout and focus"), without a write per keystroke. */
  private saveFocusSoon(): void {
    const key = `${this.ui.focusLane}\0${this.ui.focusAgent ?? ''}`;
    if (key === this.savedFocus || this.focusTimer) return;
    this.focusTimer = setTimeout(() => {
      this.focusTimer = null;
      this.savedFocus = `${this.ui.focusLane}\0${this.ui.focusAgent ?? ''}`;
      void this.o.backend.dispatch({ type: 'saveFocus', lane: this.ui.focusLane, agent: this.ui.focusAgent }).catch(() => {});
    }, 1000);
    this.focusTimer.unref();
  }

  private setMessage(text: string, level: 'info' | 'error'): void {
    this.ui = { ...this.ui, message: { text, level } };
    this.update();
  }

  /** What scroll mode reads for an agent: its history when fetched, else its live screen. */
  private scrollScreen(agent: string): TerminalScreen | undefined {
    if (this.scrollHistory?.agent === agent) return this.scrollHistory.history.screen;
    return this.o.backend.agent(agent)?.screen;
  }

  private keyContext(): KeyContext {
    const backend = this.o.backend;
    return {
      snapshot: this.snapshot,
      layout: this.layout,
      keymap: this.o.keymap,
      mode: backend.kind,
      laneDefaults: { lane: this.o.config.lanes.defaultLane, kind: this.o.config.lanes.defaultKind },
      bufferSize: (agent) => {
        const t = this.scrollScreen(agent)?.term;
        return t ? { length: t.buffer.active.length, rows: t.rows } : null;
      },
      search: (agent, query) => {
        const t = this.scrollScreen(agent)?.term;
        return t ? searchBuffer(t, query) : [];
      },
    };
  }

  private readonly onInput = (chunk: string | Buffer) => {
    const data = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.attach) {
      this.attach.input(data);
      return;
    }
    if (this.layout.tooSmall) {
      // Only quitting makes sense when nothing can be shown.
      if (data === 'q' || data === '\x03') this.runEffects([{ type: 'quit' }]);
      return;
    }
    this.runKeys(tokenizeKeys(data));
  };

  private runKeys(keys: Key[]): void {
    if (this.heldKeys) return void this.heldKeys.push(...keys);
    const effects: Effect[] = [];
    for (let i = 0; i < keys.length; i++) {
      const r = handleKey(this.ui, keys[i]!, this.keyContext());
      const starts = r.ui.scroll && r.ui.scroll.agent !== this.ui.scroll?.agent ? r.ui.scroll.agent : null;
      if (starts && this.o.backend.kind === 'remote' && this.scrollHistory?.agent !== starts && this.historyUnavailable !== starts) {
        // Scroll mode needs the scrollback, which only the server has: fetch it, then run this key
        // (and any typed meanwhile) against it. Usually a few milliseconds.
        this.heldKeys = keys.slice(i);
        void this.fetchScrollHistory(starts);
        break;
      }
      this.ui = r.ui;
      effects.push(...r.effects);
      // A later key in this chunk entering scroll mode again must fetch a fresh history.
      this.dropStaleScrollHistory();
    }
    this.update();
    this.saveFocusSoon();
    this.runEffects(effects);
  }

  private async fetchScrollHistory(agentId: string): Promise<void> {
    let history: AgentHistory | null = null;
    try {
      history = (await this.o.backend.agent(agentId)?.history()) ?? null;
    } catch (err) {
      this.ui = { ...this.ui, message: { text: `cannot read the scrollback: ${describeError(err)}`, level: 'error' } };
    }
    if (this.finished) return history?.release();
    this.releaseScrollHistory();
    // Without a history (agent gone, server gone) the keys still run, on the live screen.
    if (history) this.scrollHistory = { agent: agentId, history };
    this.historyUnavailable = history ? null : agentId;
    const keys = this.heldKeys ?? [];
    this.heldKeys = null;
    this.runKeys(keys);
    this.historyUnavailable = null;
  }

  /** Scroll mode ended (or moved to another agent): drop the history copy it was reading. */
  private dropStaleScrollHistory(): void {
    if (this.scrollHistory && this.ui.scroll?.agent !== this.scrollHistory.agent) this.releaseScrollHistory();
  }

  private releaseScrollHistory(): void {
    this.scrollHistory?.history.release();
    this.scrollHistory = null;
  }

  private runEffects(effects: Effect[]): void {
    for (const e of effects) {
      if (e.type === 'quit') void this.quit();
      else if (e.type === 'attach') void this.startAttach(e.agent);
      else if (e.type === 'reconnect') void this.reconnect();
      else if (e.type === 'checkRemoval') void this.checkRemoval(e.worktree);
      else if (e.type === 'mergePreview') void this.openMergePreview(e.worktree);
      else if (e.type === 'diff') void this.openDiff(e.worktree);
      else if (e.type === 'briefDetail') void this.openBriefDetail(e.id);
      else if (e.type === 'editSpec') this.editSpec(e.title, e.spec);
      else if (e.type === 'lane') void this.laneCommand(e.cmd);
      else if (e.type === 'loadTrace') {
        this.loadTrace();
        this.update();
      }
      else if (e.type === 'stop') {
        this.stopping = true;
        this.o.backend.dispatch({ type: 'stopServer' }).catch((err) => {
          this.stopping = false;
          this.setMessage(describeError(err), 'error');
        });
      }
      else
        this.o.backend.dispatch(e.cmd).then(
          (res) => {
            if (e.cmd.type === 'spawn' && res) {
              // Focus what was just started: the operator's next move is almost always to look at it.
              this.ui = { ...this.ui, focusLane: res.worktree, focusAgent: res.id, lastAgentByLane: { ...this.ui.lastAgentByLane, [res.worktree]: res.id } };
              this.update();
            }
          },
          (err) => this.setMessage(describeError(err), 'error'),
        );
    }
  }

  /**
   * ctrl-e on a new brief's spec: the terminal is lent to $VISUAL/$EDITOR (grid drawing paused,
   * the alternate screen and raw mode left), then taken back; the edited spec goes back into the
   * spec field, so the operator still sees it and adds it with Enter (or Esc).
   */
  private editSpec(title: string, spec: string): void {
    const { stdin, stdout } = this.o;
    this.compositor.pause();
    stdin.off('data', this.onInput);
    stdin.setRawMode?.(false);
    stdout.write(TERMINAL_RESTORE);
    const r = editText(spec, 'spec.md');
    stdin.setRawMode?.(true);
    stdin.on('data', this.onInput);
    stdout.write('\x1b[2J' + GRID_MODES_BASE + (this.o.config.ui.mouse ? MOUSE_ON : ''));
    const d = this.ui.dialog;
    if (d?.kind === 'briefs') this.ui = { ...this.ui, dialog: { ...d, adding: null, spec: { title, text: 'text' in r ? r.text.replace(/\n+$/, '') : spec } } };
    this.ui = { ...this.ui, message: 'error' in r ? { text: `${r.error}: the spec is as it was`, level: 'error' } : null };
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
    const s = this.attach;
    if (!s) return;
    this.attach = null;
    s.dispose();
    if (reason === 'key') void this.o.backend.dispatch({ type: 'note', action: 'detach', agent: s.agent.info.id }).catch(() => {});
    this.o.stdout.write('\x1b[2J' + GRID_MODES_BASE + (this.o.config.ui.mouse ? MOUSE_ON : ''));
    const label = agentStateLabel(s.agent.info.state);
    const text = reason === 'exit' ? `${s.agent.info.id} ${label} — detached` : reason === 'server' ? 'server gone' : `detached from ${s.agent.info.id}`;
    this.ui = { ...this.ui, message: { text, level: 'info' } };
    // Our pane sizes must be asked for again: attaching gave the agent the whole terminal.
    this.requestedSize.delete(s.agent.info.id);
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

  private async openMergePreview(worktree: string): Promise<void> {
    try {
      const preview = (await this.o.backend.laneCommand({ type: 'mergePreview', worktree })) as MergePreview;
      this.ui = { ...this.ui, message: null, dialog: { kind: 'merge-preview', preview } };
    } catch (err) {
      this.ui = { ...this.ui, message: { text: describeError(err), level: 'error' } };
    }
    this.update();
  }

  private async openDiff(worktree: string): Promise<void> {
    try {
      const { diff } = (await this.o.backend.laneCommand({ type: 'diff', worktree })) as { diff: string };
      const lines = diff.replace(/\t/g, '    ').split('\n');
      this.ui = { ...this.ui, message: null, dialog: { kind: 'diff', worktree, lines: diff.trim() ? lines : ['(no changes against MAIN)'], offset: 0 } };
    } catch (err) {
      this.ui = { ...this.ui, message: { text: describeError(err), level: 'error' } };
    }
    this.update();
  }

  private async openBriefDetail(id: number): Promise<void> {
    try {
      const detail = (await this.o.backend.laneCommand({ type: 'brief', op: 'show', id })) as BriefDetail;
      const d = this.ui.dialog;
      if (d?.kind === 'briefs') this.ui = { ...this.ui, message: null, dialog: { ...d, detail } };
    } catch (err) {
      this.ui = { ...this.ui, message: { text: describeError(err), level: 'error' } };
    }
    this.update();
  }

  private async checkRemoval(worktree: string): Promise<void> {
    try {
      const c = (await this.o.backend.laneCommand({ type: 'checkRemoval', name: worktree })) as { unmerged: string[]; changes: string[]; stashes?: string[]; agents: string[] };
      // Stashes of the lane are work it would lose too: listed with the changes ("S  stash@{0} …").
      const changes = [...c.changes, ...(c.stashes ?? []).map((s) => `S  ${s}`)];
      this.ui = { ...this.ui, message: null, dialog: { kind: 'remove-worktree', worktree, unmerged: c.unmerged, changes, agents: c.agents, typed: '' } };
    } catch (err) {
      this.ui = { ...this.ui, message: { text: describeError(err), level: 'error' } };
    }
    this.update();
  }

  /** Worktree commands take a while (git, setup): the UI stays live and reports the outcome. */
  /** A lane being created: focus it as soon as its pane appears, so its setup output is in view. */
  private pendingFocusLane: string | null = null;

  private async laneCommand(cmd: LaneCommand): Promise<void> {
    if (cmd.type === 'addWorktree') this.pendingFocusLane = cmd.name;
    try {
      const r = (await this.o.backend.laneCommand(cmd)) as { setup?: string; worktree?: string } | string | null;
      if (cmd.type === 'addWorktree') {
        const failed = typeof r === 'object' && r?.setup === 'failed';
        this.setMessage(failed ? `${cmd.name}: setup failed — its output is in the pane; r on the setup agent retries` : `created ${cmd.name}`, failed ? 'error' : 'info');
        if (!failed) this.ui = { ...this.ui, focusLane: cmd.name, focusAgent: null };
        this.ui = reconcileFocus(this.ui, this.snapshot);
      } else if (cmd.type === 'removeWorktree') this.setMessage(`removed ${cmd.name}`, 'info');
      else if (cmd.type === 'brief') {
        const b = (r as unknown as { brief?: { id: number; title: string; agent: string | null; status: string } } | null)?.brief;
        if (b) this.setMessage(cmd.op === 'add' ? `added #${b.id} ${b.title} — spec: flower-tui brief edit ${b.id}` : cmd.op === 'dispatch' ? `dispatched #${b.id} to ${b.agent}` : `#${b.id} ${b.status}`, 'info');
      } else if (cmd.type === 'merge') {
        const m = r as unknown as { outcome: string; message: string } | null;
        if (m) this.setMessage(m.message, m.outcome === 'merged' ? 'info' : 'error');
      } else if (cmd.type === 'queue' && (cmd.op === 'ready' || cmd.op === 'move')) {
        const q = r as unknown as { lane?: string; position?: number } | null;
        if (q?.lane) this.setMessage(cmd.op === 'ready' ? `${q.lane} is ready: position ${q.position} in the merge queue` : `${q.lane} is now at position ${q.position} in the merge queue`, 'info');
      } else if (cmd.type === 'updateLane') {
        const u = r as unknown as { message?: string } | null;
        if (u?.message) this.setMessage(u.message, 'info');
      }
      this.update();
    } catch (err) {
      this.setMessage(describeError(err), 'error');
    }
  }

  private async reconnect(): Promise<void> {
    if (!this.o.backend.reconnect) return;
    this.ui = { ...this.ui, dialog: null, message: { text: 'restarting the server…', level: 'info' } };
    this.update();
    try {
      await this.o.backend.reconnect();
    } catch (err) {
      this.ui = { ...this.ui, dialog: { kind: 'server-gone', reason: describeError(err) } };
      this.update();
    }
  }

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
    this.outcome = this.o.backend.kind === 'remote' && !this.stopping ? 'detached' : 'stopped';
    this.o.stdout.write('\x1b[2K');
    this.resolveExit();
  }

  /** Give the terminal back exactly as we found it. Synchronous: also used from exit handlers. */
  teardownTerminal(): void {
    this.attach?.dispose();
    this.attach = null;
    this.releaseScrollHistory();
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

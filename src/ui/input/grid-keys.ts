import type { Snapshot } from '../../core/types.js';
import type { CockpitCommand, LaneCommand } from '../../core/backend.js';
import { handleWorktreeFormKey, newWorktreeForm } from './worktree-form-keys.js';
import { agentIsLive } from '../../core/types.js';
import type { Layout, Rect } from '../../layout/layout.js';
import type { Keymap } from '../keymap.js';
import { MAIN_LANE, lanesOf, type SearchMatch, type UiState } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import { handleScrollKey, startScroll, scrollBy } from './scroll-keys.js';
import { handleTraceKey } from './trace-keys.js';
import { handleBriefsKey, openBriefs } from './briefs-keys.js';

/** What a key asks of the outside world, beyond a new UI state. */
export type Effect =
  | { type: 'command'; cmd: CockpitCommand }
  | { type: 'attach'; agent: string }
  | { type: 'quit' }
  /** Stop the server and every agent, then leave. */
  | { type: 'stop' }
  /** (Re)read the trace for the open trace view. */
  | { type: 'loadTrace' }
  /** Ask what removing a worktree would lose, then show the removal dialog. */
  | { type: 'checkRemoval'; worktree: string }
  | { type: 'lane'; cmd: LaneCommand }
  /** Fetch a merge preview or a diff, then open its dialog. */
  | { type: 'mergePreview'; worktree: string }
  | { type: 'diff'; worktree: string }
  /** Load a brief with its trace into the briefs view. */
  | { type: 'briefDetail'; id: number }
  /** Open $VISUAL/$EDITOR on a new brief's spec (the cockpit lends it the terminal), then add the brief. */
  | { type: 'editSpec'; title: string; spec: string }
  | { type: 'reconnect' };

export interface KeyContext {
  snapshot: Snapshot;
  layout: Layout;
  keymap: Keymap;
  /** "remote": agents live in a server, quitting only detaches. Default "local". */
  mode?: 'local' | 'remote';
  /** Size of an agent's buffer, for clamping scroll: total lines and visible rows. */
  bufferSize(agent: string): { length: number; rows: number } | null;
  search(agent: string, query: string): SearchMatch[];
  /** `lanes.defaultLane` / `lanes.defaultKind`: what the `w` form starts with. */
  laneDefaults?: { lane: 'standing' | 'ephemeral'; kind: 'served' | 'code-only' };
}

export interface KeyResult {
  ui: UiState;
  effects: Effect[];
}

const none = (ui: UiState): KeyResult => ({ ui, effects: [] });
const info = (ui: UiState, text: string): KeyResult => ({ ui: { ...ui, message: { text, level: 'info' } }, effects: [] });

/** The inbox: agents waiting on the operator, the one waiting longest first. */
export function needsYou(snapshot: Snapshot): Snapshot['agents'] {
  return snapshot.agents.filter((a) => a.status.state === 'needs-you').sort((a, b) => Date.parse(a.status.since) - Date.parse(b.status.since) || a.id.localeCompare(b.id));
}

/** Focus targets in Tab order: MAIN, then each lane's agents (or the lane itself when it has none). */
function focusTargets(snapshot: Snapshot): { lane: string; agent: string | null }[] {
  const out: { lane: string; agent: string | null }[] = [{ lane: MAIN_LANE, agent: null }];
  for (const l of lanesOf(snapshot)) {
    if (l.agents.length === 0) out.push({ lane: l.name, agent: null });
    else for (const a of l.agents) out.push({ lane: l.name, agent: a });
  }
  return out;
}

export function focus(ui: UiState, lane: string, agent: string | null): UiState {
  const lastAgentByLane = agent ? { ...ui.lastAgentByLane, [lane]: agent } : ui.lastAgentByLane;
  return { ...ui, focusLane: lane, focusAgent: agent, lastAgentByLane, message: null };
}

export function focusLane(ui: UiState, snapshot: Snapshot, lane: string): UiState {
  const agents = lanesOf(snapshot).find((l) => l.name === lane)?.agents ?? [];
  const remembered = ui.lastAgentByLane[lane];
  return focus(ui, lane, remembered && agents.includes(remembered) ? remembered : (agents[0] ?? null));
}

function laneRect(layout: Layout, lane: string): Rect | null {
  if (lane === MAIN_LANE) return layout.main;
  return layout.lanes.find((l) => l.name === lane)?.rect ?? null;
}

/** The nearest lane (or MAIN) in a direction, by rectangle centres. */
function laneInDirection(layout: Layout, from: string, dir: 'left' | 'right' | 'up' | 'down'): string | null {
  const r = laneRect(layout, from);
  if (!r) return null;
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const candidates = [{ name: MAIN_LANE, rect: layout.main }, ...layout.lanes.map((l) => ({ name: l.name, rect: l.rect }))];
  let best: string | null = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    if (c.name === from) continue;
    const ox = c.rect.x + c.rect.width / 2;
    const oy = c.rect.y + c.rect.height / 2;
    const ok =
      dir === 'left' ? c.rect.x + c.rect.width <= r.x : dir === 'right' ? c.rect.x >= r.x + r.width : dir === 'up' ? c.rect.y + c.rect.height <= r.y : c.rect.y >= r.y + r.height;
    if (!ok) continue;
    // Prefer alignment on the axis we are not moving along.
    const d = dir === 'left' || dir === 'right' ? Math.abs(ox - cx) + 3 * Math.abs(oy - cy) : Math.abs(oy - cy) + 3 * Math.abs(ox - cx);
    if (d < bestDist) {
      bestDist = d;
      best = c.name;
    }
  }
  return best;
}

function cycle(ui: UiState, snapshot: Snapshot, step: number): UiState {
  const targets = focusTargets(snapshot);
  const i = targets.findIndex((t) => t.lane === ui.focusLane && t.agent === ui.focusAgent);
  const next = targets[(((i === -1 ? 0 : i) + step) % targets.length + targets.length) % targets.length]!;
  return focus(ui, next.lane, next.agent);
}

function move(ui: UiState, ctx: KeyContext, dir: 'left' | 'right' | 'up' | 'down'): UiState {
  const lanes = lanesOf(ctx.snapshot);
  const lane = lanes.find((l) => l.name === ui.focusLane);
  if ((dir === 'up' || dir === 'down') && lane && ui.focusAgent) {
    const i = lane.agents.indexOf(ui.focusAgent);
    const j = i + (dir === 'down' ? 1 : -1);
    if (j >= 0 && j < lane.agents.length) return focus(ui, lane.name, lane.agents[j]!);
  }
  const target = laneInDirection(ctx.layout, ui.focusLane, dir);
  if (target) {
    const s = focusLane(ui, ctx.snapshot, target);
    // Entering a lane from below lands on its last agent, from above on its first: what the eye expects.
    const agents = lanes.find((l) => l.name === target)?.agents ?? [];
    if (dir === 'up' && agents.length > 1 && !ui.lastAgentByLane[target]) return focus(s, target, agents[agents.length - 1]!);
    return s;
  }
  // Lanes scrolled out of view are still reachable with left/right.
  if (dir === 'left' || dir === 'right') {
    const order = [MAIN_LANE, ...lanes.map((l) => l.name)];
    const i = order.indexOf(ui.focusLane);
    const j = i + (dir === 'right' ? 1 : -1);
    if (i !== -1 && j >= 0 && j < order.length) return focusLane(ui, ctx.snapshot, order[j]!);
  }
  return ui;
}

function focusedAgent(ui: UiState, snapshot: Snapshot) {
  return ui.focusAgent ? snapshot.agents.find((a) => a.id === ui.focusAgent) : undefined;
}

const MAIN_REFUSAL = 'MAIN is read-only: nothing typed here reaches a process (it only receives merges)';

/** Keys while a dialog is open. */
function handleDialogKey(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  const d = ui.dialog!;
  const name = key.kind === 'key' ? key.name : '';
  const close = { ...ui, dialog: null };
  if (d.kind === 'help') return none(close);
  if (d.kind === 'trace') return handleTraceKey(ui, d, key, ctx);
  if (d.kind === 'briefs') return handleBriefsKey(ui, d, key, ctx);
  if (d.kind === 'new-worktree') return handleWorktreeFormKey(ui, d, key);
  if (d.kind === 'merge-preview') {
    const p = d.preview;
    if (name === 'escape' || name === 'n' || name === 'q') return none(close);
    const blocked = p.dirtyMain.length > 0 || p.commits.length === 0 || (p.conflicts?.length ?? 0) > 0 || (p.strategy === 'ff-only' && !p.ffPossible);
    if ((name === 'y' || name === 'enter') && !blocked && p.dirtyWorktree.length === 0) {
      return { ui: { ...close, dialog: { kind: 'merge' } }, effects: [{ type: 'lane', cmd: { type: 'merge', worktree: p.worktree } }] };
    }
    if (name === 'c' && !blocked && p.dirtyWorktree.length > 0) {
      return { ui: { ...close, dialog: { kind: 'merge' } }, effects: [{ type: 'lane', cmd: { type: 'merge', worktree: p.worktree, commitMessage: `Commit ${p.worktree}'s changes before merging (flower-tui)` } }] };
    }
    return none(ui);
  }
  if (d.kind === 'merge') {
    const m = ctx.snapshot.merge;
    if (!m || !m.running) {
      if (name === 'r' && m?.offerRemoval) return { ui: close, effects: [{ type: 'lane', cmd: { type: 'removeWorktree', name: m.worktree, force: false } }, { type: 'lane', cmd: { type: 'dismissMerge' } }] };
      if (name === 'enter' || name === 'escape' || name === 'q' || name === 'n') return { ui: close, effects: [{ type: 'lane', cmd: { type: 'dismissMerge' } }] };
      return none(ui);
    }
    // Stoppable until the merge step: the gate is killed, MAIN stays untouched.
    if (name === 'escape' || name === 'ctrl-c') return { ui: { ...ui, message: { text: 'cancelling the merge (possible until the merge step)…', level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'cancelMerge' } }] };
    return none(ui);
  }
  if (d.kind === 'diff') {
    const page = Math.max(1, ctx.layout.rows - 6);
    const max = Math.max(0, d.lines.length - page);
    const at = (o: number) => none({ ...ui, dialog: { ...d, offset: Math.max(0, Math.min(max, o)) } });
    if (key.kind === 'mouse') return key.button === 64 ? at(d.offset - 3) : key.button === 65 ? at(d.offset + 3) : none(ui);
    if (name === 'escape' || name === 'q' || name === 'd') return none(close);
    if (name === 'up' || name === 'k') return at(d.offset - 1);
    if (name === 'down' || name === 'j') return at(d.offset + 1);
    if (name === 'pageup') return at(d.offset - page);
    if (name === 'pagedown' || name === ' ') return at(d.offset + page);
    if (name === 'g' || name === 'home') return at(0);
    if (name === 'G' || name === 'end') return at(max);
    return none(ui);
  }
  if (d.kind === 'remove-worktree') {
    const risky = d.unmerged.length > 0 || d.changes.length > 0;
    if (name === 'escape' || (!risky && name === 'n')) return none(close);
    if (!risky) {
      if (name === 'y' || name === 'enter') return { ui: close, effects: [{ type: 'lane', cmd: { type: 'removeWorktree', name: d.worktree, force: false } }] };
      return none(ui);
    }
    // Work would be lost: the operator types the worktree's name, as GitHub asks before deleting a repository.
    if (name === 'enter') {
      if (d.typed === d.worktree) return { ui: close, effects: [{ type: 'lane', cmd: { type: 'removeWorktree', name: d.worktree, force: true } }] };
      return none(ui);
    }
    if (name === 'backspace') return none({ ...ui, dialog: { ...d, typed: [...d.typed].slice(0, -1).join('') } });
    if (key.kind === 'paste') return none({ ...ui, dialog: { ...d, typed: d.typed + key.text.trim() } });
    if ([...name].length === 1) return none({ ...ui, dialog: { ...d, typed: d.typed + name } });
    return none(ui);
  }
  if (d.kind === 'restore') {
    if (name === 'y' || name === 'enter') return { ui: close, effects: [{ type: 'command', cmd: { type: 'restore' } }] };
    if (name === 'n') return { ui: close, effects: [{ type: 'command', cmd: { type: 'restore', discard: true } }] };
    if (name === 'escape' || name === 'q') return { ui: { ...close, message: { text: 'restore postponed: the agents stay listed until you decide (reopen the cockpit)', level: 'info' } }, effects: [] };
    return none(ui);
  }
  if (d.kind === 'server-gone') {
    if (name === 'r' || name === 'enter') return { ui: close, effects: [{ type: 'reconnect' }] };
    if (name === 'q' || name === 'ctrl-c' || name === 'escape') return { ui: close, effects: [{ type: 'quit' }] };
    return none(ui);
  }
  if (d.kind === 'pick-profile') {
    const n = ctx.snapshot.profiles.length;
    if (name === 'escape' || name === 'q' || name === 'ctrl-c') return none(close);
    if (name === 'up' || name === 'k' || name === 'shift-tab') return none({ ...ui, dialog: { ...d, selected: (d.selected - 1 + n) % n } });
    if (name === 'down' || name === 'j' || name === 'tab') return none({ ...ui, dialog: { ...d, selected: (d.selected + 1) % n } });
    const digit = /^[1-9]$/.test(name) ? Number(name) - 1 : -1;
    if (name === 'enter' || (digit >= 0 && digit < n)) {
      const profile = ctx.snapshot.profiles[digit >= 0 ? digit : d.selected];
      if (!profile) return none(close);
      return { ui: close, effects: [{ type: 'command', cmd: { type: 'spawn', worktree: d.worktree, profile: profile.name } }] };
    }
    return none(ui);
  }
  const yes = name === 'y' || name === 'enter' || (d.kind === 'confirm-quit' && name === 'ctrl-c');
  const no = name === 'n' || name === 'escape' || name === 'q';
  if (!yes) return no ? none(close) : none(ui);
  switch (d.kind) {
    case 'confirm-kill':
      return { ui: close, effects: [{ type: 'command', cmd: { type: 'kill', agent: d.agent } }] };
    case 'confirm-remove':
      return { ui: close, effects: [{ type: 'command', cmd: { type: 'remove', agent: d.agent } }] };
    case 'confirm-respawn':
      return { ui: close, effects: [{ type: 'command', cmd: { type: 'respawn', agent: d.agent } }] };
    case 'confirm-quit':
      return { ui: close, effects: [{ type: 'quit' }] };
    case 'confirm-stop':
      return { ui: { ...close, message: { text: 'stopping every agent and the server…', level: 'info' } }, effects: [{ type: 'stop' }] };
  }
}

/** The grid's key handling: pure, so every binding is unit-tested without a terminal. */
export function handleKey(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  if (ui.dialog) return handleDialogKey(ui, key, ctx);
  if (ui.scroll) return handleScrollKey(ui, key, ctx);
  if (key.kind === 'mouse') return handleMouse(ui, key, ctx);
  if (key.kind === 'paste') return ui.focusLane === MAIN_LANE ? info(ui, MAIN_REFUSAL) : info(ui, 'Paste goes to an agent once attached (Enter)');
  if (/^[1-9]$/.test(key.name)) {
    const n = Number(key.name);
    if (n === 1) return none(focus(ui, MAIN_LANE, null));
    const lane = lanesOf(ctx.snapshot)[n - 2];
    return lane ? none(focusLane(ui, ctx.snapshot, lane.name)) : none(ui);
  }
  const action = ctx.keymap.lookup.get(key.name);
  const agent = focusedAgent(ui, ctx.snapshot);
  switch (action) {
    case 'next':
      return none(cycle(ui, ctx.snapshot, 1));
    case 'prev':
      return none(cycle(ui, ctx.snapshot, -1));
    case 'left':
    case 'right':
    case 'up':
    case 'down':
      return none(move(ui, ctx, action));
    case 'help':
      return none({ ...ui, dialog: { kind: 'help' } });
    case 'inbox': {
      const waiting = needsYou(ctx.snapshot);
      if (waiting.length === 0) return info(ui, 'No agent needs you');
      // Longest-waiting first; pressed again on one of them, the next (the focused one may still be waiting).
      const i = waiting.findIndex((a) => a.id === ui.focusAgent);
      const next = waiting[(i + 1) % waiting.length]!;
      const r = focus(ui, next.worktree, next.id);
      return info(r, `${next.id} needs you${next.status.reason ? `: ${next.status.reason}` : ''}${waiting.length > 1 ? ` (${waiting.indexOf(next) + 1}/${waiting.length})` : ''}`);
    }
    case 'refresh':
      if (!agent) return info(ui, ui.focusLane === MAIN_LANE ? MAIN_REFUSAL : 'No agent focused');
      return { ui: { ...ui, message: { text: `refreshing ${agent.id}…`, level: 'info' } }, effects: [{ type: 'command', cmd: { type: 'refresh', agent: agent.id } }] };
    case 'merge':
      if (ui.focusLane === MAIN_LANE) return info(ui, 'focus a worktree to merge it into MAIN');
      if (ctx.snapshot.merge?.running) return none({ ...ui, dialog: { kind: 'merge' } });
      return { ui: { ...ui, message: { text: `preparing the merge preview of ${ui.focusLane}…`, level: 'info' } }, effects: [{ type: 'mergePreview', worktree: ui.focusLane }] };
    case 'ready': {
      if (ui.focusLane === MAIN_LANE) return info(ui, 'focus a worktree to mark it ready for the merge queue');
      const at = (ctx.snapshot.queue?.entries ?? []).findIndex((e) => e.lane === ui.focusLane);
      if (at !== -1) return info(ui, `${ui.focusLane} is already in the merge queue (position ${at + 1}); ${ctx.keymap.bindings.queueUp[0]} / ${ctx.keymap.bindings.queueDown[0]} move it`);
      return { ui: { ...ui, message: { text: `marking ${ui.focusLane} ready…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'queue', op: 'ready', lane: ui.focusLane } }] };
    }
    case 'queueUp':
    case 'queueDown': {
      if (ui.focusLane === MAIN_LANE) return info(ui, 'focus a queued worktree to move it in the merge queue');
      if (!(ctx.snapshot.queue?.entries ?? []).some((e) => e.lane === ui.focusLane)) return info(ui, `${ui.focusLane} is not in the merge queue (${ctx.keymap.bindings.ready[0]} marks it ready)`);
      return { ui, effects: [{ type: 'lane', cmd: { type: 'queue', op: 'move', lane: ui.focusLane, to: action === 'queueUp' ? 'up' : 'down' } }] };
    }
    case 'update': {
      if (ui.focusLane === MAIN_LANE) return info(ui, 'MAIN is not updated: it receives merges — focus a worktree');
      const wt = ctx.snapshot.worktrees.find((w) => w.name === ui.focusLane);
      if (wt?.lane?.behind === 0) return info(ui, `${ui.focusLane} is up to date with MAIN`);
      if (wt?.lane?.dirty) return info(ui, `${ui.focusLane} has ${wt.lane.dirty} uncommitted change${wt.lane.dirty === 1 ? '' : 's'}: commit them, then update`);
      return { ui: { ...ui, message: { text: `updating ${ui.focusLane} onto MAIN…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'updateLane', worktree: ui.focusLane } }] };
    }
    case 'diff':
      if (ui.focusLane === MAIN_LANE) return info(ui, 'focus a worktree to see its diff against MAIN');
      return { ui, effects: [{ type: 'diff', worktree: ui.focusLane }] };
    case 'newWorktree':
      return none({ ...ui, dialog: newWorktreeForm(ctx.laneDefaults) });
    case 'briefs':
      return none({ ...ui, dialog: openBriefs() });
    case 'removeWorktree':
      if (ui.focusLane === MAIN_LANE) return info(ui, 'MAIN can never be removed');
      return { ui: { ...ui, message: { text: `checking what removing ${ui.focusLane} would lose…`, level: 'info' } }, effects: [{ type: 'checkRemoval', worktree: ui.focusLane }] };
    case 'trace':
      return { ui: { ...ui, dialog: { kind: 'trace', entries: [], offset: 0, text: '', editing: false, scope: 'all', lane: ui.focusLane, agent: ui.focusAgent } }, effects: [{ type: 'loadTrace' }] };
    case 'quit': {
      // With a server, quitting only detaches: nothing is lost, so nothing to confirm.
      if (ctx.mode === 'remote') return { ui, effects: [{ type: 'quit' }] };
      const running = ctx.snapshot.agents.filter((a) => agentIsLive(a.state)).map((a) => a.id);
      if (running.length === 0) return { ui, effects: [{ type: 'quit' }] };
      return none({ ...ui, dialog: { kind: 'confirm-quit', running } });
    }
    case 'stop': {
      const running = ctx.snapshot.agents.filter((a) => agentIsLive(a.state)).map((a) => a.id);
      if (ctx.mode !== 'remote') {
        if (running.length === 0) return { ui, effects: [{ type: 'quit' }] };
        return none({ ...ui, dialog: { kind: 'confirm-quit', running } });
      }
      return none({ ...ui, dialog: { kind: 'confirm-stop', running } });
    }
    case 'attach':
      if (ui.focusLane === MAIN_LANE) return info(ui, MAIN_REFUSAL);
      if (!agent) return none({ ...ui, dialog: { kind: 'pick-profile', worktree: ui.focusLane, selected: 0 } });
      if (!agentIsLive(agent.state)) return info(ui, `${agent.id} is not running — press ${ctx.keymap.bindings.respawn[0]} to respawn it`);
      return { ui: { ...ui, message: null }, effects: [{ type: 'attach', agent: agent.id }] };
    case 'newAgent':
      if (ui.focusLane === MAIN_LANE) return info(ui, 'MAIN is read-only: agents run in worktrees, MAIN only receives merges');
      return none({ ...ui, dialog: { kind: 'pick-profile', worktree: ui.focusLane, selected: 0 } });
    case 'kill':
      if (!agent) return info(ui, ui.focusLane === MAIN_LANE ? MAIN_REFUSAL : 'No agent focused');
      return none({ ...ui, dialog: agentIsLive(agent.state) ? { kind: 'confirm-kill', agent: agent.id } : { kind: 'confirm-remove', agent: agent.id } });
    case 'respawn':
      if (!agent) return info(ui, ui.focusLane === MAIN_LANE ? MAIN_REFUSAL : 'No agent focused');
      // A lane's setup run is retried as a whole (then the lane's agents start), not merely restarted.
      if (agent.profile === 'setup' && agent.name === 'setup' && !agentIsLive(agent.state)) {
        return { ui: { ...ui, message: { text: `retrying setup of ${agent.worktree}…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'retrySetup', name: agent.worktree } }] };
      }
      if (agentIsLive(agent.state)) return none({ ...ui, dialog: { kind: 'confirm-respawn', agent: agent.id } });
      return { ui: { ...ui, message: null }, effects: [{ type: 'command', cmd: { type: 'respawn', agent: agent.id } }] };
    case 'scroll':
      if (!agent) return info(ui, ui.focusLane === MAIN_LANE ? MAIN_REFUSAL : 'No agent focused');
      return none(startScroll(ui, agent.id, ctx, key.name === 'pageup' ? 'page' : 'none'));
    default:
      if (ui.focusLane === MAIN_LANE) return info(ui, MAIN_REFUSAL);
      return none(ui);
  }
}

function agentAt(ctx: KeyContext, x: number, y: number): { lane: string; agent: string } | null {
  for (const lane of ctx.layout.lanes) {
    for (const slot of lane.slots) {
      const r = { x: slot.header.x, y: slot.header.y, width: slot.screen.width, height: slot.screen.height + 1 };
      if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return { lane: lane.name, agent: slot.id };
    }
  }
  return null;
}

function handleMouse(ui: UiState, key: Extract<Key, { kind: 'mouse' }>, ctx: KeyContext): KeyResult {
  const hit = agentAt(ctx, key.x, key.y);
  if (key.button === 64 && hit) {
    // Wheel up over an agent: scroll mode on it, three lines up.
    return none(scrollBy(startScroll(focus(ui, hit.lane, hit.agent), hit.agent, ctx, 'none'), -3, ctx));
  }
  if (key.button === 0 && !key.release) {
    if (hit) return none(focus(ui, hit.lane, hit.agent));
    const m = ctx.layout.main;
    if (key.y >= m.y && key.y < m.y + m.height) return none(focus(ui, MAIN_LANE, null));
    const lane = ctx.layout.lanes.find((l) => key.x >= l.rect.x && key.x < l.rect.x + l.rect.width && key.y >= l.rect.y && key.y < l.rect.y + l.rect.height);
    if (lane) return none(focusLane(ui, ctx.snapshot, lane.name));
  }
  return none(ui);
}

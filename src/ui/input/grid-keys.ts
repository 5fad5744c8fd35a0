import { agentIsLive } from '../../core/types.js';
import { MAIN_LANE, lanesOf, type UiState } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import { info, none, type KeyContext, type KeyResult } from './key-result.js';
import { cycle, focus, focusLane, focusedAgent, move, needsYou } from './focus.js';
import { handleMouse } from './mouse.js';
import { startScroll, handleScrollKey } from './scroll-keys.js';
import { newWorktreeForm } from '../dialogs/new-worktree-form.js';
import { openBriefs } from '../dialogs/briefs-list.js';
import { dialogModule } from '../dialogs/index.js';
import { AGENT_ACTIONS, MAIN_REFUSAL, REFUSED_IN_MAIN } from './main-refusals.js';

// The key results' types live in key-result.ts, focus in focus.ts, the mouse in mouse.ts and each
// dialog's keys in its module (src/ui/dialogs/); re-exported here for the reducers' callers.
export type { Effect, KeyContext, KeyResult } from './key-result.js';
export { focus, focusLane, needsYou } from './focus.js';


/** Keys while a dialog is open: the dialog's own module takes them. */
function handleDialogKey(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  const d = ui.dialog!;
  return dialogModule(d).keys(ui, d, key, ctx);
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
  const mainRefusal = ui.focusLane === MAIN_LANE && action ? (REFUSED_IN_MAIN[action] ?? null) : null;
  if (mainRefusal && !AGENT_ACTIONS.has(action!)) return info(ui, mainRefusal);
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
      if (!agent) return info(ui, mainRefusal ?? 'No agent focused');
      return { ui: { ...ui, message: { text: `refreshing ${agent.id}…`, level: 'info' } }, effects: [{ type: 'command', cmd: { type: 'refresh', agent: agent.id } }] };
    case 'merge':
      if (ctx.snapshot.merge?.running) return none({ ...ui, dialog: { kind: 'merge' } });
      return { ui: { ...ui, message: { text: `preparing the merge preview of ${ui.focusLane}…`, level: 'info' } }, effects: [{ type: 'mergePreview', worktree: ui.focusLane }] };
    case 'ready': {
      const at = (ctx.snapshot.queue?.entries ?? []).findIndex((e) => e.lane === ui.focusLane);
      if (at !== -1) return info(ui, `${ui.focusLane} is already in the merge queue (position ${at + 1}); ${ctx.keymap.bindings.queueUp[0]} / ${ctx.keymap.bindings.queueDown[0]} move it`);
      return { ui: { ...ui, message: { text: `marking ${ui.focusLane} ready…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'queue', op: 'ready', lane: ui.focusLane } }] };
    }
    case 'queueUp':
    case 'queueDown': {
      if (!(ctx.snapshot.queue?.entries ?? []).some((e) => e.lane === ui.focusLane)) return info(ui, `${ui.focusLane} is not in the merge queue (${ctx.keymap.bindings.ready[0]} marks it ready)`);
      return { ui, effects: [{ type: 'lane', cmd: { type: 'queue', op: 'move', lane: ui.focusLane, to: action === 'queueUp' ? 'up' : 'down' } }] };
    }
    case 'update': {
      const wt = ctx.snapshot.worktrees.find((w) => w.name === ui.focusLane);
      if (wt?.lane?.behind === 0) return info(ui, `${ui.focusLane} is up to date with MAIN`);
      if (wt?.lane?.dirty) return info(ui, `${ui.focusLane} has ${wt.lane.dirty} uncommitted change${wt.lane.dirty === 1 ? '' : 's'}: commit them, then update`);
      return { ui: { ...ui, message: { text: `updating ${ui.focusLane} onto MAIN…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'updateLane', worktree: ui.focusLane } }] };
    }
    case 'diff':
      return { ui, effects: [{ type: 'diff', worktree: ui.focusLane }] };
    case 'newWorktree':
      return none({ ...ui, dialog: newWorktreeForm(ctx.laneDefaults, (ctx.snapshot.hosts ?? []).map((h) => h.name)) });
    case 'briefs':
      return none({ ...ui, dialog: openBriefs() });
    case 'removeWorktree':
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
      if (!agent) return none({ ...ui, dialog: { kind: 'pick-profile', worktree: ui.focusLane, selected: 0 } });
      if (!agentIsLive(agent.state)) return info(ui, `${agent.id} is not running — press ${ctx.keymap.bindings.respawn[0]} to respawn it`);
      return { ui: { ...ui, message: null }, effects: [{ type: 'attach', agent: agent.id }] };
    case 'newAgent':
      return none({ ...ui, dialog: { kind: 'pick-profile', worktree: ui.focusLane, selected: 0 } });
    case 'kill':
      if (!agent) return info(ui, mainRefusal ?? 'No agent focused');
      return none({ ...ui, dialog: agentIsLive(agent.state) ? { kind: 'confirm-kill', agent: agent.id } : { kind: 'confirm-remove', agent: agent.id } });
    case 'respawn':
      if (!agent) return info(ui, mainRefusal ?? 'No agent focused');
      // A lane's setup run is retried as a whole (then the lane's agents start), not merely restarted.
      if (agent.profile === 'setup' && agent.name === 'setup' && !agentIsLive(agent.state)) {
        return { ui: { ...ui, message: { text: `retrying setup of ${agent.worktree}…`, level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'retrySetup', name: agent.worktree } }] };
      }
      if (agentIsLive(agent.state)) return none({ ...ui, dialog: { kind: 'confirm-respawn', agent: agent.id } });
      return { ui: { ...ui, message: null }, effects: [{ type: 'command', cmd: { type: 'respawn', agent: agent.id } }] };
    case 'scroll':
      if (!agent) return info(ui, mainRefusal ?? 'No agent focused');
      return none(startScroll(ui, agent.id, ctx, key.name === 'pageup' ? 'page' : 'none'));
    default:
      if (ui.focusLane === MAIN_LANE) return info(ui, MAIN_REFUSAL);
      return none(ui);
  }
}

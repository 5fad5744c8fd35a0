import type { CockpitReply, LaneCommand } from '../../core/backend/cockpit-backend.js';
import { describeError } from '../../shared/errors.js';
import { reconcileFocus } from '../ui-state.js';
import type { CockpitState } from './cockpit-state.js';

/** The one line an answered lane command leaves in the status bar, or null for none. */
function outcomeOf(cmd: LaneCommand, r: CockpitReply<LaneCommand>): { text: string; level: 'info' | 'error' } | null {
  if (cmd.type === 'removeWorktree') return { text: `removed ${cmd.name}`, level: 'info' };
  if (cmd.type === 'brief') {
    const b = r && typeof r === 'object' && 'brief' in r ? r.brief : undefined;
    if (!b) return null;
    return { text: cmd.op === 'add' ? `added #${b.id} ${b.title} — spec: flower-tui brief edit ${b.id}` : cmd.op === 'dispatch' ? `dispatched #${b.id} to ${b.agent}` : `#${b.id} ${b.status}`, level: 'info' };
  }
  if (cmd.type === 'merge') {
    const m = r && typeof r === 'object' && 'outcome' in r ? r : null;
    return m ? { text: m.message, level: m.outcome === 'merged' ? 'info' : 'error' } : null;
  }
  if (cmd.type === 'queue' && (cmd.op === 'ready' || cmd.op === 'move')) {
    const q = r && typeof r === 'object' && 'queue' in r ? r : null;
    if (!q?.lane) return null;
    return { text: cmd.op === 'ready' ? `${q.lane} is ready: position ${q.position} in the merge queue` : `${q.lane} is now at position ${q.position} in the merge queue`, level: 'info' };
  }
  if (cmd.type === 'updateLane') {
    const u = r && typeof r === 'object' && 'message' in r ? r : null;
    return u?.message ? { text: u.message, level: 'info' } : null;
  }
  return null;
}

type StatusLine = CockpitState['ui']['message'];

/**
 * Whether a command's answer may take the status bar. Answers arrive after the key that asked, so a
 * newer line (another key's answer, typed meanwhile) must not be overwritten by an older one's info;
 * errors always show, and a line cleared since (a focus move) is no newer line.
 */
export function outcomeMayShow(atDispatch: StatusLine, now: StatusLine, level: 'info' | 'error'): boolean {
  return level === 'error' || now === null || now === atDispatch;
}

/** Worktree commands take a while (git, setup): the UI stays live and reports the outcome. */
export class LaneCommands {
  /** A lane being created: focus it as soon as its pane appears, so its setup output is in view. */
  private pendingFocus: string | null = null;

  constructor(private readonly s: CockpitState) {}

  async run(cmd: LaneCommand): Promise<void> {
    const s = this.s;
    if (cmd.type === 'addWorktree') this.pendingFocus = cmd.name;
    const atDispatch = s.ui.message;
    try {
      const r = await s.backend.dispatch(cmd);
      if (cmd.type === 'addWorktree') {
        const failed = r !== null && typeof r === 'object' && 'setup' in r && r.setup === 'failed';
        s.setMessage(failed ? `${cmd.name}: setup failed — its output is in the pane; r on the setup agent retries` : `created ${cmd.name}`, failed ? 'error' : 'info');
        if (!failed) s.ui = { ...s.ui, focusLane: cmd.name, focusAgent: null };
        s.ui = reconcileFocus(s.ui, s.snapshot);
      } else {
        const said = outcomeOf(cmd, r);
        if (said && outcomeMayShow(atDispatch, s.ui.message, said.level)) s.setMessage(said.text, said.level);
      }
      s.update();
    } catch (err) {
      s.setMessage(describeError(err), 'error');
    }
  }

  /** A new snapshot: the lane being created is focused once it is there. */
  focusPending(): void {
    const s = this.s;
    if (this.pendingFocus && s.snapshot.worktrees.some((w) => w.name === this.pendingFocus)) {
      s.ui = { ...s.ui, focusLane: this.pendingFocus, focusAgent: null };
      this.pendingFocus = null;
    }
  }
}

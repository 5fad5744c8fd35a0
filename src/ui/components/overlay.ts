import stringWidth from 'string-width';
import type { Snapshot } from '../../core/types.js';
import { KEY_ACTIONS, type KeyAction } from '../../config/schema.js';
import { ACTION_HELP, keyLabel, type Keymap } from '../keymap.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';

/** Lines of the help overlay: every binding (as configured), then the fixed keys. */
export function helpLines(keymap: Keymap): [string, string][] {
  // Related actions share a line: the help must fit an 80×24 terminal whole.
  const k = (a: KeyAction) => keymap.bindings[a].map(keyLabel).join('/');
  const merged = new Set<KeyAction>(['next', 'prev', 'left', 'right', 'up', 'down', 'newWorktree', 'removeWorktree', 'respawn', 'refresh', 'merge', 'diff', 'trace', 'briefs', 'ready', 'update', 'queueUp', 'queueDown']);
  const arrows = (['left', 'right', 'up', 'down'] as const).map(k);
  const lines: [string, string][] = [
    [`${k('next')} / ${k('prev')}`, 'focus next / previous agent'],
    [arrows.join(' ') === 'Left Right Up Down' ? 'arrows' : arrows.join(' '), 'focus the pane that way (↑↓: agents of a pane too)'],
    ['1 … 9', 'focus pane N (1 = MAIN) · a click focuses too'],
    ...KEY_ACTIONS.filter((a) => !merged.has(a)).map((a): [string, string] => [keymap.bindings[a].map(keyLabel).join(' / '), ACTION_HELP[a]]),
    [`${k('respawn')} / ${k('refresh')}`, 'respawn / refresh (new session + hand-off) the agent'],
    [`${k('newWorktree')} / ${k('removeWorktree')}`, 'new worktree (a lane) / remove the focused one'],
    [`${k('merge')} / ${k('diff')}`, 'merge the worktree into MAIN (preview first) / its diff'],
    [`${k('trace')} / ${k('briefs')}`, 'the trace / briefs (D dispatches one here, a adds)'],
    [`${k('ready')} / ${k('update')} / ${k('queueUp')} ${k('queueDown')}`, 'merge queue: ready / update onto MAIN / move up, down'],
  ];
  // The mouse shares lines with what it also does (the help must fit 80×24 whole).
  lines.push(['scroll mode', '↑↓ PgUp PgDn g G · / search · n N · Esc · or the wheel']);
  return lines;
}

/** The question a yes/no dialog about one agent asks: its box is sized to fit it. */
export function agentQuestion(dialog: Extract<Dialog, { kind: 'confirm-kill' | 'confirm-remove' | 'confirm-respawn' }>): string {
  switch (dialog.kind) {
    case 'confirm-kill':
      return `Kill ${dialog.agent} and everything it started?`;
    case 'confirm-remove':
      return `Remove ${dialog.agent} from its pane? (It is not running.)`;
    case 'confirm-respawn':
      return `${dialog.agent} is running. Kill it and start it again?`;
  }
}

/** Lines a list takes in a dialog (its items, plus a heading when there are any). */
const d = (n: number) => (n ? n + 1 : 0);

/** Size of a dialog's box, border included. */
function dialogSize(dialog: Dialog, snapshot: Snapshot, keymap: Keymap): { width: number; height: number } {
  switch (dialog.kind) {
    case 'help':
      return { width: 76, height: helpLines(keymap).length + 4 };
    case 'pick-profile':
      return { width: 56, height: snapshot.profiles.length + 5 };
    case 'confirm-quit':
    case 'confirm-stop':
      return { width: 60, height: Math.min(dialog.running.length, 6) + 6 + (dialog.kind === 'confirm-stop' ? 1 : 0) };
    case 'server-gone':
      return { width: 60, height: 7 };
    case 'merge-preview':
      return { width: 90, height: Math.min(dialog.preview.commits.length, 8) + dialog.preview.flagged.length + 12 };
    case 'merge':
      return { width: 96, height: 24 };
    case 'diff':
      return { width: 1000, height: 1000 };
    case 'new-worktree':
      return { width: 64, height: 12 };
    case 'remove-worktree':
      return { width: 76, height: Math.min(d(dialog.unmerged.length), 6) + Math.min(d(dialog.changes.length), 6) + 8 };
    case 'restore':
      return { width: 72, height: Math.min(dialog.agents.length, 8) + 6 };
    case 'trace':
    case 'briefs':
      return { width: 1000, height: 1000 }; // clipped to the terminal: the trace wants all the room there is
    default:
      return { width: Math.max(56, stringWidth(agentQuestion(dialog)) + 4), height: 6 };
  }
}

/** Where the open dialog sits: centred, clipped to the terminal. Agent cells never draw inside it. */
export function dialogRect(dialog: Dialog | null, snapshot: Snapshot, keymap: Keymap, cols: number, rows: number): Rect | null {
  if (!dialog) return null;
  const s = dialogSize(dialog, snapshot, keymap);
  const width = Math.min(s.width, cols - 2);
  const height = Math.min(s.height, rows - 2);
  return { x: Math.floor((cols - width) / 2), y: Math.max(0, Math.floor((rows - height) / 2)), width, height };
}

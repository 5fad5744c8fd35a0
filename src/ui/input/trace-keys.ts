import type { Dialog, UiState } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import type { KeyContext, KeyResult } from './key-result.js';

type TraceDialog = Extract<Dialog, { kind: 'trace' }>;

/** Rows the trace view shows at once, for paging. */
export function traceRows(ctx: KeyContext): number {
  return Math.max(1, ctx.layout.rows - 7);
}

/** Keys of the trace view: scroll, filter text (`/`), scope to the focused worktree (`w`) or agent (`a`). */
export function handleTraceKey(ui: UiState, d: TraceDialog, key: Key, ctx: KeyContext): KeyResult {
  const set = (patch: Partial<TraceDialog>, reload = false): KeyResult => ({ ui: { ...ui, dialog: { ...d, ...patch } }, effects: reload ? [{ type: 'loadTrace' }] : [] });
  if (key.kind === 'mouse') {
    if (key.button === 64) return set({ offset: Math.max(0, d.offset - 3) });
    if (key.button === 65) return set({ offset: d.offset + 3 });
    return { ui, effects: [] };
  }
  if (d.editing) {
    if (key.kind === 'paste') return set({ text: d.text + key.text.replace(/[\r\n]/g, ' '), offset: 0 }, true);
    if (key.name === 'enter' || key.name === 'escape') return set({ editing: false });
    if (key.name === 'backspace') return set({ text: [...d.text].slice(0, -1).join(''), offset: 0 }, true);
    if ([...key.name].length === 1) return set({ text: d.text + key.name, offset: 0 }, true);
    return { ui, effects: [] };
  }
  if (key.kind === 'paste') return { ui, effects: [] };
  const page = traceRows(ctx) - 1;
  switch (key.name) {
    case 'escape':
    case 'q':
    case 'l':
      return { ui: { ...ui, dialog: null }, effects: [] };
    case 'up':
    case 'k':
      return set({ offset: Math.max(0, d.offset - 1) });
    case 'down':
    case 'j':
      return set({ offset: d.offset + 1 });
    case 'pageup':
      return set({ offset: Math.max(0, d.offset - page) });
    case 'pagedown':
    case ' ':
      return set({ offset: d.offset + page });
    case 'g':
    case 'home':
      return set({ offset: 0 });
    case 'G':
    case 'end':
      return set({ offset: Math.max(0, d.entries.length - traceRows(ctx)) });
    case '/':
      return set({ editing: true });
    case 'w':
      return set({ scope: d.scope === 'worktree' ? 'all' : 'worktree', offset: 0 }, true);
    case 'a':
      return set({ scope: d.scope === 'agent' ? 'all' : 'agent', offset: 0 }, true);
    case 'r':
      return set({}, true);
    default:
      return { ui, effects: [] };
  }
}

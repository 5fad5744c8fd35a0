import type { BriefView } from '../../core/briefs/brief-ops.js';
import type { Dialog, UiState } from '../ui-state.js';
import { MAIN_LANE } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import type { Effect, KeyContext, KeyResult } from './key-result.js';

type BriefsDialog = Extract<Dialog, { kind: 'briefs' }>;

/** Status order of the briefs view: what needs attention first, history last. */
const ORDER = ['dispatched', 'claimed', 'blocked', 'failed', 'planned', 'ready', 'merged'];

/** The briefs as the view lists them: by status, then oldest first. */
export function briefsInOrder(briefs: BriefView[]): BriefView[] {
  return [...briefs].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.id - b.id);
}

/** The effect that adds a brief (no spec when it is blank). */
export function addBrief(title: string, spec: string): Effect {
  return { type: 'lane', cmd: { type: 'brief', op: 'add', title, ...(spec.trim() ? { spec } : {}) } };
}

export function openBriefs(): BriefsDialog {
  return { kind: 'briefs', selected: 0, adding: null, detail: null };
}

/** What the spec step turns a paste into: newlines kept (a spec is markdown), CR LF and lone CR as LF. */
export function pastedSpec(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Keys of the briefs view (`b`): ↑↓ select, Enter shows the selected brief with its trace, D
 * dispatches it to the focused lane's agent, a adds one — its title, then its spec (typed or
 * pasted; ctrl-e opens $EDITOR on it; Enter adds, empty is fine), Esc closes.
 */
export function handleBriefsKey(ui: UiState, d: BriefsDialog, key: Key, ctx: KeyContext): KeyResult {
  const set = (patch: Partial<BriefsDialog>): KeyResult => ({ ui: { ...ui, message: null, dialog: { ...d, ...patch } }, effects: [] });
  const say = (text: string, level: 'info' | 'error' = 'info'): KeyResult => ({ ui: { ...ui, message: { text, level } }, effects: [] });
  if (d.spec) {
    const spec = d.spec;
    if (key.kind === 'paste') return set({ spec: { ...spec, text: spec.text + pastedSpec(key.text) } });
    if (key.kind !== 'key') return { ui, effects: [] };
    if (key.name === 'escape') return set({ spec: null, adding: spec.title });
    if (key.name === 'backspace') return set({ spec: { ...spec, text: [...spec.text].slice(0, -1).join('') } });
    if (key.name === 'ctrl-e') return { ui: { ...ui, message: null }, effects: [{ type: 'editSpec', title: spec.title, spec: spec.text }] };
    if (key.name === 'enter') return { ui: { ...ui, dialog: { ...d, spec: null } }, effects: [addBrief(spec.title, spec.text)] };
    if ([...key.name].length === 1) return set({ spec: { ...spec, text: spec.text + key.name } });
    return { ui, effects: [] };
  }
  if (d.adding !== null) {
    if (key.kind === 'paste') return set({ adding: (d.adding + key.text).replace(/[\r\n\t]+/g, ' ') });
    if (key.kind !== 'key') return { ui, effects: [] };
    if (key.name === 'escape') return set({ adding: null });
    if (key.name === 'backspace') return set({ adding: [...d.adding].slice(0, -1).join('') });
    if (key.name === 'enter') {
      const title = d.adding.trim();
      if (!title) return say('a brief needs a title', 'error');
      return set({ adding: null, spec: { title, text: '' } });
    }
    if ([...key.name].length === 1) return set({ adding: d.adding + key.name });
    return { ui, effects: [] };
  }
  const list = briefsInOrder(ctx.snapshot.briefs ?? []);
  const selected = list[Math.min(d.selected, Math.max(0, list.length - 1))];
  const at = (i: number) => set({ selected: Math.max(0, Math.min(list.length - 1, i)), detail: null });
  if (key.kind === 'mouse') return key.button === 64 ? at(d.selected - 1) : key.button === 65 ? at(d.selected + 1) : { ui, effects: [] };
  if (key.kind !== 'key') return { ui, effects: [] };
  switch (key.name) {
    case 'escape':
    case 'q':
    case 'b':
      if (d.detail) return set({ detail: null });
      return { ui: { ...ui, dialog: null }, effects: [] };
    case 'up':
    case 'k':
      return at(d.selected - 1);
    case 'down':
    case 'j':
      return at(d.selected + 1);
    case 'a':
      return set({ adding: '' });
    case 'enter':
      if (!selected) return { ui, effects: [] };
      if (d.detail?.brief.id === selected.id) return set({ detail: null });
      return { ui, effects: [{ type: 'briefDetail', id: selected.id }] };
    case 'D': {
      if (!selected) return say('no brief to dispatch: a adds one');
      if (ui.focusLane === MAIN_LANE) return say('MAIN takes no briefs: focus a lane (close this view, move, b again)', 'error');
      const agent = ui.focusAgent && ctx.snapshot.agents.some((a) => a.id === ui.focusAgent) ? ui.focusAgent : undefined;
      return {
        ui: { ...ui, message: { text: `dispatching #${selected.id} to ${agent ?? ui.focusLane}…`, level: 'info' } },
        effects: [{ type: 'lane', cmd: { type: 'brief', op: 'dispatch', id: selected.id, lane: ui.focusLane, agent } }],
      };
    }
    default:
      return { ui, effects: [] };
  }
}

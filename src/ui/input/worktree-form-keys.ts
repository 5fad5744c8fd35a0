import type { Dialog, UiState } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import type { KeyResult } from './key-result.js';

type Form = Extract<Dialog, { kind: 'new-worktree' }>;

/** The form's fields in order: text fields are typed into, choices flip with Space or ←/→. */
export const FORM_FIELDS = ['name', 'lane', 'served', 'base', 'agents'] as const;

/** The form as `lanes.defaultLane` / `lanes.defaultKind` say a new lane should be, until changed. */
export function newWorktreeForm(defaults: { lane?: 'standing' | 'ephemeral'; kind?: 'served' | 'code-only' } = {}): Form {
  return { kind: 'new-worktree', field: 0, name: '', lane: defaults.lane ?? 'standing', served: defaults.kind === 'served', base: '', agents: '', error: null };
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Keys of the new-worktree form (`w`). Enter creates; the server validates the name again with git. */
export function handleWorktreeFormKey(ui: UiState, f: Form, key: Key): KeyResult {
  const set = (patch: Partial<Form>): KeyResult => ({ ui: { ...ui, dialog: { ...f, ...patch, error: null } }, effects: [] });
  const field = FORM_FIELDS[f.field]!;
  if (key.kind === 'mouse') return { ui, effects: [] };
  if (key.kind === 'paste') {
    if (field === 'name' || field === 'base' || field === 'agents') return set({ [field]: f[field] + key.text.replace(/[\r\n]/g, '') } as Partial<Form>);
    return { ui, effects: [] };
  }
  const name = key.name;
  if (name === 'escape' || name === 'ctrl-c') return { ui: { ...ui, dialog: null }, effects: [] };
  if (name === 'tab' || name === 'down') return set({ field: (f.field + 1) % FORM_FIELDS.length });
  if (name === 'shift-tab' || name === 'up') return set({ field: (f.field - 1 + FORM_FIELDS.length) % FORM_FIELDS.length });
  if (name === 'enter') {
    if (!f.name) return { ui: { ...ui, dialog: { ...f, field: 0, error: 'a name is needed' } }, effects: [] };
    if (!NAME_RE.test(f.name)) return { ui: { ...ui, dialog: { ...f, field: 0, error: 'letters, digits, ".", "_" and "-" only' } }, effects: [] };
    const agents = f.agents.trim() ? f.agents.split(/[\s,]+/).filter(Boolean) : undefined;
    return {
      ui: { ...ui, dialog: null, message: { text: `creating ${f.name}…`, level: 'info' } },
      effects: [{ type: 'lane', cmd: { type: 'addWorktree', name: f.name, lane: f.lane, kind: f.served ? 'served' : 'code-only', base: f.base.trim() || undefined, agents } }],
    };
  }
  if (field === 'lane' && (name === ' ' || name === 'left' || name === 'right')) return set({ lane: f.lane === 'standing' ? 'ephemeral' : 'standing' });
  if (field === 'served' && (name === ' ' || name === 'left' || name === 'right')) return set({ served: !f.served });
  if (field === 'name' || field === 'base' || field === 'agents') {
    if (name === 'backspace') return set({ [field]: [...f[field]].slice(0, -1).join('') } as Partial<Form>);
    if ([...name].length === 1 && name !== ' ') return set({ [field]: f[field] + name } as Partial<Form>);
    if (name === ' ' && field === 'agents') return set({ agents: f.agents + ' ' });
  }
  return { ui, effects: [] };
}

import React from 'react';
import type { UiState } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none, type KeyResult } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule, type Fallback } from './binding.js';
import { fieldsOf, NAME_RE, nextHost, type Form } from './new-worktree-form.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

/** The form changed (a change clears its error). */
const set = (ui: UiState, f: Form, patch: Partial<Form>): KeyResult => ({ ui: { ...ui, dialog: { ...f, ...patch, error: null } }, effects: [] });
const fieldOf = (f: Form) => fieldsOf(f)[f.field]!;
const textField = (f: Form): 'name' | 'base' | 'agents' | null => {
  const field = fieldOf(f);
  return field === 'name' || field === 'base' || field === 'agents' ? field : null;
};
const stepField = (step: number): Binding<Form>['run'] => (ui, f) => set(ui, f, { field: (f.field + step + fieldsOf(f).length) % fieldsOf(f).length });

/** Enter: create the lane, once its name is one. */
function create(ui: UiState, f: Form): KeyResult {
  if (!f.name) return none({ ...ui, dialog: { ...f, field: 0, error: 'a name is needed' } });
  if (!NAME_RE.test(f.name)) return none({ ...ui, dialog: { ...f, field: 0, error: 'letters, digits, ".", "_" and "-" only' } });
  const agents = f.agents.trim() ? f.agents.split(/[\s,]+/).filter(Boolean) : undefined;
  // On a host, the lane is `host:name` (client/host-names.ts): the cockpit sends it there.
  const name = f.host ? `${f.host}:${f.name}` : f.name;
  return {
    ui: { ...ui, dialog: null, message: { text: `creating ${name}…`, level: 'info' } },
    effects: [{ type: 'lane', cmd: { type: 'addWorktree', name, lane: f.lane, kind: f.served ? 'served' : 'code-only', base: f.base.trim() || undefined, agents } }],
  };
}

/** Space (or ←/→) flips a choice; in the agents field Space is typed. */
const flip: Binding<Form>['run'] = (ui, f, key) => {
  const field = fieldOf(f);
  if (field === 'lane') return set(ui, f, { lane: f.lane === 'standing' ? 'ephemeral' : 'standing' });
  if (field === 'served') return set(ui, f, { served: !f.served });
  if (field === 'host') return set(ui, f, { host: nextHost(f, key.kind === 'key' && key.name === 'left' ? -1 : 1) });
  if (field === 'agents' && key.kind === 'key' && key.name === ' ') return set(ui, f, { agents: f.agents + ' ' });
  return none(ui);
};

export const NEW_WORKTREE_KEYS: Binding<Form>[] = [
  { keys: ['tab', 'down'], label: 'Tab/↑↓', help: 'field', run: stepField(1) },
  { keys: ['shift-tab', 'up'], run: stepField(-1) },
  { keys: [' '], also: ['left', 'right'], label: 'Space', help: 'switch', run: flip },
  { keys: ['enter'], help: 'create', run: create },
  { keys: ['escape'], also: ['ctrl-c'], help: 'cancel', run: (ui) => none(closed(ui)) },
  {
    keys: ['backspace'],
    run(ui, f) {
      const field = textField(f);
      return field ? set(ui, f, { [field]: [...f[field]].slice(0, -1).join('') }) : none(ui);
    },
  },
];

/** Typing and pasting go into the text fields (name, base, agents). */
const typeIn: Fallback<Form> = (ui, f, key) => {
  const field = textField(f);
  if (!field || key.kind === 'mouse') return none(ui);
  if (key.kind === 'paste') return set(ui, f, { [field]: f[field] + key.text.replace(/[\r\n]/g, '') });
  if ([...key.name].length === 1 && key.name !== ' ') return set(ui, f, { [field]: f[field] + key.name });
  return none(ui);
};

/** `w`: a new worktree (a lane): name, standing or ephemeral, served or code-only, base, agents. */
export const newWorktreeDialog: DialogModule<Form> = {
  keys: (ui, d, key, ctx) => runBindings(NEW_WORKTREE_KEYS, ui, d, key, ctx, typeIn),
  size: (d) => ({ width: 64, height: d.hosts.length ? 13 : 12 }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    const row = (i: number, label: string, value: string, hint: string) => (
      <Line key={label} width={inner} inverse={dialog.field === i} color={dialog.field === i ? 'cyan' : undefined}>
        {` ${label.padEnd(8)} ${value}${dialog.field === i && hint ? `   ${hint}` : ''}`}
      </Line>
    );
    return (
      <DialogFrame rect={rect} title="New worktree (a lane)">
        {row(0, 'name', dialog.name + (dialog.field === 0 ? '▏' : ''), 'branch and directory name')}
        {row(1, 'lane', dialog.lane === 'standing' ? '(•) standing  ( ) ephemeral' : '( ) standing  (•) ephemeral', 'Space switches')}
        {row(2, 'kind', dialog.served ? '( ) code-only  (•) served' : '(•) code-only  ( ) served', 'served: .env overrides + own port')}
        {row(3, 'base', (dialog.base || "MAIN's HEAD") + (dialog.field === 3 ? '▏' : ''), 'a branch or commit')}
        {row(4, 'agents', (dialog.agents || 'from the config') + (dialog.field === 4 ? '▏' : ''), 'e.g. claude shell')}
        {dialog.hosts.length ? row(5, 'where', ['', ...dialog.hosts].map((h) => `${h === dialog.host ? '(•)' : '( )'} ${h || 'here'}`).join('  '), 'Space switches') : null}
        <Line width={inner}> </Line>
        {dialog.error ? (
          <Line width={inner} color="red">
            {dialog.error}
          </Line>
        ) : (
          <Line width={inner}> </Line>
        )}
        <Hint width={inner}>{hintOf(NEW_WORKTREE_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

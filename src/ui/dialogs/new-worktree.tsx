import React from 'react';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { handleWorktreeFormKey } from '../input/worktree-form-keys.js';
import { hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type Form = Extract<Dialog, { kind: 'new-worktree' }>;

/** The form's own reducer (worktree-form-keys.ts) does the work; these say which keys it offers. */
const form: Binding<Form>['run'] = (ui, f, key) => handleWorktreeFormKey(ui, f, key);

export const NEW_WORKTREE_KEYS: Binding<Form>[] = [
  { keys: ['tab', 'shift-tab', 'up', 'down'], label: 'Tab/↑↓', help: 'field', run: form },
  { keys: [' '], also: ['left', 'right'], label: 'Space', help: 'switch', run: form },
  { keys: ['enter'], help: 'create', run: form },
  { keys: ['escape'], help: 'cancel', run: form },
];

/** `w`: a new worktree (a lane): name, standing or ephemeral, served or code-only, base, agents. */
export const newWorktreeDialog: DialogModule<Form> = {
  // Everything else (typing, Backspace, a paste) goes to the text fields.
  keys: (ui, d, key, ctx) => runBindings(NEW_WORKTREE_KEYS, ui, d, key, ctx, form),
  size: () => ({ width: 64, height: 12 }),
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

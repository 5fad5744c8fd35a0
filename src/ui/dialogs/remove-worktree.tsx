import React from 'react';
import { Text } from 'ink';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule, type Fallback } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type RemoveWorktree = Extract<Dialog, { kind: 'remove-worktree' }>;

/** Work would be lost: commits not in MAIN, or uncommitted changes. */
const risky = (d: RemoveWorktree): boolean => d.unmerged.length > 0 || d.changes.length > 0;
const safe = (d: RemoveWorktree): boolean => !risky(d);
const remove = (force: boolean): Binding<RemoveWorktree>['run'] => (ui, d) => ({ ui: closed(ui), effects: [{ type: 'lane', cmd: { type: 'removeWorktree', name: d.worktree, force } }] });

export const REMOVE_WORKTREE_KEYS: Binding<RemoveWorktree>[] = [
  { keys: ['y', 'enter'], help: 'remove', when: safe, run: remove(false) },
  { keys: ['n', 'escape'], help: 'keep it', when: safe, run: (ui) => none(closed(ui)) },
  { keys: ['escape'], help: 'keep it', when: risky, run: (ui) => none(closed(ui)) },
  // Work would be lost: the operator types the worktree's name, as GitHub asks before deleting a repository.
  { keys: ['enter'], when: risky, run: (ui, d, key, ctx) => (d.typed === d.worktree ? remove(true)(ui, d, key, ctx) : none(ui)) },
  { keys: ['backspace'], when: risky, run: (ui, d) => none({ ...ui, dialog: { ...d, typed: [...d.typed].slice(0, -1).join('') } }) },
];

/** Typing the name (risky removals only): characters and pastes go into it. */
const typeName: Fallback<RemoveWorktree> = (ui, d, key) => {
  if (!risky(d)) return none(ui);
  if (key.kind === 'paste') return none({ ...ui, dialog: { ...d, typed: d.typed + key.text.trim() } });
  if (key.kind === 'key' && [...key.name].length === 1) return none({ ...ui, dialog: { ...d, typed: d.typed + key.name } });
  return none(ui);
};

/** Lines a list takes in a dialog (its items, plus a heading when there are any). */
const listLines = (n: number) => (n ? n + 1 : 0);

/** `W`: what removing the focused worktree would lose; risky removals need its name typed. */
export const removeWorktreeDialog: DialogModule<RemoveWorktree> = {
  keys: (ui, d, key, ctx) => runBindings(REMOVE_WORKTREE_KEYS, ui, d, key, ctx, typeName),
  size: (d) => ({ width: 76, height: Math.min(listLines(d.unmerged.length), 6) + Math.min(listLines(d.changes.length), 6) + 8 }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    return (
      <DialogFrame rect={rect} title={`Remove worktree ${dialog.worktree}`}>
        <Line width={inner}>{dialog.agents.length ? `Stops ${dialog.agents.join(', ')}, then removes the worktree.` : 'Removes the worktree.'}</Line>
        {dialog.unmerged.length ? (
          <Line width={inner} color="red">
            {`${dialog.unmerged.length} commit${dialog.unmerged.length === 1 ? '' : 's'} not in MAIN would be lost:`}
          </Line>
        ) : null}
        {dialog.unmerged.slice(0, 5).map((c) => (
          <Line key={c} width={inner} color="yellow">{`  ${c}`}</Line>
        ))}
        {dialog.changes.length ? (
          <Line width={inner} color="red">
            {`${dialog.changes.length} uncommitted change${dialog.changes.length === 1 ? '' : 's'} would be lost:`}
          </Line>
        ) : null}
        {dialog.changes.slice(0, 5).map((c) => (
          <Line key={c} width={inner} color="yellow">{`  ${c}`}</Line>
        ))}
        {risky(dialog) ? (
          <Line width={inner}>
            Type <Text bold>{dialog.worktree}</Text> and Enter to remove anyway: {dialog.typed}▏
          </Line>
        ) : null}
        <Hint width={inner}>{hintOf(REMOVE_WORKTREE_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

import React from 'react';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type Restore = Extract<Dialog, { kind: 'restore' }>;

export const RESTORE_KEYS: Binding<Restore>[] = [
  { keys: ['y', 'enter'], help: 'restore', run: (ui) => ({ ui: closed(ui), effects: [{ type: 'command', cmd: { type: 'restore' } }] }) },
  { keys: ['n'], help: 'forget them', run: (ui) => ({ ui: closed(ui), effects: [{ type: 'command', cmd: { type: 'restore', discard: true } }] }) },
  {
    keys: ['escape'],
    also: ['q'],
    help: 'decide later',
    run: (ui) => ({ ui: { ...closed(ui), message: { text: 'restore postponed: the agents stay listed until you decide (reopen the cockpit)', level: 'info' } }, effects: [] }),
  },
];

const HOW = { resume: 'resume its conversation', fresh: 'start fresh', missing: 'cannot: its worktree or profile is gone', refused: 'refused' } as const;

/** Agents that ran before the server stopped: restore them, forget them, or decide later. */
export const restoreDialog: DialogModule<Restore> = {
  keys: (ui, d, key, ctx) => runBindings(RESTORE_KEYS, ui, d, key, ctx),
  size: (d) => ({ width: 72, height: Math.min(d.agents.length, 8) + 6 }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    const shown = dialog.agents.slice(0, 8);
    return (
      <DialogFrame rect={rect} title="Restore agents">
        <Line width={inner}>These agents were running before the server stopped:</Line>
        {shown.map((a) => (
          <Line key={a.id} width={inner} color={a.how === 'missing' || a.how === 'refused' ? 'red' : 'yellow'}>
            {`  ${a.id} (${a.profile}) — ${a.reason ? `cannot: ${a.reason}` : HOW[a.how]}`}
          </Line>
        ))}
        {dialog.agents.length > shown.length ? <Line width={inner}>{`  … and ${dialog.agents.length - shown.length} more`}</Line> : null}
        <Hint width={inner}>{hintOf(RESTORE_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

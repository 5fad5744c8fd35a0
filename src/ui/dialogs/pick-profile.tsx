import React from 'react';
import type { Dialog } from '../ui-state.js';
import { padToWidth } from '../../shared/display-width.js';
import { Line } from '../components/Line.js';
import { none } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type PickProfile = Extract<Dialog, { kind: 'pick-profile' }>;

const digitOf = (name: string): number => (/^[1-9]$/.test(name) ? Number(name) - 1 : -1);

/** Start the chosen profile (the selected one, or the digit's), then close. */
const start: Binding<PickProfile>['run'] = (ui, d, key, ctx) => {
  const n = ctx.snapshot.profiles.length;
  const digit = digitOf(key.kind === 'key' ? key.name : '');
  if (digit >= n) return none(ui);
  const profile = ctx.snapshot.profiles[digit >= 0 ? digit : d.selected];
  if (!profile) return none(closed(ui));
  return { ui: closed(ui), effects: [{ type: 'command', cmd: { type: 'spawn', worktree: d.worktree, profile: profile.name } }] };
};

export const PICK_PROFILE_KEYS: Binding<PickProfile>[] = [
  {
    keys: ['up', 'down'],
    also: ['k', 'shift-tab', 'j', 'tab'],
    label: '↑↓',
    help: 'choose',
    run: (ui, d, key, ctx) => {
      const n = ctx.snapshot.profiles.length;
      const up = key.kind === 'key' && (key.name === 'up' || key.name === 'k' || key.name === 'shift-tab');
      return none({ ...ui, dialog: { ...d, selected: up ? (d.selected - 1 + n) % n : (d.selected + 1) % n } });
    },
  },
  { keys: ['enter'], help: 'start', run: start },
  { keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: '1–9', help: 'pick', run: start },
  { keys: ['escape'], also: ['q', 'ctrl-c'], help: 'cancel', run: (ui) => none(closed(ui)) },
];

/** Enter on a lane without agents, or `n`: which profile to start there. */
export const pickProfileDialog: DialogModule<PickProfile> = {
  keys: (ui, d, key, ctx) => runBindings(PICK_PROFILE_KEYS, ui, d, key, ctx),
  size: (_d, snapshot) => ({ width: 56, height: snapshot.profiles.length + 5 }),
  render({ dialog, rect, snapshot }) {
    const inner = innerWidth(rect);
    return (
      <DialogFrame rect={rect} title={`New agent in ${dialog.worktree}`}>
        {snapshot.profiles.map((p, i) => (
          <Line key={p.name} width={inner} inverse={i === dialog.selected} color={i === dialog.selected ? 'cyan' : undefined}>
            {` ${i < 9 ? i + 1 : ' '} ${padToWidth(p.name, 12)} ${p.description ?? p.command}`}
          </Line>
        ))}
        <Line width={inner}> </Line>
        <Hint width={inner}>{hintOf(PICK_PROFILE_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

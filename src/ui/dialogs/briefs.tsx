import React from 'react';
import type { Dialog } from '../ui-state.js';
import { handleBriefsKey } from '../input/briefs-keys.js';
import { BriefsView } from '../components/BriefsView.js';
import type { DialogModule } from './binding.js';

type Briefs = Extract<Dialog, { kind: 'briefs' }>;

/** `b`: the briefs, a brief's trace, adding one (keys: briefs-keys.ts, view: BriefsView.tsx). */
export const briefsDialog: DialogModule<Briefs> = {
  keys: (ui, d, key, ctx) => handleBriefsKey(ui, d, key, ctx),
  size: () => ({ width: 1000, height: 1000 }),
  render: ({ dialog, rect, snapshot, focusLane }) => <BriefsView dialog={dialog} briefs={snapshot.briefs ?? []} focusLane={focusLane} rect={rect} />,
};

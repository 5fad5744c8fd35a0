import React from 'react';
import type { Snapshot } from '../../core/types.js';
import type { Keymap } from '../keymap.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { dialogModule } from '../dialogs/index.js';

/** The open dialog, drawn by its own module (src/ui/dialogs/). */
export function DialogBox({ dialog, rect, snapshot, keymap, focusLane }: { dialog: Dialog; rect: Rect; snapshot: Snapshot; keymap: Keymap; focusLane?: string }) {
  return dialogModule(dialog).render({ dialog, rect, snapshot, keymap, focusLane: focusLane ?? 'MAIN' });
}

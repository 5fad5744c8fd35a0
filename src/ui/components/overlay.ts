import type { Snapshot } from '../../core/types.js';
import type { Keymap } from '../keymap.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { dialogModule } from '../dialogs/index.js';

/** Where the open dialog sits: centred, clipped to the terminal. Agent cells never draw inside it. */
export function dialogRect(dialog: Dialog | null, snapshot: Snapshot, keymap: Keymap, cols: number, rows: number): Rect | null {
  if (!dialog) return null;
  const s = dialogModule(dialog).size(dialog, snapshot, keymap);
  const width = Math.min(s.width, cols - 2);
  const height = Math.min(s.height, rows - 2);
  return { x: Math.floor((cols - width) / 2), y: Math.max(0, Math.floor((rows - height) / 2)), width, height };
}

import type { Dialog } from '../ui-state.js';
import type { DialogModule } from './binding.js';
import { helpDialog } from './help.js';
import { confirmAgentDialog } from './confirm-agent.js';
import { confirmQuitDialog } from './confirm-quit.js';
import { pickProfileDialog } from './pick-profile.js';
import { newWorktreeDialog } from './new-worktree.js';
import { removeWorktreeDialog } from './remove-worktree.js';
import { restoreDialog } from './restore.js';
import { serverGoneDialog } from './server-gone.js';
import { mergePreviewDialog } from './merge-preview.js';
import { mergeDialog } from './merge.js';
import { diffDialog } from './diff.js';
import { traceDialog } from './trace.js';
import { briefsDialog } from './briefs.js';

// Every dialog, by kind: a new dialog is a new file here plus its line below (and its Dialog shape in ui-state.ts).

type Registry = { [K in Dialog['kind']]: DialogModule<Extract<Dialog, { kind: K }>> };

const DIALOGS: Registry = {
  help: helpDialog,
  'confirm-kill': confirmAgentDialog,
  'confirm-remove': confirmAgentDialog,
  'confirm-respawn': confirmAgentDialog,
  'confirm-quit': confirmQuitDialog,
  'confirm-stop': confirmQuitDialog,
  'pick-profile': pickProfileDialog,
  'new-worktree': newWorktreeDialog,
  'remove-worktree': removeWorktreeDialog,
  restore: restoreDialog,
  'server-gone': serverGoneDialog,
  'merge-preview': mergePreviewDialog,
  merge: mergeDialog,
  diff: diffDialog,
  trace: traceDialog,
  briefs: briefsDialog,
};

/** The module of an open dialog (its methods take any dialog: each is only ever given its own kind). */
export function dialogModule(dialog: Dialog): DialogModule<Dialog> {
  return DIALOGS[dialog.kind];
}

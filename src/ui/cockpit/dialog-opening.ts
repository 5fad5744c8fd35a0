import { describeError } from '../../shared/errors.js';
import type { UiState } from '../ui-state.js';
import type { CockpitState } from './cockpit-state.js';

// Dialogs whose content the server has to give first (a merge preview, a diff, a brief's trace, what
// removing a lane would lose): asked for, then opened on the UI state as it is by then.

/** Ask the backend, then apply its answer to the UI state of that moment; a failure goes to the status line. */
async function openWith<T>(s: CockpitState, ask: () => Promise<T>, open: (ui: UiState, answer: T) => UiState): Promise<void> {
  try {
    const answer = await ask();
    s.ui = open(s.ui, answer);
  } catch (err) {
    s.ui = { ...s.ui, message: { text: describeError(err), level: 'error' } };
  }
  s.update();
}

/** `m`: what merging the worktree would do. */
export function openMergePreview(s: CockpitState, worktree: string): Promise<void> {
  return openWith(
    s,
    () => s.backend.dispatch({ type: 'mergePreview', worktree }),
    (ui, preview) => ({ ...ui, message: null, dialog: { kind: 'merge-preview', preview } }),
  );
}

/** `d`: the worktree's diff against MAIN. */
export function openDiff(s: CockpitState, worktree: string): Promise<void> {
  return openWith(
    s,
    () => s.backend.dispatch({ type: 'diff', worktree }),
    (ui, { diff }) => {
      const lines = diff.replace(/\t/g, '    ').split('\n');
      return { ...ui, message: null, dialog: { kind: 'diff', worktree, lines: diff.trim() ? lines : ['(no changes against MAIN)'], offset: 0 } };
    },
  );
}

/** Enter in the briefs view: the brief with its trace. */
export function openBriefDetail(s: CockpitState, id: number, host?: string): Promise<void> {
  return openWith(
    s,
    () => s.backend.dispatch({ type: 'brief', op: 'show', id, host }),
    // A show's reply is the brief with its trace.
    (ui, detail) => (ui.dialog?.kind === 'briefs' && 'trace' in detail ? { ...ui, message: null, dialog: { ...ui.dialog, detail } } : ui),
  );
}

/** `W`: what removing the worktree would lose, then the removal dialog. */
export function openRemoval(s: CockpitState, worktree: string): Promise<void> {
  return openWith(
    s,
    () => s.backend.dispatch({ type: 'checkRemoval', name: worktree }),
    (ui, c) => {
      // Stashes of the lane are work it would lose too: listed with the changes ("S  stash@{0} …").
      const changes = [...c.changes, ...(c.stashes ?? []).map((st) => `S  ${st}`)];
      return { ...ui, message: null, dialog: { kind: 'remove-worktree', worktree, unmerged: c.unmerged, changes, agents: c.agents, typed: '' } };
    },
  );
}

/** The spec $EDITOR gave back (or the error it ended with) in the briefs view's spec field, to add with Enter (or Esc). */
export function withEditedSpec(ui: UiState, title: string, spec: string, r: { text: string } | { error: string }): UiState {
  const d = ui.dialog;
  let next = ui;
  if (d?.kind === 'briefs') next = { ...ui, dialog: { ...d, adding: null, spec: { title, text: 'text' in r ? r.text.replace(/\n+$/, '') : spec } } };
  return { ...next, message: 'error' in r ? { text: `${r.error}: the spec is as it was`, level: 'error' } : null };
}

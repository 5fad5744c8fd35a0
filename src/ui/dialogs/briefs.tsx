import React from 'react';
import { MAIN_LANE, type UiState } from '../ui-state.js';
import type { Key } from '../input/key-tokens.js';
import { none, type KeyContext, type KeyResult } from '../input/key-result.js';
import { BriefsView } from '../components/BriefsView.js';
import { addBrief, briefLabel, briefsInOrder, pastedSpec, sameBrief, type BriefsDialog } from './briefs-list.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule, type Fallback } from './binding.js';

// `b`, the briefs view, in three steps: the list (↑↓ select, Enter shows the selected brief with its
// trace, D dispatches it to the focused lane's agent, a adds one), then a new brief's title, then its
// spec (typed or pasted; ctrl-e opens $EDITOR on it; Enter adds, empty is fine). Esc goes back a step.

/** The view changed (and the status line is cleared). */
const set = (ui: UiState, d: BriefsDialog, patch: Partial<BriefsDialog>): KeyResult => ({ ui: { ...ui, message: null, dialog: { ...d, ...patch } }, effects: [] });
const say = (ui: UiState, text: string, level: 'info' | 'error' = 'info'): KeyResult => ({ ui: { ...ui, message: { text, level } }, effects: [] });

/** The spec step (`d.spec` is set). */
export const SPEC_KEYS: Binding<BriefsDialog>[] = [
  { keys: ['ctrl-e'], label: 'ctrl-e', help: '$EDITOR', run: (ui, d) => ({ ui: { ...ui, message: null }, effects: [{ type: 'editSpec', title: d.spec!.title, spec: d.spec!.text }] }) },
  { keys: ['enter'], help: 'adds', run: (ui, d) => ({ ui: { ...ui, dialog: { ...d, spec: null } }, effects: [addBrief(d.spec!.title, d.spec!.text)] }) },
  { keys: ['escape'], help: 'back', run: (ui, d) => set(ui, d, { spec: null, adding: d.spec!.title }) },
  { keys: ['backspace'], run: (ui, d) => set(ui, d, { spec: { ...d.spec!, text: [...d.spec!.text].slice(0, -1).join('') } }) },
];

/** The title step (`d.adding` is a string). */
export const TITLE_KEYS: Binding<BriefsDialog>[] = [
  {
    keys: ['enter'],
    label: 'Enter:',
    help: 'next, the spec',
    run(ui, d) {
      const title = d.adding!.trim();
      if (!title) return say(ui, 'a brief needs a title', 'error');
      return set(ui, d, { adding: null, spec: { title, text: '' } });
    },
  },
  { keys: ['escape'], help: 'cancels', run: (ui, d) => set(ui, d, { adding: null }) },
  { keys: ['backspace'], run: (ui, d) => set(ui, d, { adding: [...d.adding!].slice(0, -1).join('') }) },
];

/** `{host}` for a brief a host's server holds; nothing for this machine's own. */
const onHost = (b: { host?: string }) => (b.host === undefined ? {} : { host: b.host });

/** The list of briefs, in the view's order, and the selected one. */
function listOf(d: BriefsDialog, ctx: KeyContext) {
  const list = briefsInOrder(ctx.snapshot.briefs ?? []);
  return { list, selected: list[Math.min(d.selected, Math.max(0, list.length - 1))] };
}
const select = (ui: UiState, d: BriefsDialog, ctx: KeyContext, i: number): KeyResult => set(ui, d, { selected: Math.max(0, Math.min(listOf(d, ctx).list.length - 1, i)), detail: null });

/** The list step. */
export const LIST_KEYS: Binding<BriefsDialog>[] = [
  { keys: ['up'], also: ['k'], label: '↑↓', help: 'select', run: (ui, d, _key, ctx) => select(ui, d, ctx, d.selected - 1) },
  { keys: ['down'], also: ['j'], run: (ui, d, _key, ctx) => select(ui, d, ctx, d.selected + 1) },
  {
    keys: ['enter'],
    help: 'trace',
    run(ui, d, _key, ctx) {
      const { selected } = listOf(d, ctx);
      if (!selected) return none(ui);
      if (sameBrief(d.detail?.brief, selected)) return set(ui, d, { detail: null });
      return { ui, effects: [{ type: 'briefDetail', id: selected.id, ...onHost(selected) }] };
    },
  },
  {
    keys: ['D'],
    help: 'dispatch',
    run(ui, d, _key, ctx) {
      const { selected } = listOf(d, ctx);
      if (!selected) return say(ui, 'no brief to dispatch: a adds one');
      if (ui.focusLane === MAIN_LANE) return say(ui, 'MAIN takes no briefs: focus a lane (close this view, move, b again)', 'error');
      const agent = ui.focusAgent && ctx.snapshot.agents.some((a) => a.id === ui.focusAgent) ? ui.focusAgent : undefined;
      return {
        ui: { ...ui, message: { text: `dispatching ${briefLabel(selected)} to ${agent ?? ui.focusLane}…`, level: 'info' } },
        effects: [{ type: 'lane', cmd: { type: 'brief', op: 'dispatch', id: selected.id, ...onHost(selected), lane: ui.focusLane, agent } }],
      };
    },
  },
  { keys: ['a'], help: 'add', run: (ui, d) => set(ui, d, { adding: '' }) },
  // Esc closes a brief's trace first, then the view.
  { keys: ['escape'], also: ['q', 'b'], help: 'close', run: (ui, d) => (d.detail ? set(ui, d, { detail: null }) : none(closed(ui))) },
];

const stepKeys = (d: BriefsDialog): Binding<BriefsDialog>[] => (d.spec ? SPEC_KEYS : d.adding !== null ? TITLE_KEYS : LIST_KEYS);

/** What no binding takes: typing and pasting into the title or the spec, the wheel over the list. */
const briefsFallback: Fallback<BriefsDialog> = (ui, d, key: Key, ctx) => {
  if (d.spec) {
    if (key.kind === 'paste') return set(ui, d, { spec: { ...d.spec, text: d.spec.text + pastedSpec(key.text) } });
    if (key.kind === 'key' && [...key.name].length === 1) return set(ui, d, { spec: { ...d.spec, text: d.spec.text + key.name } });
    return none(ui);
  }
  if (d.adding !== null) {
    if (key.kind === 'paste') return set(ui, d, { adding: (d.adding + key.text).replace(/[\r\n\t]+/g, ' ') });
    if (key.kind === 'key' && [...key.name].length === 1) return set(ui, d, { adding: d.adding + key.name });
    return none(ui);
  }
  if (key.kind === 'mouse') return key.button === 64 ? select(ui, d, ctx, d.selected - 1) : key.button === 65 ? select(ui, d, ctx, d.selected + 1) : none(ui);
  return none(ui);
};

/** The bottom line: the key hints, or the field being typed. */
export function briefsFooter(d: BriefsDialog): string {
  // The spec itself is on the right, with its cursor: the bottom line keeps to the keys, which fit 80 columns.
  if (d.spec) return `the spec: type or paste · ${hintOf(SPEC_KEYS, d)}`;
  if (d.adding !== null) return `new brief title: ${d.adding}▏ (${hintOf(TITLE_KEYS, d)})`;
  return hintOf(LIST_KEYS, d);
}

export const briefsDialog: DialogModule<BriefsDialog> = {
  keys: (ui, d, key, ctx) => runBindings(stepKeys(d), ui, d, key, ctx, briefsFallback),
  size: () => ({ width: 1000, height: 1000 }),
  render: ({ dialog, rect, snapshot, focusLane }) => <BriefsView dialog={dialog} briefs={snapshot.briefs ?? []} focusLane={focusLane} rect={rect} footer={briefsFooter(dialog)} />,
};

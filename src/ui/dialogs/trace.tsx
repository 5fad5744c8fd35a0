import React from 'react';
import type { Dialog, UiState } from '../ui-state.js';
import type { Key } from '../input/key-tokens.js';
import { none, type KeyContext, type KeyResult } from '../input/key-result.js';
import { TraceView } from '../components/TraceView.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule, type Fallback } from './binding.js';

type Trace = Extract<Dialog, { kind: 'trace' }>;

/** Rows the trace view shows at once, for paging. */
export function traceRows(ctx: KeyContext): number {
  return Math.max(1, ctx.layout.rows - 7);
}

/** The view changed; `reload`: its filter did, so the trace is read again. */
function set(ui: UiState, d: Trace, patch: Partial<Trace>, reload = false): KeyResult {
  return { ui: { ...ui, dialog: { ...d, ...patch } }, effects: reload ? [{ type: 'loadTrace' }] : [] };
}

const offsetBy = (delta: (d: Trace, ctx: KeyContext) => number): Binding<Trace>['run'] => (ui, d, _key, ctx) => set(ui, d, { offset: Math.max(0, d.offset + delta(d, ctx)) });
const browsing = (d: Trace): boolean => !d.editing;
const page = (ctx: KeyContext): number => traceRows(ctx) - 1;

/** Keys of the trace view: scroll, filter text (`/`), scope to the focused worktree (`w`) or agent (`a`). */
export const TRACE_KEYS: Binding<Trace>[] = [
  // Typing the filter: every change reads the trace again.
  { keys: ['enter', 'escape'], when: (d) => d.editing, run: (ui, d) => set(ui, d, { editing: false }) },
  { keys: ['backspace'], when: (d) => d.editing, run: (ui, d) => set(ui, d, { text: [...d.text].slice(0, -1).join(''), offset: 0 }, true) },
  // Browsing.
  { keys: ['up'], also: ['k'], label: '↑↓ PgUp PgDn g G', help: 'scroll', when: browsing, run: offsetBy(() => -1) },
  { keys: ['down'], also: ['j'], when: browsing, run: (ui, d) => set(ui, d, { offset: d.offset + 1 }) },
  { keys: ['pageup'], when: browsing, run: offsetBy((_d, ctx) => -page(ctx)) },
  { keys: ['pagedown'], also: [' '], when: browsing, run: (ui, d, _key, ctx) => set(ui, d, { offset: d.offset + page(ctx) }) },
  { keys: ['g'], also: ['home'], when: browsing, run: (ui, d) => set(ui, d, { offset: 0 }) },
  { keys: ['G'], also: ['end'], when: browsing, run: (ui, d, _key, ctx) => set(ui, d, { offset: Math.max(0, d.entries.length - traceRows(ctx)) }) },
  { keys: ['/'], help: 'filter', when: browsing, run: (ui, d) => set(ui, d, { editing: true }) },
  { keys: ['w'], help: 'worktree', when: browsing, run: (ui, d) => set(ui, d, { scope: d.scope === 'worktree' ? 'all' : 'worktree', offset: 0 }, true) },
  { keys: ['a'], help: 'agent', when: browsing, run: (ui, d) => set(ui, d, { scope: d.scope === 'agent' ? 'all' : 'agent', offset: 0 }, true) },
  { keys: ['r'], help: 'reload', when: browsing, run: (ui, d) => set(ui, d, {}, true) },
  { keys: ['escape'], also: ['q', 'l'], help: 'close', when: browsing, run: (ui) => none(closed(ui)) },
];

/** The wheel scrolls three lines; typing and pasting go into the filter while it is edited. */
const traceFallback: Fallback<Trace> = (ui, d, key: Key) => {
  if (key.kind === 'mouse') {
    if (key.button === 64) return set(ui, d, { offset: Math.max(0, d.offset - 3) });
    if (key.button === 65) return set(ui, d, { offset: d.offset + 3 });
    return none(ui);
  }
  if (!d.editing) return none(ui);
  if (key.kind === 'paste') return set(ui, d, { text: d.text + key.text.replace(/[\r\n]/g, ' '), offset: 0 }, true);
  if ([...key.name].length === 1) return set(ui, d, { text: d.text + key.name, offset: 0 }, true);
  return none(ui);
};

/** `l`: the trace, newest first, filtered by text and scope (the view: TraceView.tsx). */
export const traceDialog: DialogModule<Trace> = {
  keys: (ui, d, key, ctx) => runBindings(TRACE_KEYS, ui, d, key, ctx, traceFallback),
  // Clipped to the terminal: the trace wants all the room there is.
  size: () => ({ width: 1000, height: 1000 }),
  render: ({ dialog, rect }) => <TraceView dialog={dialog} rect={rect} hint={hintOf(TRACE_KEYS, dialog)} />,
};

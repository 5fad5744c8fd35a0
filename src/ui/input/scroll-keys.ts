import type { UiState, ScrollView } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import { none, type KeyContext, type KeyResult } from './key-result.js';
import { helpOf, hintOf, runBindings, type Binding, type Fallback } from '../dialogs/binding.js';

/**
 * Scroll mode: a frozen view into an agent's scrollback (the agent keeps running and its output keeps
 * being recorded below). `top` is an absolute buffer line, so new output does not move what you read.
 */
function clampTop(top: number, ctx: KeyContext, agent: string): number {
  const size = ctx.bufferSize(agent);
  if (!size) return 0;
  return Math.max(0, Math.min(top, size.length - size.rows));
}

function bottomTop(ctx: KeyContext, agent: string): number {
  const size = ctx.bufferSize(agent);
  return size ? Math.max(0, size.length - size.rows) : 0;
}

export function startScroll(ui: UiState, agent: string, ctx: KeyContext, initial: 'none' | 'page'): UiState {
  const top = bottomTop(ctx, agent);
  const view: ScrollView = { agent, top, editing: false, query: '', matches: [], current: -1 };
  const s = { ...ui, scroll: view, message: null };
  return initial === 'page' ? scrollBy(s, -(ctx.bufferSize(agent)?.rows ?? 10) + 1, ctx) : s;
}

export function scrollBy(ui: UiState, delta: number, ctx: KeyContext): UiState {
  if (!ui.scroll) return ui;
  return { ...ui, scroll: { ...ui.scroll, top: clampTop(ui.scroll.top + delta, ctx, ui.scroll.agent) } };
}

/** Put match `i` in view (a third from the top, so the context after it shows too). */
function showMatch(ui: UiState, view: ScrollView, i: number, ctx: KeyContext): UiState {
  const m = view.matches[i];
  if (!m) return { ...ui, scroll: view };
  const rows = ctx.bufferSize(view.agent)?.rows ?? 10;
  const visible = m.line >= view.top && m.line < view.top + rows;
  const top = visible ? view.top : clampTop(m.line - Math.floor(rows / 3), ctx, view.agent);
  return { ...ui, scroll: { ...view, current: i, top }, message: { text: `match ${i + 1}/${view.matches.length} — n older · N newer`, level: 'info' } };
}

function runSearch(ui: UiState, view: ScrollView, ctx: KeyContext): UiState {
  if (view.query === '') return { ...ui, scroll: { ...view, editing: false } };
  const matches = ctx.search(view.agent, view.query);
  const next: ScrollView = { ...view, editing: false, matches, current: -1 };
  if (matches.length === 0) return { ...ui, scroll: next, message: { text: `not found: ${view.query}`, level: 'error' } };
  // Start from the most recent match at or above the bottom of the view: newest output is what you
  // were just looking at, and you search upwards from there.
  const rows = ctx.bufferSize(view.agent)?.rows ?? 10;
  const bottom = view.top + rows - 1;
  let i = matches.length - 1;
  while (i > 0 && matches[i]!.line > bottom) i--;
  return showMatch(ui, next, i, ctx);
}

const editing = (v: ScrollView): boolean => v.editing;
const browsing = (v: ScrollView): boolean => !v.editing;
const moveBy = (delta: (ctx: KeyContext, v: ScrollView) => number): Binding<ScrollView>['run'] => (ui, v, _key, ctx) => none(scrollBy(ui, delta(ctx, v), ctx));
const rowsOf = (ctx: KeyContext, v: ScrollView): number => ctx.bufferSize(v.agent)?.rows ?? 10;

/** Scroll mode's keys: browsing the scrollback, and typing a search (`/`). The status line's hint is made from them. */
export const SCROLL_KEYS: Binding<ScrollView>[] = [
  // Typing a search query (the status line is an input field).
  { keys: ['enter'], help: 'search', when: editing, run: (ui, v, _key, ctx) => none(runSearch(ui, v, ctx)) },
  { keys: ['escape'], also: ['ctrl-c'], help: 'cancel', when: editing, run: (ui, v) => none({ ...ui, scroll: { ...v, editing: false, query: '' }, message: null }) },
  { keys: ['backspace'], when: editing, run: (ui, v) => none({ ...ui, scroll: { ...v, query: [...v.query].slice(0, -1).join('') } }) },
  // Browsing.
  { keys: ['up'], also: ['k'], label: '↑↓ PgUp PgDn g G', help: '', when: browsing, run: moveBy(() => -1) },
  { keys: ['down'], also: ['j'], when: browsing, run: moveBy(() => 1) },
  { keys: ['pageup'], also: ['ctrl-b', '['], when: browsing, run: moveBy((ctx, v) => -(rowsOf(ctx, v) - 1)) },
  { keys: ['pagedown'], also: ['ctrl-f', ' '], when: browsing, run: moveBy((ctx, v) => rowsOf(ctx, v) - 1) },
  { keys: ['g'], also: ['home'], when: browsing, run: (ui, v) => none({ ...ui, scroll: { ...v, top: 0 } }) },
  { keys: ['G'], also: ['end'], when: browsing, run: (ui, v, _key, ctx) => none({ ...ui, scroll: { ...v, top: bottomTop(ctx, v.agent) } }) },
  { keys: ['/'], help: 'search', when: browsing, run: (ui, v) => none({ ...ui, scroll: { ...v, editing: true, query: '' }, message: null }) },
  { keys: ['n'], inHelp: 'n N', when: browsing, run: (ui, v, _key, ctx) => (v.matches.length === 0 ? none(ui) : none(showMatch(ui, v, Math.max(0, v.current - 1), ctx))) },
  { keys: ['N'], when: browsing, run: (ui, v, _key, ctx) => (v.matches.length === 0 ? none(ui) : none(showMatch(ui, v, Math.min(v.matches.length - 1, v.current + 1), ctx))) },
  { keys: ['escape'], also: ['q', 'ctrl-c'], help: 'live', when: browsing, run: (ui) => none({ ...ui, scroll: null, message: null }) },
];

/** The wheel scrolls (down past the newest line: back to live output, as in tmux); a search query takes typing and pastes. */
const scrollFallback: Fallback<ScrollView> = (ui, view, key: Key, ctx) => {
  if (key.kind === 'mouse') {
    if (key.button === 64) return none(scrollBy(ui, -3, ctx));
    if (key.button === 65) {
      const s = scrollBy(ui, 3, ctx);
      if (s.scroll && s.scroll.top >= bottomTop(ctx, view.agent) && view.top >= bottomTop(ctx, view.agent)) return none({ ...s, scroll: null });
      return none(s);
    }
    return none(ui);
  }
  if (!view.editing) return none(ui);
  if (key.kind === 'paste') return none({ ...ui, scroll: { ...view, query: view.query + key.text.replace(/[\r\n]/g, ' ') } });
  if ([...key.name].length === 1) return none({ ...ui, scroll: { ...view, query: view.query + key.name } });
  return none(ui);
};

export function handleScrollKey(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  return runBindings(SCROLL_KEYS, ui, ui.scroll!, key, ctx, scrollFallback);
}

/** The status line's hint in scroll mode. */
export function scrollHint(view: ScrollView): string {
  return hintOf(SCROLL_KEYS, view);
}

/** The `?` help's line for scroll mode, made from SCROLL_KEYS as they are while browsing (so it cannot drift from them). */
export function scrollHelp(): string {
  const browsingView: ScrollView = { agent: '', top: 0, editing: false, query: '', matches: [], current: -1 };
  return helpOf(SCROLL_KEYS, browsingView);
}

import type { UiState, ScrollView } from '../ui-state.js';
import type { Key } from './key-tokens.js';
import type { KeyContext, KeyResult } from './key-result.js';

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

export function handleScrollKey(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  const view = ui.scroll!;
  const rows = ctx.bufferSize(view.agent)?.rows ?? 10;
  if (key.kind === 'mouse') {
    if (key.button === 64) return { ui: scrollBy(ui, -3, ctx), effects: [] };
    if (key.button === 65) {
      const s = scrollBy(ui, 3, ctx);
      // Wheeling down past the newest line returns to live output, as in tmux.
      if (s.scroll && s.scroll.top >= bottomTop(ctx, view.agent) && view.top >= bottomTop(ctx, view.agent)) return { ui: { ...s, scroll: null }, effects: [] };
      return { ui: s, effects: [] };
    }
    return { ui, effects: [] };
  }
  if (view.editing) {
    if (key.kind === 'paste') return { ui: { ...ui, scroll: { ...view, query: view.query + key.text.replace(/[\r\n]/g, ' ') } }, effects: [] };
    const name = key.name;
    if (name === 'escape' || name === 'ctrl-c') return { ui: { ...ui, scroll: { ...view, editing: false, query: '' }, message: null }, effects: [] };
    if (name === 'enter') return { ui: runSearch(ui, view, ctx), effects: [] };
    if (name === 'backspace') return { ui: { ...ui, scroll: { ...view, query: [...view.query].slice(0, -1).join('') } }, effects: [] };
    if ([...name].length === 1) return { ui: { ...ui, scroll: { ...view, query: view.query + name } }, effects: [] };
    return { ui, effects: [] };
  }
  if (key.kind === 'paste') return { ui, effects: [] };
  switch (key.name) {
    case 'escape':
    case 'q':
    case 'ctrl-c':
      return { ui: { ...ui, scroll: null, message: null }, effects: [] };
    case 'up':
    case 'k':
      return { ui: scrollBy(ui, -1, ctx), effects: [] };
    case 'down':
    case 'j':
      return { ui: scrollBy(ui, 1, ctx), effects: [] };
    case 'pageup':
    case 'ctrl-b':
    case '[':
      return { ui: scrollBy(ui, -(rows - 1), ctx), effects: [] };
    case 'pagedown':
    case 'ctrl-f':
    case ' ':
      return { ui: scrollBy(ui, rows - 1, ctx), effects: [] };
    case 'g':
    case 'home':
      return { ui: { ...ui, scroll: { ...view, top: 0 } }, effects: [] };
    case 'G':
    case 'end':
      return { ui: { ...ui, scroll: { ...view, top: bottomTop(ctx, view.agent) } }, effects: [] };
    case '/':
      return { ui: { ...ui, scroll: { ...view, editing: true, query: '' }, message: null }, effects: [] };
    case 'n':
      if (view.matches.length === 0) return { ui, effects: [] };
      return { ui: showMatch(ui, view, Math.max(0, view.current - 1), ctx), effects: [] };
    case 'N':
      if (view.matches.length === 0) return { ui, effects: [] };
      return { ui: showMatch(ui, view, Math.min(view.matches.length - 1, view.current + 1), ctx), effects: [] };
    default:
      return { ui, effects: [] };
  }
}

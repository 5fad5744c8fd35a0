import type React from 'react';
import type { Snapshot } from '../../core/types.js';
import type { Rect } from '../../layout/layout.js';
import { keyLabel, type Keymap } from '../keymap.js';
import type { Dialog, UiState } from '../ui-state.js';
import type { Key } from '../input/key-tokens.js';
import { none, type KeyContext, type KeyResult } from '../input/key-result.js';

/**
 * One key (or a few doing one thing) of a dialog, with what it does and the help text its hint shows.
 * `S` is what the dialog decides on: the dialog itself, or for the merge the snapshot's merge.
 * The hint line is made from these (`hintOf`), so a key and its hint cannot drift apart.
 */
export interface Binding<S> {
  /** The keys shown in the hint, in order ("y / Enter"). */
  keys: string[];
  /** Keys doing the same, not shown (q beside Esc). */
  also?: string[];
  /** How the hint writes the keys when not one by one ("↑↓", "1–9"). */
  label?: string;
  /** What the hint says the key does ("": the keys alone); none: not in the hint. */
  help?: string | ((s: S) => string);
  /** Only while this holds (the key is not offered, nor taken, otherwise). */
  when?: (s: S) => boolean;
  /**
   * How the `?` help writes this key when the hint, short of room, leaves it out ("n N"); the help
   * otherwise writes a key as its hint does.
   */
  inHelp?: string;
  /** Why the key does nothing now, or null: the hint says the reason in place of the help. */
  refused?: (s: S) => string | null;
  run(ui: UiState, s: S, key: Key, ctx: KeyContext): KeyResult;
}

/** What a dialog's keys fall back to when no binding takes them; default: nothing happens. */
export type Fallback<S> = (ui: UiState, s: S, key: Key, ctx: KeyContext) => KeyResult;

const keyName = (key: Key): string => (key.kind === 'key' ? key.name : '');

/** The binding that takes this key now, if any. */
export function bindingFor<S>(bindings: readonly Binding<S>[], s: S, key: Key): Binding<S> | undefined {
  const name = keyName(key);
  if (!name) return undefined;
  return bindings.find((b) => (b.when?.(s) ?? true) && (b.keys.includes(name) || (b.also?.includes(name) ?? false)));
}

/** Runs the binding that takes the key, else the fallback. */
export function runBindings<S>(bindings: readonly Binding<S>[], ui: UiState, s: S, key: Key, ctx: KeyContext, fallback?: Fallback<S>): KeyResult {
  const b = bindingFor(bindings, s, key);
  if (b) return b.refused?.(s) ? none(ui) : b.run(ui, s, key, ctx);
  return fallback ? fallback(ui, s, key, ctx) : none(ui);
}

/** A key as a dialog's hint writes it: "Esc" (short), else as the help does. */
export const hintKey = (k: string): string => (k === 'escape' ? 'Esc' : keyLabel(k));

/** A binding as its hint writes it: "keys help". */
const keysAndHelp = <S>(b: Binding<S>, s: S): string =>
  [b.label ?? b.keys.map(hintKey).join(' / '), typeof b.help === 'function' ? b.help(s) : b.help].filter(Boolean).join(' ');

/** The hint line: every binding offered now that has help, "keys help" (or why it is refused), joined by " · ". */
export function hintOf<S>(bindings: readonly Binding<S>[], s: S): string {
  return bindings
    .filter((b) => b.help !== undefined && (b.when?.(s) ?? true))
    .map((b) => b.refused?.(s) ?? keysAndHelp(b, s))
    .join(' · ');
}

/** The `?` help's line for these bindings: what the hint shows, and the keys only the help has room for. */
export function helpOf<S>(bindings: readonly Binding<S>[], s: S): string {
  return bindings
    .filter((b) => (b.help !== undefined || b.inHelp !== undefined) && (b.when?.(s) ?? true))
    .map((b) => b.inHelp ?? keysAndHelp(b, s))
    .join(' · ');
}

export interface DialogProps<D extends Dialog> {
  dialog: D;
  rect: Rect;
  snapshot: Snapshot;
  keymap: Keymap;
  focusLane: string;
}

/** A dialog: its keys, its size (border included, before clipping to the terminal) and its render. */
export interface DialogModule<D extends Dialog> {
  keys(ui: UiState, dialog: D, key: Key, ctx: KeyContext): KeyResult;
  size(dialog: D, snapshot: Snapshot, keymap: Keymap): { width: number; height: number };
  render(props: DialogProps<D>): React.ReactElement;
}

/** The open dialog closed. */
export const closed = (ui: UiState): UiState => ({ ...ui, dialog: null });

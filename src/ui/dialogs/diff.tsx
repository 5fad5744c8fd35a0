import React from 'react';
import { Box, Text } from 'ink';
import type { Rect } from '../../layout/layout.js';
import type { Dialog, UiState } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none, type KeyContext, type KeyResult } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule, type Fallback } from './binding.js';
import { ViewFrame as Frame } from './frame.js';

type Diff = Extract<Dialog, { kind: 'diff' }>;

/** Rows of diff a page shows. */
const pageOf = (ctx: KeyContext): number => Math.max(1, ctx.layout.rows - 6);
/** The diff scrolled to `offset`, kept within its lines. */
function at(ui: UiState, d: Diff, ctx: KeyContext, offset: number): KeyResult {
  const max = Math.max(0, d.lines.length - pageOf(ctx));
  return none({ ...ui, dialog: { ...d, offset: Math.max(0, Math.min(max, offset)) } });
}

export const DIFF_KEYS: Binding<Diff>[] = [
  {
    keys: ['up', 'down', 'pageup', 'pagedown', 'g', 'G'],
    also: ['k', 'j', ' ', 'home', 'end'],
    label: '↑↓ PgUp PgDn g G',
    help: 'scroll',
    run(ui, d, key, ctx) {
      const name = key.kind === 'key' ? key.name : '';
      const page = pageOf(ctx);
      if (name === 'up' || name === 'k') return at(ui, d, ctx, d.offset - 1);
      if (name === 'down' || name === 'j') return at(ui, d, ctx, d.offset + 1);
      if (name === 'pageup') return at(ui, d, ctx, d.offset - page);
      if (name === 'pagedown' || name === ' ') return at(ui, d, ctx, d.offset + page);
      if (name === 'g' || name === 'home') return at(ui, d, ctx, 0);
      return at(ui, d, ctx, Infinity);
    },
  },
  { keys: ['escape'], also: ['q', 'd'], help: 'close', run: (ui) => none(closed(ui)) },
];

/** The wheel scrolls three lines. */
const wheel: Fallback<Diff> = (ui, d, key, ctx) => {
  if (key.kind !== 'mouse') return none(ui);
  return key.button === 64 ? at(ui, d, ctx, d.offset - 3) : key.button === 65 ? at(ui, d, ctx, d.offset + 3) : none(ui);
};

function diffColour(l: string): string | undefined {
  if (l.startsWith('+++') || l.startsWith('---') || l.startsWith('diff ') || l.startsWith('index ')) return 'white';
  if (l.startsWith('+')) return 'green';
  if (l.startsWith('-')) return 'red';
  if (l.startsWith('@@')) return 'cyan';
  return undefined;
}

/** `d`: the worktree's diff against where it forked from MAIN, coloured, scrollable. */
export function DiffView({ worktree, lines, offset, rect }: { worktree: string; lines: string[]; offset: number; rect: Rect }) {
  const w = Math.max(1, rect.width - 4);
  const rows = Math.max(1, rect.height - 4);
  return (
    <Frame rect={rect}>
      <Line width={w} bold color="cyan">
        Diff of {worktree} against MAIN <Text color="gray">· lines {Math.min(lines.length, offset + 1)}–{Math.min(lines.length, offset + rows)} of {lines.length}</Text>
      </Line>
      {lines.slice(offset, offset + rows).map((l, i) => (
        <Line key={offset + i} width={w} color={diffColour(l)} bold={l.startsWith('diff ')}>
          {l || ' '}
        </Line>
      ))}
      <Box flexGrow={1} />
      <Line width={w} color="gray">
        {hintOf(DIFF_KEYS, { kind: 'diff', worktree, lines, offset })}
      </Line>
    </Frame>
  );
}

/** `d`: the focused worktree's diff against MAIN. */
export const diffDialog: DialogModule<Diff> = {
  keys: (ui, d, key, ctx) => runBindings(DIFF_KEYS, ui, d, key, ctx, wheel),
  size: () => ({ width: 1000, height: 1000 }),
  render: ({ dialog, rect }) => <DiffView worktree={dialog.worktree} lines={dialog.lines} offset={dialog.offset} rect={rect} />,
};

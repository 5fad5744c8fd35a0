import React from 'react';
import { Box } from 'ink';
import type { MergePreview } from '../../core/merge/merge-preview.js';
import { mergeBlocker } from '../../core/merge/merge-blocker.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { ViewFrame as Frame } from './frame.js';

type Preview = Extract<Dialog, { kind: 'merge-preview' }>;

const blocked = (d: Preview): boolean => mergeBlocker(d.preview) !== null;
const clean = (d: Preview): boolean => d.preview.dirtyWorktree.length === 0;
const merge = (commitMessage?: string): Binding<Preview>['run'] => (ui, d) => ({
  ui: { ...closed(ui), dialog: { kind: 'merge' } },
  effects: [{ type: 'lane', cmd: commitMessage ? { type: 'merge', worktree: d.preview.worktree, commitMessage } : { type: 'merge', worktree: d.preview.worktree } }],
});

export const MERGE_PREVIEW_KEYS: Binding<Preview>[] = [
  {
    keys: ['y', 'enter'],
    help: 'merge (gate → merge → health, rollback on failure)',
    when: (d) => blocked(d) || clean(d),
    refused: (d) => {
      const why = mergeBlocker(d.preview);
      return why ? `Cannot merge: ${why}` : null;
    },
    run: merge(),
  },
  {
    keys: ['c'],
    help: 'commit those changes, then merge (gate → merge → health)',
    when: (d) => !blocked(d) && !clean(d),
    run: (ui, d, key, ctx) => merge(`Commit ${d.preview.worktree}'s changes before merging (flower-tui)`)(ui, d, key, ctx),
  },
  { keys: ['escape'], also: ['n', 'q'], help: (d) => (blocked(d) ? 'close' : 'cancel'), run: (ui) => none(closed(ui)) },
];

/** `m`: everything the merge would bring and everything that would stop it, before anything runs. */
export function MergePreviewView({ p, rect }: { p: MergePreview; rect: Rect }) {
  const w = Math.max(1, rect.width - 4);
  const stat = p.stat.trim().split('\n').pop()?.trim() ?? '';
  return (
    <Frame rect={rect}>
      <Line width={w} bold color="cyan">
        Merge {p.worktree} into {p.mainBranch} ({p.strategy})
      </Line>
      <Line width={w}>
        {p.commits.length} commit{p.commits.length === 1 ? '' : 's'} · {stat || 'no changes'}
      </Line>
      {p.commits.slice(0, 8).map((c) => (
        <Line key={c} width={w} color="yellow">{`  ${c}`}</Line>
      ))}
      {p.commits.length > 8 ? <Line width={w}>{`  … and ${p.commits.length - 8} more`}</Line> : null}
      <Line width={w} color={p.mainMoved ? 'yellow' : 'gray'}>
        {p.mainMoved ? `MAIN moved since the branch forked (${p.behind} commit${p.behind === 1 ? '' : 's'} behind)` : 'MAIN has not moved since the branch forked'}
      </Line>
      <Line width={w} color={p.conflicts === null ? 'yellow' : p.conflicts.length ? 'red' : 'green'}>
        {p.conflicts === null ? 'conflicts: this git cannot predict them' : p.conflicts.length ? `CONFLICTS: ${p.conflicts.join(', ')}` : '✓ no conflicts predicted'}
      </Line>
      {p.flagged.map((f) => (
        <Line key={f.pattern} width={w} color="magenta">
          ! {f.message}: {f.files.join(', ')}
        </Line>
      ))}
      {p.dirtyMain.length ? (
        <Line width={w} color="red" bold>
          MAIN has uncommitted changes ({p.dirtyMain.map((l) => l.slice(3)).join(', ')}): resolve that first
        </Line>
      ) : null}
      {p.dirtyWorktree.length ? (
        <Line width={w} color="yellow">
          {p.worktree} has uncommitted changes: {p.dirtyWorktree.map((l) => l.slice(3)).join(', ')}
        </Line>
      ) : null}
      <Box flexGrow={1} />
      <Line width={w} color="gray">
        {hintOf(MERGE_PREVIEW_KEYS, { kind: 'merge-preview', preview: p })}
      </Line>
    </Frame>
  );
}

/** `m`: the preview, then (y) the merge's progress dialog. */
export const mergePreviewDialog: DialogModule<Preview> = {
  keys: (ui, d, key, ctx) => runBindings(MERGE_PREVIEW_KEYS, ui, d, key, ctx),
  size: (d) => ({ width: 90, height: Math.min(d.preview.commits.length, 8) + d.preview.flagged.length + 12 }),
  render: ({ dialog, rect }) => <MergePreviewView p={dialog.preview} rect={rect} />,
};

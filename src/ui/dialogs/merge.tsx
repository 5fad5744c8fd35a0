import React from 'react';
import { Box, Text } from 'ink';
import type { MergeView } from '../../core/merge/merge-view.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { ViewFrame as Frame } from './frame.js';

type Merge = Extract<Dialog, { kind: 'merge' }>;

/** The merge dialog decides on the snapshot's merge: running, or finished (null: not begun yet). */
type MergeState = MergeView | null;
const running = (m: MergeState): boolean => m?.running ?? false;
const dismiss = { type: 'lane', cmd: { type: 'dismissMerge' } } as const;

export const MERGE_KEYS: Binding<MergeState>[] = [
  // Stoppable until the merge step: the gate is killed, MAIN stays untouched.
  {
    keys: ['escape'],
    also: ['ctrl-c'],
    help: 'stop (until the merge step: MAIN stays untouched)',
    when: running,
    run: (ui) => ({ ui: { ...ui, message: { text: 'cancelling the merge (possible until the merge step)…', level: 'info' } }, effects: [{ type: 'lane', cmd: { type: 'cancelMerge' } }] }),
  },
  {
    keys: ['r'],
    help: (m) => `remove the ephemeral lane ${m?.worktree ?? ''}`,
    when: (m) => !running(m) && (m?.offerRemoval ?? false),
    run: (ui, m) => ({ ui: closed(ui), effects: [{ type: 'lane', cmd: { type: 'removeWorktree', name: m!.worktree, force: false } }, dismiss] }),
  },
  { keys: ['enter'], also: ['escape', 'q', 'n'], help: 'close', when: (m) => !running(m), run: (ui) => ({ ui: closed(ui), effects: [dismiss] }) },
];

const MARK: Record<string, [string, string]> = { running: ['…', 'yellow'], ok: ['✓', 'green'], failed: ['✗', 'red'], skipped: ['–', 'gray'] };

/** The pipeline as it runs: each step's status, then the latest output. */
export function MergeProgressView({ m, rect }: { m: MergeView | null; rect: Rect }) {
  const w = Math.max(1, rect.width - 4);
  if (!m) {
    return (
      <Frame rect={rect}>
        <Line width={w} color="gray">
          Starting the merge…
        </Line>
      </Frame>
    );
  }
  const room = Math.max(1, rect.height - 5 - m.steps.length - (m.result ? 2 : 0));
  const r = m.result;
  return (
    <Frame rect={rect}>
      <Line width={w} bold color="cyan">
        Merging {m.worktree} {m.running ? '…' : ''}
      </Line>
      {m.steps.map((s, i) => (
        <Line key={`${s.step}-${i}`} width={w}>
          <Text color={MARK[s.status]?.[1]}>{MARK[s.status]?.[0] ?? '·'} </Text>
          <Text bold>{s.step.padEnd(14)}</Text>
          <Text color="gray">{s.line ?? ''}</Text>
        </Line>
      ))}
      {m.lines.slice(-room).map((l, i) => (
        <Line key={`l${i}`} width={w} color="gray">
          {`  ${l}`}
        </Line>
      ))}
      <Box flexGrow={1} />
      {r ? (
        <Line width={w} bold color={r.outcome === 'merged' ? 'green' : 'red'}>
          {r.message}
        </Line>
      ) : null}
      <Line width={w} color="gray">
        {hintOf(MERGE_KEYS, m)}
      </Line>
    </Frame>
  );
}

/** The merge as it runs (its steps, the latest output), then its result. */
export const mergeDialog: DialogModule<Merge> = {
  keys: (ui, _d, key, ctx) => runBindings(MERGE_KEYS, ui, ctx.snapshot.merge ?? null, key, ctx),
  size: () => ({ width: 96, height: 24 }),
  render: ({ snapshot, rect }) => <MergeProgressView m={snapshot.merge} rect={rect} />,
};

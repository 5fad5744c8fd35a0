import React from 'react';
import { Box, Text } from 'ink';
import type { MergeView } from '../../core/merge/merge-view.js';
import type { MergePreview } from '../../core/merge/merge-preview.js';
import type { Rect } from '../../layout/layout.js';
import { Positioned } from './Positioned.js';
import { Line } from './Line.js';
import { mergeBlocker } from '../../core/merge/merge-blocker.js';


function Frame({ rect, children }: { rect: Rect; children: React.ReactNode }) {
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      {children}
    </Positioned>
  );
}

/** `m`: everything the merge would bring and everything that would stop it, before anything runs. */
export function MergePreviewView({ p, rect }: { p: MergePreview; rect: Rect }) {
  const w = Math.max(1, rect.width - 4);
  const blocked = mergeBlocker(p);
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
        {blocked
          ? `Cannot merge: ${blocked} · Esc close`
          : p.dirtyWorktree.length
            ? 'c commit those changes, then merge (gate → merge → health) · Esc cancel'
            : 'y / Enter merge (gate → merge → health, rollback on failure) · Esc cancel'}
      </Line>
    </Frame>
  );
}

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
        {m.running ? 'Esc stop (until the merge step: MAIN stays untouched)' : m.offerRemoval ? `r remove the ephemeral lane ${m.worktree} · Enter close` : 'Enter close'}
      </Line>
    </Frame>
  );
}

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
        ↑↓ PgUp PgDn g G scroll · Esc close
      </Line>
    </Frame>
  );
}

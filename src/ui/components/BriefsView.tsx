import React from 'react';
import { Box, Text } from 'ink';
import type { BriefView } from '../../core/briefs/brief-ops.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { briefLabel, briefsInOrder, sameBrief } from '../dialogs/briefs-list.js';
import { Positioned } from './Positioned.js';
import { Line } from './Line.js';

type BriefsDialog = Extract<Dialog, { kind: 'briefs' }>;

const STATUS_COLOUR: Record<string, string> = {
  planned: 'white',
  dispatched: 'yellow',
  unclaimed: 'red',
  claimed: 'cyan',
  ready: 'green',
  merged: 'gray',
  blocked: 'red',
  failed: 'red',
};

export function briefStatusWord(b: BriefView): string {
  return b.unclaimed ? 'unclaimed' : b.status;
}

/**
 * `b`: the briefs by status on the left; the selected brief's spec, links, notes (and, after Enter, its
 * trace) on the right; `footer`: the key hints or the field being typed (dialogs/briefs.tsx).
 */
export function BriefsView({ dialog, briefs, focusLane, rect, footer }: { dialog: BriefsDialog; briefs: BriefView[]; focusLane: string; rect: Rect; footer: string }) {
  const inner = Math.max(1, rect.width - 4);
  // Inside the border: the title, the list/detail rows, the hint.
  const rows = Math.max(1, rect.height - 4);
  const list = briefsInOrder(briefs);
  const sel = Math.min(dialog.selected, Math.max(0, list.length - 1));
  const b = list[sel];
  const listW = Math.max(20, Math.min(44, Math.floor(inner * 0.4)));
  const sideW = Math.max(1, inner - listW - 2);
  const first = Math.max(0, Math.min(sel - Math.floor(rows / 2), list.length - rows));
  const side: { text: string; color?: string; bold?: boolean }[] = [];
  if (dialog.spec) {
    side.push({ text: `new: ${dialog.spec.title}`, bold: true }, { text: '' });
    if (dialog.spec.text) for (const l of `${dialog.spec.text}▏`.split('\n')) side.push({ text: l });
    else side.push({ text: '▏' }, { text: '(markdown: type it, paste it, or ctrl-e for $EDITOR; empty is fine)', color: 'gray' });
  } else if (b) {
    side.push({ text: `${briefLabel(b)} ${b.title}`, bold: true });
    side.push({ text: `${briefStatusWord(b)}${b.reason ? ` — ${b.reason}` : ''}${b.agent ? ` · ${b.agent}` : b.lane ? ` · ${b.lane}` : b.ephemeral ? ` · new lane ${b.ephemeral}` : ''}`, color: STATUS_COLOUR[briefStatusWord(b)] });
    side.push({ text: '' });
    for (const l of (b.spec.trim() || '(no spec — flower-tui brief edit ' + b.id + ')').split('\n')) side.push({ text: l });
    if (b.links.length) {
      side.push({ text: '' }, { text: 'links', bold: true });
      for (const l of b.links) side.push({ text: `${l.kind === 'merge' ? `merge ${l.outcome}` : 'commit'} ${l.sha.slice(0, 7)} ${l.subject}`, color: l.kind === 'merge' ? 'green' : undefined });
    }
    if (b.notes.length) {
      side.push({ text: '' }, { text: 'notes', bold: true });
      for (const n of b.notes) side.push({ text: `${n.by}: ${n.text}` });
    }
    if (dialog.detail && sameBrief(dialog.detail.brief, b)) {
      side.push({ text: '' }, { text: 'trace', bold: true });
      for (const e of dialog.detail.trace) side.push({ text: `${e.ts.slice(11, 19)} ${e.action.replace('brief.', '')} ${e.details?.to ?? e.details?.agent ?? e.details?.subject ?? ''} · ${String(e.details?.by ?? e.actor)}`, color: 'gray' });
    }
  }
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      <Line width={inner} bold color="cyan">
        Briefs <Text color="gray">· {list.length} open · D dispatches to {focusLane}</Text>
      </Line>
      <Box flexDirection="row" height={rows}>
        <Box flexDirection="column" width={listW} flexShrink={0}>
          {list.length === 0 ? (
            <Line width={listW} color="gray">
              no briefs yet: a adds one
            </Line>
          ) : (
            list.slice(first, first + rows).map((x, i) => {
              const word = briefStatusWord(x);
              return (
                <Line key={x.id} width={listW} inverse={first + i === sel}>
                  <Text color={STATUS_COLOUR[word]}>{word.padEnd(11)}</Text>{briefLabel(x)} {x.title}
                </Line>
              );
            })
          )}
        </Box>
        <Box width={2} flexShrink={0} />
        <Box flexDirection="column" width={sideW}>
          {side.slice(0, rows).map((l, i) => (
            <Line key={i} width={sideW} color={l.color} bold={l.bold}>
              {l.text || ' '}
            </Line>
          ))}
        </Box>
      </Box>
      <Line width={inner} color={dialog.adding !== null || dialog.spec ? 'yellow' : 'gray'}>
        {footer}
      </Line>
    </Positioned>
  );
}

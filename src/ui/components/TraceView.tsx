import React from 'react';
import { Box, Text } from 'ink';
import type { TraceEntry } from '../../core/store/trace.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { Positioned } from './Positioned.js';
import { chromeText } from '../../shared/terminal-text.js';

type TraceDialog = Extract<Dialog, { kind: 'trace' }>;

function outcomeColour(o: string): string {
  if (o === 'ok') return 'green';
  if (o === 'error') return 'red';
  if (o === 'skipped' || o === 'discarded') return 'yellow';
  return 'gray';
}

/** A short, one-line summary of an entry's details: the fields an operator scans for. */
export function detailSummary(e: TraceEntry): string {
  const d = e.details ?? {};
  const parts: string[] = [];
  for (const k of ['profile', 'how', 'state', 'pid', 'sessionId', 'chars', 'preview', 'movedTo', 'agents']) {
    const v = d[k];
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v.replace(/\s+/g, ' ') : String(v)}`);
  }
  if (e.error) parts.unshift(e.error);
  return parts.join(' ');
}

/** The trace, newest first: time, actor, action, target, outcome, details; `hint`: its keys (dialogs/trace.tsx). */
export function TraceView({ dialog, rect, hint }: { dialog: TraceDialog; rect: Rect; hint: string }) {
  const inner = Math.max(1, rect.width - 4);
  const rows = Math.max(1, rect.height - 5);
  const shown = dialog.entries.slice(dialog.offset, dialog.offset + rows);
  const scope = dialog.scope === 'agent' ? `agent ${dialog.agent ?? '(none)'}` : dialog.scope === 'worktree' ? `worktree ${dialog.lane}` : 'everything';
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      <Box width={inner} height={1}>
        <Text wrap="truncate-end">
          <Text bold color="cyan">
            Trace
          </Text>
          <Text color="gray">
            {' '}
            · {scope}
            {dialog.text ? ` · matching "${dialog.text}"` : ''} · {dialog.entries.length} entr{dialog.entries.length === 1 ? 'y' : 'ies'}, newest first
          </Text>
        </Text>
      </Box>
      {shown.length === 0 ? (
        <Box width={inner} height={1}>
          <Text color="gray">Nothing recorded{dialog.text || dialog.scope !== 'all' ? ' that matches' : ' yet'}.</Text>
        </Box>
      ) : (
        shown.map((e, i) => (
          <Box key={`${dialog.offset + i}`} width={inner} height={1}>
            <Text wrap="truncate-end">
              <Text color="gray">{e.ts.slice(5, 10)} {e.ts.slice(11, 19)} </Text>
              <Text color="magenta">{e.actor.padEnd(8)} </Text>
              <Text bold>{e.action.padEnd(9)} </Text>
              <Text>{chromeText(e.target)} </Text>
              <Text color={outcomeColour(e.outcome)}>{e.outcome} </Text>
              <Text color="gray">{chromeText(detailSummary(e))}</Text>
            </Text>
          </Box>
        ))
      )}
      <Box flexGrow={1} />
      <Box width={inner} height={1}>
        <Text wrap="truncate-end" color="gray">
          {dialog.editing ? (
            <Text>
              <Text color="yellow">filter: </Text>
              <Text color="white">{dialog.text}</Text>
              <Text inverse> </Text> Enter done
            </Text>
          ) : (
            hint
          )}
        </Text>
      </Box>
    </Positioned>
  );
}

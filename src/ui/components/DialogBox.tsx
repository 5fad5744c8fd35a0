import React from 'react';
import { Box, Text } from 'ink';
import type { Snapshot } from '../../core/types.js';
import type { Keymap } from '../keymap.js';
import type { Rect } from '../../layout/layout.js';
import type { Dialog } from '../ui-state.js';
import { agentQuestion, helpLines } from './overlay.js';
import { Positioned } from './Positioned.js';
import { Line } from './Line.js';
import { TraceView } from './TraceView.js';
import { BriefsView } from './BriefsView.js';
import { DiffView, MergePreviewView, MergeProgressView } from './MergeViews.js';
import { displayWidth, padToWidth } from '../../shared/display-width.js';


export function DialogBox({ dialog, rect, snapshot, keymap, focusLane }: { dialog: Dialog; rect: Rect; snapshot: Snapshot; keymap: Keymap; focusLane?: string }) {
  if (dialog.kind === 'trace') return <TraceView dialog={dialog} rect={rect} />;
  if (dialog.kind === 'merge-preview') return <MergePreviewView p={dialog.preview} rect={rect} />;
  if (dialog.kind === 'merge') return <MergeProgressView m={snapshot.merge} rect={rect} />;
  if (dialog.kind === 'briefs') return <BriefsView dialog={dialog} briefs={snapshot.briefs ?? []} focusLane={focusLane ?? 'MAIN'} rect={rect} />;
  if (dialog.kind === 'diff') return <DiffView worktree={dialog.worktree} lines={dialog.lines} offset={dialog.offset} rect={rect} />;
  const inner = Math.max(1, rect.width - 4);
  let title = '';
  let body: React.ReactNode = null;
  switch (dialog.kind) {
    case 'help': {
      title = 'Keys';
      const lines = helpLines(keymap);
      const keyWidth = Math.max(...lines.map(([k]) => displayWidth(k))) + 2;
      body = (
        <>
          {lines.map(([k, what]) => (
            <Line key={k + what} width={inner}>
              <Text color="cyan" bold>
                {padToWidth(k, keyWidth)}
              </Text>
              {what}
            </Line>
          ))}
          <Line width={inner} color="gray">
            any key closes this help
          </Line>
        </>
      );
      break;
    }
    case 'pick-profile':
      title = `New agent in ${dialog.worktree}`;
      body = (
        <>
          {snapshot.profiles.map((p, i) => (
            <Line key={p.name} width={inner} inverse={i === dialog.selected} color={i === dialog.selected ? 'cyan' : undefined}>
              {` ${i < 9 ? i + 1 : ' '} ${padToWidth(p.name, 12)} ${p.description ?? p.command}`}
            </Line>
          ))}
          <Line width={inner}> </Line>
          <Line width={inner} color="gray">
            ↑↓ choose · Enter start · 1–9 pick · Esc cancel
          </Line>
        </>
      );
      break;
    case 'confirm-kill':
      title = 'Kill agent';
      body = (
        <>
          <Line width={inner}>{agentQuestion(dialog)}</Line>
          <Line width={inner} color="gray">
            y / Enter kill · n / Esc keep it
          </Line>
        </>
      );
      break;
    case 'confirm-remove':
      title = 'Remove agent';
      body = (
        <>
          <Line width={inner}>{agentQuestion(dialog)}</Line>
          <Line width={inner} color="gray">
            y / Enter remove · n / Esc keep it
          </Line>
        </>
      );
      break;
    case 'confirm-respawn':
      title = 'Respawn agent';
      body = (
        <>
          <Line width={inner}>{agentQuestion(dialog)}</Line>
          <Line width={inner} color="gray">
            y / Enter respawn · n / Esc keep it
          </Line>
        </>
      );
      break;
    case 'new-worktree': {
      title = 'New worktree (a lane)';
      const row = (i: number, label: string, value: string, hint: string) => (
        <Line key={label} width={inner} inverse={dialog.field === i} color={dialog.field === i ? 'cyan' : undefined}>
          {` ${label.padEnd(8)} ${value}${dialog.field === i && hint ? `   ${hint}` : ''}`}
        </Line>
      );
      body = (
        <>
          {row(0, 'name', dialog.name + (dialog.field === 0 ? '▏' : ''), 'branch and directory name')}
          {row(1, 'lane', dialog.lane === 'standing' ? '(•) standing  ( ) ephemeral' : '( ) standing  (•) ephemeral', 'Space switches')}
          {row(2, 'kind', dialog.served ? '( ) code-only  (•) served' : '(•) code-only  ( ) served', 'served: .env overrides + own port')}
          {row(3, 'base', (dialog.base || "MAIN's HEAD") + (dialog.field === 3 ? '▏' : ''), 'a branch or commit')}
          {row(4, 'agents', (dialog.agents || 'from the config') + (dialog.field === 4 ? '▏' : ''), 'e.g. claude shell')}
          <Line width={inner}> </Line>
          {dialog.error ? (
            <Line width={inner} color="red">
              {dialog.error}
            </Line>
          ) : (
            <Line width={inner}> </Line>
          )}
          <Line width={inner} color="gray">
            Tab/↑↓ field · Space switch · Enter create · Esc cancel
          </Line>
        </>
      );
      break;
    }
    case 'remove-worktree': {
      const risky = dialog.unmerged.length > 0 || dialog.changes.length > 0;
      title = `Remove worktree ${dialog.worktree}`;
      body = (
        <>
          <Line width={inner}>
            {dialog.agents.length ? `Stops ${dialog.agents.join(', ')}, then removes the worktree.` : 'Removes the worktree.'}
          </Line>
          {dialog.unmerged.length ? (
            <Line width={inner} color="red">
              {`${dialog.unmerged.length} commit${dialog.unmerged.length === 1 ? '' : 's'} not in MAIN would be lost:`}
            </Line>
          ) : null}
          {dialog.unmerged.slice(0, 5).map((c) => (
            <Line key={c} width={inner} color="yellow">{`  ${c}`}</Line>
          ))}
          {dialog.changes.length ? (
            <Line width={inner} color="red">
              {`${dialog.changes.length} uncommitted change${dialog.changes.length === 1 ? '' : 's'} would be lost:`}
            </Line>
          ) : null}
          {dialog.changes.slice(0, 5).map((c) => (
            <Line key={c} width={inner} color="yellow">{`  ${c}`}</Line>
          ))}
          {risky ? (
            <Line width={inner}>
              Type <Text bold>{dialog.worktree}</Text> and Enter to remove anyway: {dialog.typed}▏
            </Line>
          ) : null}
          <Line width={inner} color="gray">
            {risky ? 'Esc keep it' : 'y / Enter remove · n / Esc keep it'}
          </Line>
        </>
      );
      break;
    }
    case 'restore': {
      title = 'Restore agents';
      const shown = dialog.agents.slice(0, 8);
      const how = { resume: 'resume its conversation', fresh: 'start fresh', missing: 'cannot: its worktree or profile is gone', refused: 'refused' } as const;
      body = (
        <>
          <Line width={inner}>These agents were running before the server stopped:</Line>
          {shown.map((a) => (
            <Line key={a.id} width={inner} color={a.how === 'missing' || a.how === 'refused' ? 'red' : 'yellow'}>
              {`  ${a.id} (${a.profile}) — ${a.reason ? `cannot: ${a.reason}` : how[a.how]}`}
            </Line>
          ))}
          {dialog.agents.length > shown.length ? <Line width={inner}>{`  … and ${dialog.agents.length - shown.length} more`}</Line> : null}
          <Line width={inner} color="gray">
            y / Enter restore · n forget them · Esc decide later
          </Line>
        </>
      );
      break;
    }
    case 'server-gone':
      title = 'Server gone';
      body = (
        <>
          <Line width={inner}>The flower-tui server stopped: {dialog.reason}</Line>
          <Line width={inner}>Restarting it starts the configured agents again.</Line>
          <Line width={inner} color="gray">
            r / Enter restart · q quit
          </Line>
        </>
      );
      break;
    case 'confirm-stop':
    case 'confirm-quit': {
      title = dialog.kind === 'confirm-stop' ? 'Stop the server' : 'Quit flower-tui';
      const shown = dialog.running.slice(0, 6);
      body = (
        <>
          <Line width={inner}>
            {dialog.kind === 'confirm-stop' ? 'This stops the server and' : 'Quitting stops'} {dialog.running.length} running agent{dialog.running.length === 1 ? '' : 's'}
            {dialog.running.length ? ':' : '.'}
          </Line>
          {shown.map((a) => (
            <Line key={a} width={inner} color="yellow">
              {'  '}
              {a}
            </Line>
          ))}
          {dialog.running.length > shown.length ? <Line width={inner}>{`  … and ${dialog.running.length - shown.length} more`}</Line> : null}
          {dialog.kind === 'confirm-stop' ? <Line width={inner}>Remembered: the next start restores none of them.</Line> : null}
          <Line width={inner} color="gray">
            {dialog.kind === 'confirm-stop' ? 'y / Enter stop everything · n / Esc keep running' : 'y / Enter quit · n / Esc stay'}
          </Line>
        </>
      );
      break;
    }
  }
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      <Line width={inner} bold color="cyan">
        {title}
      </Line>
      {body}
    </Positioned>
  );
}

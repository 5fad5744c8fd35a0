import React from 'react';
import { Box, Text } from 'ink';
import type { Snapshot } from '../../core/types.js';
import type { Rect } from '../../layout/layout.js';
import { Positioned } from './Positioned.js';
import { SANDBOX_MARK, theme } from './theme.js';
import { chromeText } from '../../shared/terminal-text.js';
import { FittedText } from './FittedText.js';
import { agentIsLive } from '../../core/types.js';
import { queueLine } from '../../core/merge/merge-queue.js';
import { hostLinkLine } from '../host-status.js';

function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}

const ALARM = { color: 'white', backgroundColor: 'red', bold: true } as const;

const OUTCOME_GLYPH: Record<string, string> = { merged: '✓', conflict: '✗', 'gate-failed': '✗', 'health-failed': '↺', refused: '–', locked: '–', cancelled: '–' };

/**
 * MAIN's read-only monitor: what is checked out, a loud alarm when anyone edited it directly, the
 * health check, the last merges, every lane's distance from MAIN. Nothing typed here goes anywhere;
 * the ops process (if any) is shown at the right, never driven.
 */
export function MainPane({ rect, snapshot, focused, ops, now = Date.now() }: { rect: Rect; snapshot: Snapshot; focused: boolean; ops: Rect | null; now?: number }) {
  const { main, monitor } = snapshot;
  const dirty = main.changes > 0;
  const moved = main.headMoved ?? null;
  const colour = dirty || moved ? theme.error : focused ? theme.mainFocus : theme.main;
  const inner = Math.max(1, (ops ? ops.x - 1 : rect.width - 2) - 2);
  const room = rect.height - 2;
  const lines: React.ReactNode[] = [];
  // The sandbox (docs/sandbox.md): one agent without it and MAIN is only protected by convention.
  const exposed = snapshot.agents.filter((a) => a.sandbox !== 'bwrap' && agentIsLive(a.state));
  const guarded = !exposed.length && snapshot.agents.some((a) => a.sandbox === 'bwrap' && agentIsLive(a.state));
  lines.push(
    main.error ? (
      <Text color={theme.error}>git: {main.error}</Text>
    ) : (
      // By priority (fit-segments.ts): at 80 columns the subject is cut or goes, never an alarm.
      <FittedText
        width={inner}
        segments={[
          dirty && { key: 'dirty', text: ` ⚠ MAIN EDITED DIRECTLY: ${main.changes} change${main.changes === 1 ? '' : 's'} `, priority: 100, style: ALARM },
          // Beside the dirty alarm, the short form: both fit in 80 columns.
          !!moved && { key: 'moved', text: dirty ? ' ⚠ HEAD MOVED OUTSIDE flower-tui ' : ` ⚠ MAIN HEAD MOVED OUTSIDE flower-tui: ${moved.from.slice(0, 7)} → ${moved.to.slice(0, 7)} `, priority: 100, style: ALARM },
          exposed.length > 0 && {
            key: 'exposed',
            text: chromeText(` ⚠ ${exposed.length} UNSANDBOXED: ${exposed.find((a) => a.sandboxReason)?.sandboxReason ?? 'no sandbox'} — MAIN not write-protected (flower-tui doctor) `),
            priority: 95,
            shrink: true,
            minWidth: 20,
            style: { color: 'black', backgroundColor: theme.warn, bold: true },
          },
          { key: 'gap', text: dirty || moved || exposed.length ? ' ' : '', priority: 95 },
          { key: 'branch', text: `⎇ ${chromeText(main.branch ?? '(detached)')}`, priority: 70, shrink: true, minWidth: 8, style: { color: 'magenta' } },
          { key: 'head', text: ` ${main.headShort ?? '(no commits)'}`, priority: 60, style: { color: 'yellow' } },
          { key: 'subject', text: ` ${chromeText(main.subject ?? '')}`, priority: 10, shrink: true, minWidth: 8 },
          !(dirty || moved) && { key: 'clean', text: '  ✓ clean', priority: 80, style: { color: theme.ok } },
          guarded && { key: 'guarded', text: `  ${SANDBOX_MARK} MAIN write-protected`, priority: 5, style: { color: theme.ok } },
        ]}
      />
    ),
  );
  if (dirty) lines.push(<Text color={theme.error}>{chromeText(main.changed.slice(0, 12).join(' · '))}{main.changed.length > 12 ? ' …' : ''}</Text>);
  // A saved config the server refused: the operator must see that the old one is still in use.
  // The field first (the file's path would fill 80 columns; the notice and `status` name it).
  if (monitor.config?.problem) lines.push(<Text color={theme.error} bold>config ✗ {monitor.config.problem.replace(/^(invalid config|cannot read config) \S+: /, '')} — previous config kept</Text>);
  // Hosts out of reach: their lanes are greyed below; this says why (and that the rest works on).
  const down = (snapshot.hosts ?? []).map((h) => hostLinkLine(h, now)).filter((l): l is string => l !== null);
  // One line each (a reason is long), at most three; the rest counted.
  for (const line of down.slice(0, 3)) lines.push(<Text color={theme.warn} wrap="truncate-end">{chromeText(`host ✗ ${line}`)}</Text>);
  if (down.length > 3) lines.push(<Text color={theme.warn}>{`… and ${down.length - 3} more host${down.length === 4 ? '' : 's'} out of reach`}</Text>);
  // The merge queue in order, the head with its step and how long it has taken: while it runs it is
  // what the operator watches, so it comes before health and recent merges (80x24 shows three lines).
  const q = snapshot.queue;
  const qLine = q ? queueLine(q, now) : null;
  const lastOut = q?.out.at(-1);
  if (qLine)
    lines.push(
      <Text>
        <Text color={q!.paused ? theme.warn : 'cyan'}>{chromeText(qLine)}</Text>
        {lastOut && lastOut.outcome !== 'merged' ? <Text color={theme.error}>{chromeText(`  ✗ ${lastOut.lane} ${lastOut.outcome}`)}</Text> : null}
      </Text>,
    );
  const h = monitor.health;
  lines.push(
    h.state === 'off' ? (
      <Text color={theme.hint}>health: no check configured (merge.health)</Text>
    ) : h.state === 'failing' ? (
      <Text color={theme.error} bold>
        health ✗ failing (since {h.lastFailure?.slice(11, 19)}; last ok {ago(h.lastOk, now)}): {chromeText(h.output.slice(-1)[0] ?? '')}
      </Text>
    ) : (
      <Text color={h.state === 'ok' ? theme.ok : theme.hint}>
        health {h.state === 'ok' ? `✓ ok ${ago(h.lastOk, now)}` : 'checking…'} <Text color={theme.hint}>{h.command}</Text>
      </Text>
    ),
  );
  lines.push(
    monitor.merges.length ? (
      <Text>
        <Text color={theme.hint}>merges </Text>
        {monitor.merges.map((m, i) => (
          <Text key={m.ts + m.worktree} color={m.outcome === 'merged' ? theme.ok : m.outcome === 'health-failed' || m.outcome === 'conflict' || m.outcome === 'gate-failed' ? theme.error : theme.hint}>
            {i ? ' · ' : ''}
            {OUTCOME_GLYPH[m.outcome] ?? '·'} {m.worktree} {m.outcome === 'merged' ? '' : `${m.outcome} `}
            {m.ts.slice(11, 16)}
          </Text>
        ))}
      </Text>
    ) : (
      <Text color={theme.hint}>merges: none yet</Text>
    ),
  );
  const ready = (snapshot.briefs ?? []).filter((b) => b.status === 'ready' && !(q?.entries ?? []).some((e) => e.lane === b.lane));
  if (ready.length)
    lines.push(
      <Text>
        <Text color={theme.hint}>ready to merge </Text>
        <Text color={theme.ok}>{ready.map((b) => `#${b.id} ${b.lane ?? ''}`).join(' · ')}</Text>
      </Text>,
    );
  const lanes = snapshot.worktrees.filter((w) => !w.isMain && w.lane);
  if (lanes.length)
    lines.push(
      <Text color={theme.hint}>
        lanes {lanes.map((w) => `${w.name} ↑${w.lane?.ahead ?? '?'}↓${w.lane?.behind ?? '?'}`).join(' · ')}
      </Text>,
    );
  return (
    <>
      <Positioned rect={rect} borderStyle={focused ? 'double' : 'round'} borderColor={colour} paddingX={1} flexDirection="column">
        {lines.slice(0, room).map((l, i) => (
          <Box key={i} width={inner} height={1} flexShrink={0}>
            <Text wrap="truncate-end">{l}</Text>
          </Box>
        ))}
      </Positioned>
      <Positioned rect={{ x: rect.x + 2, y: rect.y, width: Math.max(1, rect.width - 4), height: 1 }}>
        <Text wrap="truncate-end">
          <Text color={colour} bold inverse={focused}> 1 MAIN · read-only </Text>
          <Text color={theme.hint}> merges only · keys typed here reach nothing </Text>
          {ops ? <Text color={theme.hint}>{' '.repeat(Math.max(0, ops.x - 62))}ops: {monitor.ops} (view only)</Text> : null}
        </Text>
      </Positioned>
    </>
  );
}

import React from 'react';
import { Text } from 'ink';
import type { AgentInfo, WorktreeInfo } from '../../core/types.js';
import type { QueueState } from '../../core/merge/merge-queue.js';
import { statusLabel } from '../../core/status/agent-status.js';
import { agentIsLive } from '../../core/types.js';
import { headerDuration } from '../header-clock.js';
import { formatUsage } from '../../core/usage/usage-level.js';

function usageColour(level: string): string {
  return level === 'rot' ? 'red' : level === 'warn' ? 'yellow' : level === 'ok' ? 'green' : 'gray';
}
import type { LanePane as LaneLayout } from '../layout.js';
import type { ScrollView } from '../ui-state.js';
import { Positioned } from './Positioned.js';
import { SANDBOX_MARK, statusColour, statusGlyph, theme } from './theme.js';
import { cleanForTerminal } from '../../core/terminal-text.js';

interface Props {
  lane: LaneLayout;
  worktree: WorktreeInfo | undefined;
  agents: Map<string, AgentInfo>;
  focusedLane: boolean;
  focusedAgent: string | null;
  scroll: ScrollView | null;
  scrollDepth: (agent: string) => number;
  newAgentKey: string;
  /** The brief an agent is on ("#12 Title", "unclaimed" when not picked up), if any. */
  briefOf?: (agent: string) => { label: string; unclaimed: boolean } | null;
  /** The merge queue: the lane's place in it, or why it was taken out. */
  queue?: QueueState | null;
  now: number;
}

function AgentHeader({ agent, focused, scrollInfo, brief, now }: { agent: AgentInfo; focused: boolean; scrollInfo: string | null; brief: { label: string; unclaimed: boolean } | null; now: number }) {
  const st = agent.status;
  const bg = focused ? theme.headerFocusBg : undefined;
  const fg = focused ? theme.headerFocusFg : undefined;
  return (
    <Text wrap="truncate-end" backgroundColor={bg} color={fg}>
      <Text bold>{focused ? '▸ ' : '  '}{cleanForTerminal(agent.name)}</Text>
      {/* Unsandboxed is a warning, right after the name where truncation never cuts it; the lock of a sandboxed agent comes last. */}
      {agent.sandbox !== 'bwrap' && agentIsLive(agent.state) ? <Text color={focused ? fg : theme.warn} bold> UNSANDBOXED</Text> : null}
      <Text color={focused ? fg : theme.hint}> · {cleanForTerminal(agent.profile)} · </Text>
      <Text color={focused && st.state !== 'needs-you' ? fg : statusColour(st.state, st.reason)} bold={st.state === 'needs-you'}>
        {statusGlyph(st.state)} {statusLabel(st)} {headerDuration(st.state, now - Date.parse(st.since))}
      </Text>
      {st.reason && st.state !== 'exited' && st.state !== 'failed' ? <Text color={focused ? fg : theme.hint}> · {st.reason}</Text> : null}
      {agent.usage.source !== 'none' ? (
        <Text color={focused ? fg : usageColour(agent.usage.level)} bold={agent.usage.level === 'rot'}>
          {' '}
          · {formatUsage(agent.usage)}
          {agent.usage.level === 'rot' ? ' ROT' : ''}
          {agent.usage.compacted ? ' (compacted)' : ''}
        </Text>
      ) : null}
      {brief ? <Text color={focused ? fg : brief.unclaimed ? theme.error : 'cyan'}> · {brief.unclaimed ? 'unclaimed ' : ''}{cleanForTerminal(brief.label)}</Text> : null}
      {agent.refreshQueued ? <Text color={focused ? fg : 'yellow'}> · refresh queued</Text> : null}
      {scrollInfo ? <Text color={focused ? fg : 'yellow'}> · {scrollInfo}</Text> : null}
      {agent.sandbox === 'bwrap' ? <Text color={focused ? fg : theme.hint}> {SANDBOX_MARK}</Text> : null}
    </Text>
  );
}

/** One worktree: a border with its name, and each agent's header over the space its screen is drawn in. */
export function LanePane({ lane, worktree, agents, focusedLane, focusedAgent, scroll, scrollDepth, newAgentKey, briefOf, queue, now }: Props) {
  const r = lane.rect;
  // A lane with an agent waiting on the operator is marked, even for agents below its last visible slot.
  const laneAgents = [...agents.values()].filter((a) => a.worktree === lane.name);
  const waiting = laneAgents.filter((a) => a.status.state === 'needs-you').length;
  const borderColour = waiting ? 'magentaBright' : focusedLane ? theme.focusBorder : theme.border;
  const branch = worktree?.branch && worktree.branch !== lane.name ? ` ⎇ ${cleanForTerminal(worktree.branch)}` : '';
  const missing = worktree?.prunable ? ' (worktree missing)' : '';
  const hidden = lane.hiddenAgents ? ` +${lane.hiddenAgents} more` : '';
  const l = worktree?.lane;
  const setup = l?.setup;
  // Its place in the merge queue, or why the queue took it out (until it is marked ready again).
  const qAt = queue?.entries.findIndex((e) => e.lane === lane.name) ?? -1;
  const qEntry = qAt === -1 ? null : queue!.entries[qAt]!;
  const queued = qEntry ? (qEntry.step === 'queued' ? `queued #${qAt + 1}` : `merging: ${qEntry.step === 'waiting' ? 'waiting for idle' : qEntry.step}`) : null;
  const lastOut = qEntry ? null : queue?.out.filter((o) => o.lane === lane.name).at(-1);
  const out = lastOut && lastOut.outcome !== 'merged' && lastOut.outcome !== 'removed' ? lastOut.outcome.replace('-', ' ') : null;
  return (
    <>
      <Positioned rect={r} borderStyle={focusedLane ? 'bold' : 'round'} borderColor={borderColour} />
      <Positioned rect={{ x: r.x + 2, y: r.y, width: Math.max(1, r.width - 4), height: 1 }}>
        <Text wrap="truncate-end">
          <Text color={borderColour} bold inverse={focusedLane}> {lane.index <= 9 ? `${lane.index} ` : ''}{cleanForTerminal(lane.name)} </Text>
          <Text color="magenta">{branch}</Text>
          <Text color={theme.error}>{missing}</Text>
          {l?.lane === 'ephemeral' ? <Text color={theme.hint}> · ephemeral</Text> : null}
          {l?.kind === 'served' ? <Text color="blue"> · served{l.port ? ` :${l.port}` : ''}</Text> : null}
          {l && l.ahead !== null ? (
            <Text color={l.ahead ? 'green' : theme.hint}>
              {' '}
              · ↑{l.ahead}
            </Text>
          ) : null}
          {/* MAIN moved on (another lane merged): say it in words, it is what makes the next merge conflict. */}
          {l?.behind ? <Text color="yellow"> · behind MAIN by {l.behind}</Text> : l && l.ahead !== null ? <Text color={theme.hint}> ↓0</Text> : null}
          {queued ? <Text color="cyan"> · {queued}</Text> : null}
          {out ? <Text color={theme.error} bold> · {out}</Text> : null}
          {l?.dirty ? <Text color="yellow"> · ✎ {l.dirty} changed</Text> : null}
          {setup?.state === 'running' ? (
            <Text color="cyan">
              {' '}
              · setup {setup.step}/{setup.steps} {setup.command}
            </Text>
          ) : setup?.state === 'failed' ? (
            <Text color={theme.error} bold>
              {' '}
              · setup failed (r retries)
            </Text>
          ) : null}
          <Text color={theme.hint}>{hidden}</Text>
          {waiting ? <Text color="magentaBright" bold> ! {waiting === 1 ? 'needs you' : `${waiting} need you`} </Text> : null}
        </Text>
      </Positioned>
      {lane.slots.length === 0 ? (
        <Positioned rect={{ x: r.x + 2, y: r.y + 1, width: Math.max(1, r.width - 4), height: Math.max(1, r.height - 2) }}>
          <Text color={theme.hint} wrap="wrap">
            No agents here. Press {newAgentKey} (or Enter) to start one.
          </Text>
        </Positioned>
      ) : null}
      {lane.slots.map((slot) => {
        const a = agents.get(slot.id);
        if (!a) return null;
        const inScroll = scroll?.agent === slot.id;
        const depth = inScroll ? scrollDepth(slot.id) : 0;
        const info = inScroll ? (scroll!.editing ? 'search' : depth > 0 ? `scroll −${depth}` : 'scroll (bottom)') : null;
        return (
          <Positioned key={slot.id} rect={slot.header} backgroundColor={focusedAgent === slot.id ? theme.headerFocusBg : undefined}>
            <AgentHeader agent={a} focused={focusedAgent === slot.id} scrollInfo={info} brief={briefOf?.(a.id) ?? null} now={now} />
          </Positioned>
        );
      })}
    </>
  );
}

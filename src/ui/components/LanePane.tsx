import React from 'react';
import { Text } from 'ink';
import type { AgentInfo, HostLinkView, WorktreeInfo } from '../../core/types.js';
import { hostLinkLine } from '../host-status.js';
import type { QueueState } from '../../core/merge/merge-queue.js';
import { statusLabel } from '../../core/status/agent-status.js';
import { agentIsLive } from '../../core/types.js';
import { headerDuration } from '../header-clock.js';
import { formatUsage } from '../../core/usage/usage-level.js';

function usageColour(level: string): string {
  return level === 'rot' ? 'red' : level === 'warn' ? 'yellow' : level === 'ok' ? 'green' : 'gray';
}
import type { LanePane as LaneLayout } from '../../layout/layout.js';
import type { ScrollView } from '../ui-state.js';
import { Positioned } from './Positioned.js';
import { SANDBOX_MARK, statusColour, statusGlyph, theme } from './theme.js';
import { chromeText } from '../../shared/terminal-text.js';
import { FittedText, type StyledSegment } from './FittedText.js';

interface Props {
  lane: LaneLayout;
  worktree: WorktreeInfo | undefined;
  /** The link to the host this lane lives on, when it is down: the lane is greyed, with the reason. */
  hostDown?: HostLinkView | null;
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

// What survives a narrow pane (fit-segments.ts): the name, then an alarm (unsandboxed, context rot,
// an unclaimed brief), the mode the pane is in and the agent's state; the profile, how long and the
// sandbox mark go first.
const P = { name: 100, unsandboxed: 96, scroll: 94, state: 90, rot: 86, unclaimed: 80, refresh: 70, usage: 60, brief: 55, reason: 45, uptime: 30, profile: 20, sandbox: 10 };

function AgentHeader({ agent, focused, scrollInfo, brief, now, width }: { agent: AgentInfo; focused: boolean; scrollInfo: string | null; brief: { label: string; unclaimed: boolean } | null; now: number; width: number }) {
  const st = agent.status;
  const bg = focused ? theme.headerFocusBg : undefined;
  const fg = focused ? theme.headerFocusFg : undefined;
  const hint = { color: focused ? fg : theme.hint };
  const u = agent.usage;
  const segments: (StyledSegment | null | false)[] = [
    { key: 'name', text: `${focused ? '▸ ' : '  '}${chromeText(agent.name)}`, priority: P.name, shrink: true, style: { bold: true } },
    agent.sandbox !== 'bwrap' && agentIsLive(agent.state) && { key: 'unsandboxed', text: ' UNSANDBOXED', priority: P.unsandboxed, style: { color: focused ? fg : theme.warn, bold: true } },
    { key: 'profile', text: ` · ${chromeText(agent.profile)}`, priority: P.profile, style: hint },
    {
      key: 'state',
      sep: ' · ',
      text: ` · ${statusGlyph(st.state)} ${statusLabel(st)}`,
      priority: P.state,
      style: { color: focused && st.state !== 'needs-you' ? fg : statusColour(st.state, st.reason), bold: st.state === 'needs-you' },
    },
    headerDuration(st.state, now - Date.parse(st.since)) !== null && { key: 'uptime', text: ` ${headerDuration(st.state, now - Date.parse(st.since))}`, priority: P.uptime, style: { color: focused && st.state !== 'needs-you' ? fg : statusColour(st.state, st.reason) } },
    !!st.reason && st.state !== 'exited' && st.state !== 'failed' && { key: 'reason', sep: ' · ', text: ` · ${chromeText(st.reason)}`, priority: P.reason, shrink: true, minWidth: 12, style: hint },
    u.source !== 'none' && {
      key: 'usage',
      sep: ' · ',
      text: ` · ${formatUsage(u)}${u.level === 'rot' ? ' ROT' : ''}${u.compacted ? ' (compacted)' : ''}`,
      short: ` · ${u.percent === null ? formatUsage(u) : `${Math.round(u.percent)}%`}${u.level === 'rot' ? ' ROT' : ''}`,
      priority: u.level === 'rot' ? P.rot : P.usage,
      style: { color: focused ? fg : usageColour(u.level), bold: u.level === 'rot' },
    },
    !!brief && {
      key: 'brief',
      sep: ' · ',
      text: ` · ${brief.unclaimed ? 'unclaimed ' : ''}${chromeText(brief.label)}`,
      priority: brief.unclaimed ? P.unclaimed : P.brief,
      shrink: true,
      minWidth: 20,
      short: ` · ${brief.unclaimed ? 'unclaimed ' : ''}${brief.label.match(/^\S*#\d+/)?.[0] ?? 'brief'}`,
      style: { color: focused ? fg : brief.unclaimed ? theme.error : 'cyan' },
    },
    !!agent.refreshQueued && { key: 'refresh', sep: ' · ', text: ' · refresh queued', priority: P.refresh, style: { color: focused ? fg : 'yellow' } },
    !!scrollInfo && { key: 'scroll', sep: ' · ', text: ` · ${scrollInfo}`, priority: P.scroll, style: { color: focused ? fg : 'yellow' } },
    agent.sandbox === 'bwrap' && { key: 'sandbox', text: ` ${SANDBOX_MARK}`, priority: P.sandbox, style: hint },
  ];
  return <FittedText width={width} segments={segments} sepStyle={hint} backgroundColor={bg} color={fg} />;
}

// A lane's title at a narrow width: its name, what needs the operator, then ahead/behind and
// uncommitted changes; the branch (often the name again, prefixed) and the lane's kind go first.
const L = { name: 100, hostDown: 99, waiting: 98, missing: 96, setupFailed: 94, queueOut: 92, aheadBehind: 80, queued: 78, dirty: 75, setup: 60, hidden: 50, served: 45, branch: 30, ephemeral: 25 };

/** One worktree: a border with its name, and each agent's header over the space its screen is drawn in. */
export function LanePane({ lane, worktree, hostDown, agents, focusedLane, focusedAgent, scroll, scrollDepth, newAgentKey, briefOf, queue, now }: Props) {
  const r = lane.rect;
  // A lane with an agent waiting on the operator is marked, even for agents below its last visible slot.
  const laneAgents = [...agents.values()].filter((a) => a.worktree === lane.name);
  const waiting = laneAgents.filter((a) => a.status.state === 'needs-you').length;
  // A host out of reach: what its lane last showed stays, greyed, under the reason (host-status.ts).
  const down = hostDown ? hostLinkLine(hostDown, now) : null;
  const borderColour = down ? theme.hint : waiting ? 'magentaBright' : focusedLane ? theme.focusBorder : theme.border;
  const branch = worktree?.branch && worktree.branch !== lane.name ? ` ⎇ ${chromeText(worktree.branch)}` : '';
  const missing = worktree?.prunable ? ' (worktree missing)' : '';
  const hidden = lane.hiddenAgents ? ` +${lane.hiddenAgents} more` : '';
  const l = worktree?.lane;
  const setup = l?.setup;
  // Its place in the merge queue, or why the queue took it out (until it is marked ready again).
  const qAt = queue?.entries.findIndex((e) => e.lane === lane.name) ?? -1;
  const qEntry = qAt === -1 ? null : queue!.entries[qAt]!;
  const queued = qEntry ? (qEntry.step === 'queued' ? `queued #${qAt + 1}` : `queue: ${qEntry.step === 'waiting' ? 'waiting' : qEntry.step}`) : null;
  const lastOut = qEntry ? null : queue?.out.filter((o) => o.lane === lane.name).at(-1);
  const out = lastOut && lastOut.outcome !== 'merged' && lastOut.outcome !== 'removed' ? lastOut.outcome.replace('-', ' ') : null;
  return (
    <>
      <Positioned rect={r} borderStyle={focusedLane ? 'bold' : 'round'} borderColor={borderColour} />
      <Positioned rect={{ x: r.x + 2, y: r.y, width: Math.max(1, r.width - 4), height: 1 }}>
        <FittedText
          width={Math.max(1, r.width - 4)}
          segments={[
            { key: 'name', text: ` ${lane.index <= 9 ? `${lane.index} ` : ''}${chromeText(lane.name)} `, priority: L.name, shrink: true, style: { color: borderColour, bold: true, inverse: focusedLane } },
            !!down && { key: 'hostDown', text: ` ${chromeText(down)} `, priority: L.hostDown, shrink: true, minWidth: 16, style: { color: 'black', backgroundColor: theme.warn, bold: true } },
            !!branch && { key: 'branch', text: branch, priority: L.branch, shrink: true, minWidth: 6, style: { color: 'magenta' } },
            !!missing && { key: 'missing', text: missing, priority: L.missing, style: { color: theme.error } },
            l?.lane === 'ephemeral' && { key: 'ephemeral', text: ' · ephemeral', priority: L.ephemeral, style: { color: theme.hint } },
            l?.kind === 'served' && { key: 'served', text: ` · served${l.port ? ` :${l.port}` : ''}`, priority: L.served, style: { color: 'blue' } },
            !!l && l.ahead !== null && { key: 'ahead', text: ` · ↑${l.ahead}`, priority: L.aheadBehind, style: { color: l.ahead ? 'green' : theme.hint } },
            // MAIN moved on (another lane merged): said in words, it is what makes the next merge conflict.
            l?.behind
              ? { key: 'behind', text: ` · behind MAIN by ${l.behind}`, short: ` ↓${l.behind}`, priority: L.aheadBehind, style: { color: 'yellow' } }
              : !!l && l.ahead !== null && { key: 'behind', text: ' ↓0', priority: L.aheadBehind, style: { color: theme.hint } },
            !!queued && { key: 'queued', text: ` · ${queued}`, priority: L.queued, style: { color: 'cyan' } },
            !!out && { key: 'out', text: ` · ${out}`, short: ` ✗ ${out === 'needs update' ? 'update' : out.split(' ')[0]}`, priority: L.queueOut, style: { color: theme.error, bold: true } },
            !!l?.dirty && { key: 'dirty', text: ` · ✎ ${l.dirty} changed`, short: ` ✎${l.dirty}`, priority: L.dirty, style: { color: 'yellow' } },
            setup?.state === 'running' && { key: 'setup', text: ` · setup ${setup.step}/${setup.steps} ${chromeText(setup.command)}`, priority: L.setup, shrink: true, minWidth: 12, style: { color: 'cyan' } },
            setup?.state === 'failed' && { key: 'setup', text: ' · setup failed (r retries)', priority: L.setupFailed, style: { color: theme.error, bold: true } },
            !!hidden && { key: 'hidden', text: hidden, priority: L.hidden, style: { color: theme.hint } },
            !!waiting && { key: 'waiting', text: ` ! ${waiting === 1 ? 'needs you' : `${waiting} need you`} `, priority: L.waiting, style: { color: 'magentaBright', bold: true } },
          ]}
        />
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
            <AgentHeader agent={a} focused={focusedAgent === slot.id} scrollInfo={info} brief={briefOf?.(a.id) ?? null} now={now} width={slot.header.width} />
          </Positioned>
        );
      })}
    </>
  );
}

import React from 'react';
import { Box, Text } from 'ink';
import type { Snapshot } from '../../core/types.js';
import { agentIsLive } from '../../core/types.js';
import type { Keymap } from '../keymap.js';
import type { Layout } from '../../layout/layout.js';
import { MAIN_LANE, type UiState } from '../ui-state.js';
import { DialogBox } from './DialogBox.js';
import { LanePane } from './LanePane.js';
import { briefLabel } from '../dialogs/briefs-list.js';
import { hostDown } from '../host-status.js';
import { MainPane } from './MainPane.js';
import { dialogRect } from './overlay.js';
import { Positioned } from './Positioned.js';
import { StatusLine } from './StatusLine.js';
import { keyLabel } from '../keymap.js';

export interface AppProps {
  snapshot: Snapshot;
  ui: UiState;
  layout: Layout;
  keymap: Keymap;
  /** Lines an agent's scroll view is above its live screen (for the header). */
  scrollDepth?: (agent: string) => number;
  /** The time durations in headers are counted to (the cockpit redraws when one would change). */
  now?: number;
}

/**
 * The chrome: borders, titles, headers, status line and dialogs. Agent screens are not drawn here —
 * their rectangles are left blank and the compositor fills them cell by cell.
 */
export function App({ snapshot, ui, layout, keymap, scrollDepth = () => 0, now = Date.now() }: AppProps) {
  const { cols, rows } = layout;
  if (layout.tooSmall) {
    return (
      <Box width={cols} height={rows} flexDirection="column" justifyContent="center" alignItems="center">
        <Text color="yellow" wrap="wrap">
          Terminal too small ({cols}×{rows}): flower-tui needs at least {layout.tooSmall.needCols}×{layout.tooSmall.needRows}.
        </Text>
        <Text color="gray" wrap="wrap">Enlarge the window, or press q to quit.</Text>
      </Box>
    );
  }
  const agents = new Map(snapshot.agents.map((a) => [a.id, a]));
  const worktrees = new Map(snapshot.worktrees.map((w) => [w.name, w]));
  const overlay = dialogRect(ui.dialog, snapshot, keymap, cols, rows);
  const running = snapshot.agents.filter((a) => agentIsLive(a.state)).length;
  // The inbox: who waits on the operator, and how many of them are in panes not on screen.
  const waiting = snapshot.agents.filter((a) => a.status.state === 'needs-you');
  const shown = new Set(layout.lanes.flatMap((l) => l.slots.map((s) => s.id)));
  const inbox = { count: waiting.length, offScreen: waiting.filter((a) => !shown.has(a.id)).length, key: keyLabel(keymap.bindings.inbox[0] ?? ' ') };
  const newKey = keyLabel(keymap.bindings.newAgent[0] ?? 'n');
  // The brief each agent is on, for its header: dispatched (maybe unclaimed) or claimed.
  const briefOf = (agent: string) => {
    const b = (snapshot.briefs ?? []).find((x) => x.agent === agent && (x.status === 'dispatched' || x.status === 'claimed'));
    return b ? { label: `${briefLabel(b)} ${b.title}`, unclaimed: b.unclaimed } : null;
  };
  return (
    <Box width={cols} height={rows}>
      <MainPane rect={layout.main} snapshot={snapshot} focused={ui.focusLane === MAIN_LANE} ops={layout.ops} />
      {layout.lanes.length === 0 ? (
        <Positioned rect={{ x: 2, y: layout.laneArea.y + 1, width: Math.max(1, cols - 4), height: Math.max(1, layout.laneArea.height - 2) }} flexDirection="column">
          <Text color="gray" wrap="wrap">
            No worktrees yet — all work happens in worktrees, never in MAIN. Create one with:
          </Text>
          <Text color="cyan" wrap="wrap">
            git worktree add ../{'<name>'} -b {'<branch>'}
          </Text>
          <Text color="gray" wrap="wrap">
            It appears here within a few seconds. ({newKey} starts an agent in the focused worktree.)
          </Text>
        </Positioned>
      ) : null}
      {layout.lanes.map((lane) => (
        <LanePane
          key={lane.name}
          lane={lane}
          worktree={worktrees.get(lane.name)}
          hostDown={hostDown(snapshot, worktrees.get(lane.name))}
          agents={agents}
          focusedLane={ui.focusLane === lane.name}
          focusedAgent={ui.focusAgent}
          scroll={ui.scroll}
          scrollDepth={scrollDepth}
          newAgentKey={newKey}
          briefOf={briefOf}
          queue={snapshot.queue ?? null}
          now={now}
        />
      ))}
      <StatusLine rect={layout.status} ui={ui} keymap={keymap} hiddenLanes={layout.hiddenBefore + layout.hiddenAfter} running={running} inbox={inbox} />
      {ui.dialog && overlay ? <DialogBox dialog={ui.dialog} rect={overlay} snapshot={snapshot} keymap={keymap} focusLane={ui.focusLane} /> : null}
    </Box>
  );
}

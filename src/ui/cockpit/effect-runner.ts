import { describeError } from '../../shared/errors.js';
import type { Effect } from '../input/key-result.js';
import type { CockpitState } from './cockpit-state.js';
import { openBriefDetail, openDiff, openMergePreview, openRemoval } from './dialog-opening.js';
import type { LaneCommands } from './lane-commands.js';
import type { TraceLoading } from './trace-loading.js';

/** The parts of the cockpit a key's effects reach. */
export interface EffectHost {
  state: CockpitState;
  lanes: LaneCommands;
  trace: TraceLoading;
  quit(): Promise<void>;
  attach(agent: string): Promise<void>;
  /** Lend the terminal to $VISUAL/$EDITOR on a new brief's spec. */
  editSpec(title: string, spec: string): void;
}

/** Restart the server that died under us (remote), and re-attach to it. */
async function reconnect(s: CockpitState): Promise<void> {
  if (!s.backend.reconnect) return;
  s.ui = { ...s.ui, dialog: null, message: { text: 'restarting the server…', level: 'info' } };
  s.update();
  try {
    await s.backend.reconnect();
  } catch (err) {
    s.ui = { ...s.ui, dialog: { kind: 'server-gone', reason: describeError(err) } };
    s.update();
  }
}

/** Stop the server and every agent; leaving follows when the connection goes (backend events). */
function stopServer(s: CockpitState): void {
  s.stopping = true;
  s.backend.dispatch({ type: 'stopServer' }).catch((err) => {
    s.stopping = false;
    s.setMessage(describeError(err), 'error');
  });
}

/** What the keys asked of the outside world, done in order (the slow ones report when they end). */
export function runEffects(h: EffectHost, effects: Effect[]): void {
  const s = h.state;
  for (const e of effects) {
    switch (e.type) {
      case 'quit':
        void h.quit();
        break;
      case 'attach':
        void h.attach(e.agent);
        break;
      case 'reconnect':
        void reconnect(s);
        break;
      case 'checkRemoval':
        void openRemoval(s, e.worktree);
        break;
      case 'mergePreview':
        void openMergePreview(s, e.worktree);
        break;
      case 'diff':
        void openDiff(s, e.worktree);
        break;
      case 'briefDetail':
        void openBriefDetail(s, e.id, e.host);
        break;
      case 'editSpec':
        h.editSpec(e.title, e.spec);
        break;
      case 'lane':
        void h.lanes.run(e.cmd);
        break;
      case 'loadTrace':
        h.trace.load();
        s.update();
        break;
      case 'stop':
        stopServer(s);
        break;
      case 'command':
        // A spawn's reply is its AgentInfo (typed by the command table); other replies are not needed here.
        (e.cmd.type === 'spawn' ? s.backend.dispatch(e.cmd) : s.backend.dispatch(e.cmd).then(() => null)).then(
          (res) => {
            if (res) {
              // Focus what was just started: the operator's next move is almost always to look at it.
              s.ui = { ...s.ui, focusLane: res.worktree, focusAgent: res.id, lastAgentByLane: { ...s.ui.lastAgentByLane, [res.worktree]: res.id } };
              s.update();
            }
          },
          (err) => s.setMessage(describeError(err), 'error'),
        );
        break;
    }
  }
}

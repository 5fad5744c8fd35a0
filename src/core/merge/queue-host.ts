import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceActor } from '../store/trace.js';
import type { MergeCoordinator } from './merge-coordinator.js';
import type { MergeResult } from './merge-pipeline.js';
import { MergeQueueRunner } from './merge-queue-runner.js';
import { emptyQueue, pause, type QueueState } from './merge-queue.js';
import { describeError } from '../../shared/errors.js';
import { recoverQueue } from './queue-recovery.js';
import { autoUpdateLanes, type KeeperHost } from './lane-keeper.js';
import type { LaneContext } from './lane-context.js';

/** What the supervisor hands the queue: plain callbacks (as briefs get through brief-host.ts). */
export interface QueueWiring extends LaneContext {
  stateDir: string;
  store: StateStore | null;
  merges: MergeCoordinator;
  notify(text: string, level: 'info' | 'error'): void;
  changed(): void;
  send(agent: string, text: string): Promise<void>;
  removeLane(name: string): Promise<void>;
  sandbox(worktree: string, cwd: string): SandboxDecision;
  /** Every merge that ends, however it was started (briefs link it, lanes are kept current). */
  merged(r: MergeResult): void;
}

export interface MergeQueue {
  runner: MergeQueueRunner;
  keeper: KeeperHost;
  /** At server start: re-validate a head found mid-step, then run. */
  start(): Promise<void>;
  /** After any merge: other lanes kept current (lanes.autoUpdate). */
  afterMerge(r: MergeResult): Promise<void>;
}

export function openMergeQueue(w: QueueWiring): MergeQueue {
  let memory: QueueState = emptyQueue();
  // What the runner and the keeper both read of the supervisor, picked once.
  const lanes: LaneContext = { mainRoot: w.mainRoot, config: w.config, worktrees: w.worktrees, agents: w.agents, laneKind: w.laneKind, record: w.record, refreshGit: w.refreshGit };
  const runner: MergeQueueRunner = new MergeQueueRunner({
    ...lanes,
    notify: w.notify,
    changed: w.changed,
    merge: async (lane, onProgress) => {
      const r = await w.merges.merge(lane, 'policy' as TraceActor, { onProgress });
      w.merged(r);
      return r;
    },
    mergeRunning: () => Boolean(w.merges.view?.running),
    send: w.send,
    removeLane: w.removeLane,
    load: () => (w.store ? (w.store.data.queue ?? emptyQueue()) : memory),
    save: (q) => {
      if (!w.store) return void (memory = q);
      w.store.update((s) => (s.queue = q));
      w.store.flush(); // now, not on the next tick: a crash right after must find this step
    },
  });
  const keeper: KeeperHost = {
    ...lanes,
    queueBusyWith: () => {
      const head = runner.state.entries[0];
      return head && head.step !== 'queued' ? head.lane : null;
    },
    mergeRunning: () => Boolean(w.merges.view?.running),
    queued: () => runner.state.entries.map((e) => e.lane),
  };
  return {
    runner,
    keeper,
    async start() {
      const before = runner.state;
      let r: Awaited<ReturnType<typeof recoverQueue>>;
      try {
        r = await recoverQueue(before, {
          mainRoot: w.mainRoot,
          stateDir: w.stateDir,
          config: w.config(),
          laneDir: (lane) => w.worktrees().find((x) => x.name === lane && !x.isMain && !x.prunable)?.path ?? null,
          sandbox: w.sandbox,
          movingMain: (on) => void (w.merges.movingMain = on),
        });
      } catch (e) {
        // Not knowing where the interrupted lane stands, nothing runs until the operator has looked.
        runner.replace(pause(before, `could not re-check ${before.entries[0]?.lane ?? 'the queue'} after the restart: ${describeError(e)}`));
        w.record({ actor: 'server', action: 'queue.recover', target: before.entries[0]?.lane ?? 'queue', outcome: 'error', error: describeError(e) });
        runner.markStarted();
        throw e;
      }
      if (r.head) {
        runner.replace(r.queue);
        w.record({ actor: 'server', action: 'queue.recover', target: r.head.lane, details: { was: r.head.was, lines: r.lines }, outcome: r.head.now });
        w.notify(`queue after restart: ${r.lines.join('; ')}`, r.head.now === 'resumed' || r.head.now === 'landed' ? 'info' : 'error');
        await w.refreshGit();
      }
      runner.markStarted();
    },
    async afterMerge(r) {
      if (r.outcome !== 'merged') return;
      const updated = await autoUpdateLanes(keeper, r.worktree);
      if (updated.length) w.notify(`kept current after the merge of ${r.worktree}: ${updated.join(', ')} updated onto MAIN`, 'info');
    },
  };
}

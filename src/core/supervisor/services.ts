import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { AddLaneResult } from '../lanes/lane-manager.js';
import type { BriefDesk } from '../briefs/brief-desk.js';
import { openBriefDesk } from '../briefs/brief-host.js';
import type { RepoLocation } from '../git/repo.js';
import { MergeCoordinator } from '../merge/merge-coordinator.js';
import type { MergeResult } from '../merge/merge-pipeline.js';
import { openMergeQueue, type MergeQueue } from '../merge/queue-host.js';
import { MainMonitor } from '../monitor/main-monitor.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { sessionArgs } from '../agents/session-args.js';
import { NotifyCommand } from '../status/notify-command.js';
import { StatusHub } from '../status/status-hub.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceActor, TraceEntry, TraceWriter } from '../store/trace.js';
import type { Notice, SupervisorEvent, WorktreeInfo } from '../types.js';
import { Refresher } from '../usage/refresher.js';
import { UsageMonitor } from '../usage/usage-monitor.js';
import type { AgentRegistry } from './agent-registry.js';

/** What the supervisor's services are wired to: its state, its outputs, and the few actions they start. */
export interface ServicesHost {
  repo: RepoLocation;
  config(): FlowerConfig;
  env: NodeJS.ProcessEnv;
  store: StateStore | null;
  trace: TraceWriter | null;
  agents(): AgentRegistry;
  worktrees(): WorktreeInfo[];
  laneOf(name: string): 'standing' | 'ephemeral';
  record(entry: Omit<TraceEntry, 'ts'>): void;
  notify(text: string, level?: Notice['level']): void;
  event(e: SupervisorEvent): void;
  changed(): void;
  refreshGit(): Promise<void>;
  sandboxFor(worktree: string, cwd: string): SandboxDecision;
  /** Text to an agent, as `send` does (traced). */
  send(agent: string, text: string, actor: TraceActor): Promise<void>;
  addLane(opts: { name: string; lane: 'ephemeral'; kind: 'served' | 'code-only'; agents: string[] }, actor: TraceActor): Promise<AddLaneResult>;
  removeLane(name: string): Promise<void>;
}

export interface Services {
  status: StatusHub;
  notifier: NotifyCommand;
  merges: MergeCoordinator;
  mainMonitor: MainMonitor;
  monitor: UsageMonitor;
  refresher: Refresher;
  briefs: BriefDesk;
  mergeQueue: MergeQueue;
  /** Every merge that ends, from the queue or by hand: briefs link it; other lanes are kept current. */
  afterMerge(r: MergeResult): void;
}

/**
 * The supervisor's helpers, each given only the narrow host it asks for. They refer to each other
 * (a waiting agent may be refreshed, a refresh hands over a claimed brief) through `s`, read lazily.
 */
export function openServices(h: ServicesHost): Services {
  const s = {} as Services;
  const flowerDir = path.join(h.repo.commonDir, 'flower');
  s.status = new StatusHub({
    agent: (id) => h.agents().get(id),
    record: (e) => h.record(e),
    attention: (id, reason) => {
      h.event({ type: 'attention', agent: id, reason, needsYou: true });
      s.notifier.fire(id, `${id} ${reason}`);
    },
    quiet: (id) => s.refresher.onQuiet(id),
  });
  s.notifier = new NotifyCommand(() => h.config().notify, (m) => h.notify(m, 'error'), h.env);
  s.merges = new MergeCoordinator({
    mainRoot: h.repo.mainRoot,
    stateDir: flowerDir,
    config: () => h.config(),
    worktrees: () => h.worktrees(),
    laneKind: (name) => h.laneOf(name),
    record: (e) => h.record(e),
    changed: () => {
      if (!s.merges.view?.running) s.mainMonitor.loadMerges();
      h.changed();
    },
    refreshGit: () => h.refreshGit(),
    sandbox: (worktree, cwd) => h.sandboxFor(worktree, cwd),
  });
  s.mainMonitor = new MainMonitor({
    mainRoot: h.repo.mainRoot,
    stateDir: flowerDir,
    config: () => h.config(),
    busy: () => Boolean(s.merges.view?.running),
    changed: () => h.changed(),
    sandbox: () => h.sandboxFor('MAIN', h.repo.mainRoot),
  });
  s.monitor = new UsageMonitor(path.join(flowerDir, 'sessions'), {
    waiting: (id) => {
      // A guess from the screen or transcript: agents whose hooks report say so themselves.
      if (h.agents().get(id)?.info.status.hookAt != null) return;
      h.event({ type: 'attention', agent: id, reason: 'waiting for input' });
      s.refresher.onQuiet(id);
    },
    rot: (id) => void s.refresher.maybeAuto(id),
  });
  s.refresher = new Refresher(
    {
      agent: (id) => h.agents().get(id),
      record: (e) => h.record(e),
      mainBranch: () => h.worktrees().find((w) => w.isMain)?.branch ?? null,
      respawnFresh: async (id) => {
        const a = h.agents().require(id);
        await h.agents().respawn(a, sessionArgs(a.profile, 'fresh', null));
      },
      rememberRefresh: (id) => {
        const a = h.agents().get(id);
        if (!a) return;
        h.agents().remember(a.info, a.isLive);
        h.store?.update((st) => {
          const r = st.agents.find((x) => x.id === id);
          if (r) r.refreshCount += 1;
        });
      },
      attention: (id, reason) => h.event({ type: 'attention', agent: id, reason }),
      claimedBrief: (id) => s.briefs.claimedPacket(id),
    },
    s.monitor,
  );
  s.briefs = openBriefDesk({
    dir: h.store ? flowerDir : null,
    traceDir: h.trace?.dir ?? null,
    record: (e) => h.record(e),
    notify: (text) => h.notify(text, 'error'),
    agents: () => h.agents().infos(),
    worktrees: () => h.worktrees(),
    laneKind: (name) => h.laneOf(name),
    config: () => h.config(),
    send: (agent, text, actor) => h.send(agent, text, actor),
    addLane: async (name, o, actor) => h.addLane({ name, lane: 'ephemeral', kind: o.served ? 'served' : 'code-only', agents: [o.profile] }, actor),
    changed: () => h.changed(),
  });
  s.mergeQueue = openMergeQueue({
    mainRoot: h.repo.mainRoot,
    stateDir: flowerDir,
    store: h.store,
    merges: s.merges,
    config: () => h.config(),
    worktrees: () => h.worktrees(),
    agents: () => h.agents().infos(),
    laneKind: (name) => h.laneOf(name),
    record: (e) => h.record(e),
    notify: (text, level) => h.notify(text, level),
    changed: () => h.changed(),
    refreshGit: () => h.refreshGit(),
    send: (agent, text) => h.send(agent, text, 'policy'),
    removeLane: (name) => h.removeLane(name),
    sandbox: (worktree, cwd) => h.sandboxFor(worktree, cwd),
    merged: (r) => s.afterMerge(r),
  });
  s.afterMerge = (r) => {
    s.briefs.merged(r.worktree, r.outcome, r.postMerge, r.message);
    void s.mergeQueue.afterMerge(r);
  };
  return s;
}

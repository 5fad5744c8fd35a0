import type { FlowerConfig } from '../../config/config.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';
import type { RepoLocation } from '../git/repo.js';
import type { LaneManager } from '../lanes/lane-manager.js';
import { updateOne } from '../merge/lane-keeper.js';
import type { MergeResult } from '../merge/merge-pipeline.js';
import { executeQueueCommand } from '../merge/queue-commands.js';
import { isResultCommand, type ResultCommand } from '../result-commands.js';
import { sessionArgs } from '../session-args.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import { TRACED, traceDetails } from '../trace-details.js';
import { agentStateLabel, type AgentInfo, type Notice, type SupervisorCommand } from '../types.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Restorer } from './restore.js';
import type { Services } from './services.js';

/** Commands that name an agent the way an operator types it (CLI, MCP): resolved before they run. */
const TARGETED = new Set<SupervisorCommand['type']>(['kill', 'respawn', 'refresh', 'remove', 'send']);

/** What commands run against: the supervisor's parts, never the Supervisor itself. */
export interface CommandHost {
  repo: RepoLocation;
  config(): FlowerConfig;
  agents: AgentRegistry;
  services: Services;
  restorer: Restorer;
  lanes: LaneManager;
  store: StateStore | null;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  notify(text: string, level?: Notice['level']): void;
  changed(): void;
  refreshGit(): Promise<void>;
  afterMerge(r: MergeResult): void;
  dismissMerge(): void;
}

export async function dispatchCommand(h: CommandHost, cmd: SupervisorCommand, actor: TraceActor): Promise<unknown> {
  // Lane commands trace their own steps (and return richer results): see LaneManager.
  if (isResultCommand(cmd)) return laneCommand(h, cmd, actor);
  // Agents are named as tmux names targets: exact id, unique name, unique id prefix.
  if (TARGETED.has(cmd.type) && 'agent' in cmd && typeof cmd.agent === 'string') cmd = { ...cmd, agent: h.agents.resolve(cmd.agent) } as SupervisorCommand;
  const traced = TRACED[cmd.type];
  if (!traced) return execute(h, cmd, actor);
  const target = cmd.type === 'spawn' ? cmd.worktree : 'agent' in cmd && typeof cmd.agent === 'string' ? cmd.agent : h.repo.mainRoot;
  const sentText = h.config().trace.sentText;
  try {
    const result = await execute(h, cmd, actor);
    h.record({ actor, action: traced, target: result && 'id' in result ? result.id : target, details: traceDetails(cmd, result ?? undefined, { sentText }), outcome: 'ok' });
    return result;
  } catch (e) {
    h.record({ actor, action: traced, target, details: traceDetails(cmd, undefined, { sentText }), outcome: 'error', error: describeError(e) });
    throw e;
  }
}

async function execute(h: CommandHost, cmd: SupervisorCommand, actor: TraceActor): Promise<AgentInfo | void> {
  const { agents } = h;
  switch (cmd.type) {
    case 'spawn':
      return agents.spawn(cmd.worktree, cmd.profile, { name: cmd.name, args: cmd.args, cols: cmd.cols, rows: cmd.rows });
    case 'kill': {
      const a = agents.require(cmd.agent);
      // Saying "killed" again would hide that it was already gone (and how it ended).
      if (!a.isLive) throw new FlowerError('agent-not-running', `${cleanForTerminal(cmd.agent)} is not running (${agentStateLabel(a.info.state)}): nothing to kill; respawn it, or remove it with x in the cockpit`);
      await a.kill();
      return a.info;
    }
    case 'respawn': {
      const a = agents.require(cmd.agent);
      const profile = h.config().profiles[a.info.profile];
      await agents.respawn(a, profile ? sessionArgs(profile, 'resume', a.info.sessionId) : { args: [], sessionId: null });
      agents.remember(a.info, true);
      return a.info;
    }
    case 'refresh': {
      const { refresher } = h.services;
      if (cmd.cancel) {
        if (!refresher.cancel(cmd.agent, actor)) throw new FlowerError('bad-usage', `no refresh of ${cmd.agent} is queued`);
        h.notify(`refresh of ${cmd.agent} cancelled`);
        h.changed();
        return agents.require(cmd.agent).info;
      }
      const r = await refresher.refresh(cmd.agent, 'manual', actor);
      if (r.outcome === 'error') throw new FlowerError('spawn-failed', `refresh of ${cmd.agent} failed: ${r.detail}`);
      if (r.outcome === 'skipped') throw new FlowerError('bad-usage', `${cmd.agent} was not refreshed: ${r.detail}`);
      h.notify(r.outcome === 'queued' ? r.detail : `${cmd.agent} refreshed: ${r.detail}`);
      h.changed();
      const info = agents.require(cmd.agent).info;
      return r.outcome === 'queued' ? { ...info, refreshQueued: true } : info;
    }
    case 'remove':
      await agents.remove(cmd.agent);
      h.changed();
      return;
    case 'restore':
      if (cmd.discard) h.restorer.discard(actor);
      else h.restorer.restore(actor, cmd.agents);
      return;
    case 'note':
      h.record({ actor, action: cmd.action, target: cmd.agent, outcome: 'ok' });
      return;
    case 'saveFocus':
      h.store?.update((s) => (s.ui = { focusLane: cmd.lane, focusAgent: cmd.agent }));
      return;
    case 'input':
      agents.requireWritable(cmd.agent).write(cmd.data);
      return;
    case 'send': {
      const a = agents.requireWritable(cmd.agent);
      await a.sendText(cmd.text, { enter: cmd.enter, timeoutMs: cmd.timeoutMs });
      return a.info;
    }
    case 'resize':
      agents.require(cmd.agent).resize(cmd.cols, cmd.rows);
      return;
    case 'refreshWorktrees':
      await h.refreshGit();
      return;
    case 'report':
      return h.services.status.report(cmd.agent, cmd.state, cmd.reason ?? null, cmd.keepReason);
    case 'wait':
      return h.services.status.wait(cmd.agent, cmd.for, { sinceInput: cmd.sinceInput, timeoutMs: cmd.timeoutMs });
  }
}

/** Lane commands with their results (what the CLI prints, what the TUI shows). */
async function laneCommand(h: CommandHost, cmd: ResultCommand, actor: TraceActor): Promise<unknown> {
  const { merges, briefs, mergeQueue } = h.services;
  switch (cmd.type) {
    case 'mergePreview':
      return merges.preview(cmd.worktree);
    case 'merge': {
      const r = await merges.merge(cmd.worktree, actor, { commitMessage: cmd.commitMessage });
      h.afterMerge(r);
      return r;
    }
    case 'brief': {
      const r = await briefs.execute(cmd);
      // A brief done with a lane: that lane is ready, it joins the merge queue.
      const lane = cmd.op === 'done' && h.config().briefs.queueOnDone ? (r as { brief?: { lane?: string | null } } | undefined)?.brief?.lane : null;
      if (lane && !mergeQueue.runner.state.entries.some((e) => e.lane === lane)) {
        try {
          await mergeQueue.runner.ready(lane, `brief #${(r as { brief: { id: number } }).brief.id}`, actor);
        } catch (e) {
          h.notify(`brief done, but ${lane} could not join the merge queue: ${describeError(e)}`, 'error');
        }
      }
      return r;
    }
    case 'queue':
      return executeQueueCommand(mergeQueue.runner, cmd, actor);
    case 'updateLane':
      return updateOne(mergeQueue.keeper, cmd.worktree, actor);
    case 'cancelMerge':
      return { cancelled: merges.cancel() };
    case 'dismissMerge':
      h.dismissMerge();
      h.changed();
      return null;
    case 'diff':
      return { diff: await merges.diff(cmd.worktree) };
    case 'addWorktree':
      return h.lanes.add(cmd, actor);
    case 'removeWorktree':
      return h.lanes.remove(cmd.name, cmd.force, actor);
    case 'checkRemoval':
      return h.lanes.checkRemoval(cmd.name);
    case 'retrySetup':
      return h.lanes.retrySetup(cmd.name, actor);
    case 'removedLanes':
      return { removed: await h.lanes.removed() };
    case 'restoreLane':
      return h.lanes.restore(cmd.name, actor);
  }
}

import { FlowerError, describeError } from '../../shared/errors.js';
import type { Agent } from '../agents/agent.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import { writeHandoff } from './handoff.js';
import { decideRefresh, type RefreshPolicy } from './refresh-policy.js';
import { formatUsage } from './usage-level.js';
import { statusIsBusy, TERMINAL_STATES } from '../status/agent-status.js';
import type { AgentInfo } from '../types.js';
import type { UsageMonitor } from './usage-monitor.js';

export interface RefreshResult {
  agent: string;
  outcome: 'ok' | 'queued' | 'skipped' | 'error';
  action: 'respawn' | 'command' | 'notify';
  detail: string;
}

export interface RefresherHost {
  agent(id: string): Agent | undefined;
  record(e: Omit<TraceEntry, 'ts'>): void;
  mainBranch(): string | null;
  /** Kill and start again in a new conversation (a fresh session id, the profile's own args). */
  respawnFresh(id: string): Promise<void>;
  rememberRefresh(id: string): void;
  attention(id: string, reason: string): void;
  /** The packet of the brief the agent has claimed, for the hand-off (none: no brief). */
  claimedBrief?(id: string): string | null;
}

const DEFAULT_POLICY: RefreshPolicy = { mode: 'manual', action: 'notify', cooldownMs: 600_000, maxPerHour: 3 };
/** How long a refreshed agent gets to show its new session (its transcript appearing). */
const VERIFY_MS = 90_000;

/**
 * Recycling agents whose context has rotted: by hand (R, `flower-tui refresh`) or by policy. Never
 * mid-turn: a manual refresh of a busy agent waits until it is idle. Every attempt goes to the trace
 * with its trigger, numbers, action and outcome.
 */
export class Refresher {
  private readonly history = new Map<string, number[]>();
  private readonly queued = new Map<string, TraceActor>();
  private readonly running = new Set<string>();

  constructor(
    private readonly host: RefresherHost,
    private readonly monitor: UsageMonitor,
  ) {}

  isQueued(id: string): boolean {
    return this.queued.has(id);
  }

  /** Drop a refresh waiting for the agent to be idle; false when none was. */
  cancel(id: string, actor: TraceActor): boolean {
    if (!this.queued.delete(id)) return false;
    this.host.record({ actor, action: 'refresh', target: id, details: { trigger: 'manual' }, outcome: 'cancelled' });
    return true;
  }

  /** The agent became idle or waiting: run a refresh that was waiting for that. */
  onQuiet(id: string): void {
    const actor = this.queued.get(id);
    if (actor) {
      this.queued.delete(id);
      void this.refresh(id, 'manual', actor);
    } else void this.maybeAuto(id);
  }

  /** Called when usage crosses the refresh threshold, and whenever the agent goes quiet. */
  async maybeAuto(id: string): Promise<void> {
    const a = this.host.agent(id);
    if (!a || a.profile.refresh?.mode !== 'auto' || a.info.usage.level !== 'rot') return;
    await this.refresh(id, 'policy', 'policy');
  }

  async refresh(id: string, trigger: 'manual' | 'policy', actor: TraceActor): Promise<RefreshResult> {
    const a = this.host.agent(id);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${id}"`);
    const policy: RefreshPolicy = { ...DEFAULT_POLICY, ...(a.profile.refresh ?? {}) };
    const action = policy.action;
    const u = a.info.usage;
    const numbers = { tokens: u.tokens, window: u.window, percent: u.percent, level: u.level };
    const decision = decideRefresh({ level: u.level, activity: refreshActivity(a.info), policy, history: this.history.get(id) ?? [], now: Date.now(), manual: trigger === 'manual' });
    if (!decision.go) {
      if (decision.reason === 'busy' && trigger === 'manual') {
        this.queued.set(id, actor);
        this.host.record({ actor, action: 'refresh', target: id, details: { trigger, action, ...numbers }, outcome: 'queued', error: 'agent is mid-turn: refreshing when it is idle' });
        return { agent: id, outcome: 'queued', action, detail: `${id} is working: it will be refreshed as soon as it is idle` };
      }
      if (trigger === 'manual' || decision.reason === 'cooldown' || decision.reason === 'cap') {
        this.host.record({ actor, action: 'refresh', target: id, details: { trigger, action, ...numbers }, outcome: 'skipped', error: decision.reason });
      }
      return { agent: id, outcome: 'skipped', action, detail: decision.reason };
    }
    if (this.running.has(id)) return { agent: id, outcome: 'skipped', action, detail: 'a refresh is already running' };
    this.running.add(id);
    this.history.set(id, [...(this.history.get(id) ?? []).filter((t) => Date.now() - t < 3_600_000), Date.now()]);
    this.host.record({ actor, action: 'refresh', target: id, details: { trigger, action, ...numbers }, outcome: 'started' });
    try {
      const detail = await this.perform(a, action, policy);
      this.host.rememberRefresh(id);
      this.host.record({ actor, action: 'refresh', target: id, details: { trigger, action, ...numbers, result: detail }, outcome: 'ok' });
      return { agent: id, outcome: 'ok', action, detail };
    } catch (e) {
      this.host.record({ actor, action: 'refresh', target: id, details: { trigger, action, ...numbers }, outcome: 'error', error: describeError(e) });
      return { agent: id, outcome: 'error', action, detail: describeError(e) };
    } finally {
      this.running.delete(id);
    }
  }

  private async perform(a: Agent, action: RefreshPolicy['action'], policy: RefreshPolicy & { command?: string; briefFile?: string }): Promise<string> {
    const id = a.info.id;
    if (action === 'notify') {
      this.host.attention(id, `${id}: context ${formatUsage(a.info.usage)} — time to refresh`);
      return 'marked and notified';
    }
    if (action === 'command') {
      const cmd = policy.command ?? '/compact';
      await a.sendText(cmd, { enter: true, timeoutMs: 30_000 });
      return `typed ${cmd}`;
    }
    // respawn: hand-off, fresh session, prompt, verify.
    const oldFile = this.monitor.reading(id)?.file ?? null;
    const handoff = await writeHandoff({
      worktree: a.info.cwd,
      agentId: id,
      agentName: a.info.name,
      mainBranch: this.host.mainBranch(),
      briefFile: policy.briefFile ?? 'BRIEF.md',
      screen: a.screen.visibleText().slice(-40),
      usage: formatUsage(a.info.usage),
      claimed: this.host.claimedBrief?.(id) ?? null,
    });
    await this.host.respawnFresh(id);
    this.monitor.resetProbe(id);
    a.patchInfo({ refreshCount: a.info.refreshCount + 1 });
    await a.sendText(
      `Your context was just refreshed. First read ${handoff}: it is the hand-off from your previous session in this worktree (the lane's brief, the branch, what is done and what is not). Then continue the work from there.`,
      { enter: true, timeoutMs: 60_000 },
    );
    const source = a.profile.usage?.source;
    if (source === 'claude' || source === 'codex') {
      // Verified pickup: the new session's transcript appears (it is created at its first exchange).
      const deadline = Date.now() + VERIFY_MS;
      while (Date.now() < deadline) {
        const f = this.monitor.reading(id)?.file;
        if (f && f !== oldFile) return `new session ${a.info.sessionId ?? ''} started (${f}); hand-off ${handoff}`.replace('  ', ' ');
        if (!a.isLive) throw new FlowerError('spawn-failed', `the new session exited (${a.info.state.kind})`);
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new FlowerError('spawn-failed', `the new session did not start: no transcript within ${VERIFY_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    if (!a.isLive) throw new FlowerError('spawn-failed', `the new session exited (${a.info.state.kind})`);
    return `respawned with hand-off ${handoff}`;
  }
}

/**
 * "Idle" for the policy: what the agent's hooks say where they report (never mid-turn, never during
 * a permission prompt or a compaction), else the screen/transcript guess.
 */
function refreshActivity(info: AgentInfo): AgentInfo['activity'] {
  const s = info.status;
  if (s.hookAt === null) return info.activity;
  if (TERMINAL_STATES.has(s.state)) return 'exited';
  return statusIsBusy(s.state) ? 'working' : 'waiting';
}

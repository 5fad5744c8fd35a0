import type { Agent } from '../agents/agent.js';
import { FlowerError } from '../../shared/errors.js';
import type { TraceEntry } from '../store/trace.js';
import type { AgentInfo, ReportState } from '../types.js';
import { statusLabel, statusMatches, type AgentStatus, type WaitTarget } from './agent-status.js';

export interface StatusHubHost {
  agent(id: string): Agent | undefined;
  record(e: Omit<TraceEntry, 'ts'>): void;
  /** The operator is wanted: the cockpit rings and notifies (the reason reads after the agent's id). */
  attention(id: string, reason: string): void;
  /** The agent finished its turn (hook-reported idle): a refresh waiting for that may run. */
  quiet(id: string): void;
}

const REPORTABLE: ReadonlySet<string> = new Set<ReportState>(['working', 'needs-you', 'idle', 'compacting', 'starting']);

/**
 * Where status transitions go: one trace line each, the inbox's attention event for every new
 * needs-you, the refresher on a hook-reported idle, and `wait` requests.
 */
export class StatusHub {
  private readonly waiters = new Set<{ id: string; check: (info: AgentInfo) => boolean; gone: () => void }>();

  constructor(private readonly host: StatusHubHost) {}

  /** Wire an agent's status events (call once per Agent object). */
  attach(agent: Agent): void {
    agent.on('status', (info: AgentInfo, before: AgentStatus) => this.transition(info, before));
  }

  private transition(info: AgentInfo, before: AgentStatus): void {
    const s = info.status;
    if (s.state !== before.state) {
      this.host.record({
        actor: s.source === 'hook' ? 'agent' : 'server',
        action: 'state',
        target: info.id,
        details: { state: s.state, reason: s.reason, source: s.source, from: before.state, fromSince: before.since },
        outcome: s.state,
      });
    }
    if (s.state === 'needs-you' && (before.state !== 'needs-you' || before.reason !== s.reason)) {
      this.host.attention(info.id, attentionText(s.reason));
    }
    if (s.state === 'idle' && before.state !== 'idle' && s.source === 'hook') this.host.quiet(info.id);
    for (const w of [...this.waiters]) if (w.id === info.id && w.check(info)) this.waiters.delete(w);
  }

  /** An agent's own report (its hooks, or `flower-tui report`). */
  report(id: string, state: string, reason: string | null, keepReason = false): AgentInfo {
    const a = this.host.agent(id);
    if (!a) throw new FlowerError('unknown-agent', `no agent "${id}" (see flower-tui status)`);
    if (!REPORTABLE.has(state)) throw new FlowerError('bad-usage', `cannot report "${state}": one of ${[...REPORTABLE].join(', ')}`);
    a.observe({ state: state as ReportState, reason, source: 'hook', keepReason });
    return a.info;
  }

  /**
   * Resolves with the agent's info once it is in `target` (at once when it already is). `sinceInput`:
   * only a state entered after the last text typed into it counts ("send, then wait for idle" cannot
   * return on the idle from before the prompt). Rejects with code `timeout` after `timeoutMs`.
   */
  wait(id: string, target: WaitTarget, opts: { sinceInput?: boolean; timeoutMs?: number }): Promise<AgentInfo> {
    const a = this.host.agent(id);
    if (!a) return Promise.reject(new FlowerError('unknown-agent', `no agent "${id}" (see flower-tui status)`));
    const inputAt = opts.sinceInput ? a.lastInputAt : 0;
    const reached = (info: AgentInfo) => statusMatches(info.status.state, target) && Date.parse(info.status.since) >= inputAt;
    if (reached(a.info)) return Promise.resolve(a.info);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const w = {
        id,
        check: (info: AgentInfo) => {
          if (!reached(info)) return false;
          if (timer) clearTimeout(timer);
          resolve(info);
          return true;
        },
        gone: () => {
          if (timer) clearTimeout(timer);
          reject(new FlowerError('unknown-agent', `${id} was removed`));
        },
      };
      this.waiters.add(w);
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters.delete(w);
          const now = this.host.agent(id)?.info.status;
          reject(new FlowerError('timeout', `${id} did not become ${target} within ${Math.round(opts.timeoutMs! / 100) / 10}s (it is ${now ? statusLabel(now) : 'gone'})`));
        }, opts.timeoutMs);
        timer.unref();
      }
    });
  }

  /** An agent removed: its waiters learn it will never get there. */
  forget(id: string): void {
    for (const w of [...this.waiters]) {
      if (w.id !== id) continue;
      this.waiters.delete(w);
      w.gone();
    }
  }
}

/** "needs permission: Bash(npm publish)", "has a question: Which DB?", "needs you: …". */
export function attentionText(reason: string | null): string {
  if (!reason) return 'needs you';
  const m = /^(permission|question): (.*)$/.exec(reason);
  if (m) return m[1] === 'permission' ? `needs permission: ${m[2]}` : `has a question: ${m[2]}`;
  return `needs you: ${reason}`;
}

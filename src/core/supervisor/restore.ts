import type { FlowerConfig } from '../../config/config.js';
import { describeError } from '../../shared/errors.js';
import { planRestore } from './restore-plan.js';
import type { AgentArgsFile } from '../store/agent-args.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceActor, TraceEntry } from '../store/trace.js';
import type { Notice, PendingRestore, Snapshot, WorktreeInfo } from '../types.js';
import type { AgentRegistry } from './agent-registry.js';

export interface RestoreHost {
  mainRoot: string;
  config(): FlowerConfig;
  store: StateStore | null;
  argsFile: AgentArgsFile | null;
  agents: AgentRegistry;
  worktrees(): WorktreeInfo[];
  record(entry: Omit<TraceEntry, 'ts'>): void;
  notify(text: string, level?: Notice['level']): void;
  changed(): void;
}

/** Bringing back the agents that ran before the server stopped: decided once at start, then done, offered or dropped. */
export class Restorer {
  pending: PendingRestore[] = [];
  /** Agents this start did not restore: the operator stopped them (`server stop`, `Q`). */
  private notRestored: { agents: string[]; by: string; at: number } | null = null;

  constructor(private readonly host: RestoreHost) {}

  /** The snapshot's view: what state remembers as running, and what a deliberate stop kept down. */
  view(): Snapshot['restore'] {
    const { store } = this.host;
    return { remembered: store ? store.data.agents.filter((r) => r.running).map((r) => r.id) : [], notRestored: this.notRestored };
  }

  /**
   * What to bring back from the state file, decided once at server start: done at once ("auto"),
   * offered to the cockpit ("ask"), or dropped ("off"). Returns whether anything was remembered.
   */
  prepare(deliberateStop: { by: string; at: number } | null): boolean {
    const { store, config } = this.host;
    if (!store) return false;
    if (deliberateStop) {
      // Restore is for crashes and reboots; an operator's stop is respected: forget that they ran.
      const ids = store.data.agents.filter((r) => r.running).map((r) => r.id);
      if (ids.length) {
        store.update((s) => s.agents.forEach((r) => (r.running = false)));
        this.notRestored = { agents: ids, by: deliberateStop.by, at: deliberateStop.at };
        this.host.record({ actor: 'server', action: 'restore', target: this.host.mainRoot, details: { notRestored: ids, stoppedBy: deliberateStop.by, stoppedAt: new Date(deliberateStop.at).toISOString() }, outcome: 'skipped', error: 'stopped deliberately' });
        this.host.notify(`not restored, stopped deliberately (${deliberateStop.by}, ${new Date(deliberateStop.at).toLocaleString()}): ${ids.join(', ')} — start them again with n or flower-tui spawn`);
        this.host.changed();
      }
      return store.data.agents.length > 0;
    }
    this.pending = planRestore(store.data.agents, this.host.worktrees(), config().profiles, (id) => this.host.argsFile?.get(id));
    if (this.pending.length === 0) return store.data.agents.length > 0;
    const mode = config().restore;
    if (mode === 'auto') this.restore('server');
    else if (mode === 'off') {
      this.discard('server');
      return false; // as on a first run: the configured agents start fresh
    } else this.host.notify(`${this.pending.length} agent${this.pending.length === 1 ? ' was' : 's were'} running before the server stopped: restore?`);
    this.host.changed();
    return true;
  }

  /** Forget every pending agent: their records and real args go. */
  discard(actor: TraceActor): void {
    const { store, argsFile } = this.host;
    this.host.record({ actor, action: 'restore', target: this.host.mainRoot, details: { discarded: this.pending.map((p) => p.id) }, outcome: 'discarded' });
    store?.update((s) => (s.agents = s.agents.filter((r) => !this.pending.some((p) => p.id === r.id))));
    for (const p of this.pending) argsFile?.delete(p.id);
    this.pending = [];
    this.host.changed();
  }

  /** Start the pending agents (all, or those named), resuming conversations where the profile can. */
  restore(actor: TraceActor, ids?: string[]): void {
    const { store, argsFile } = this.host;
    const todo = this.pending.filter((p) => !ids || ids.includes(p.id));
    this.pending = this.pending.filter((p) => !todo.includes(p));
    const lines: string[] = [];
    for (const p of todo) {
      const rec = store?.data.agents.find((r) => r.id === p.id);
      if (!rec) continue;
      if (p.how === 'missing' || p.how === 'refused') {
        // Reported, not silently dropped: the trace keeps the record, the notice tells the operator.
        lines.push(`${p.id} not restored: ${p.reason ?? 'worktree or profile missing'}`);
        this.host.record({
          actor,
          action: 'restore',
          target: p.id,
          details: { worktree: rec.worktree, cwd: rec.cwd, profile: rec.profile },
          outcome: p.how === 'refused' ? 'refused' : 'skipped',
          error: p.reason ?? 'worktree or profile missing',
        });
        store?.update((s) => (s.agents = s.agents.filter((r) => r.id !== p.id)));
        argsFile?.delete(p.id);
        continue;
      }
      try {
        // The real args (a secret in them included), never state.json's redacted copy.
        const args = argsFile?.get(rec.id) ?? [];
        const info = this.host.agents.spawn(rec.worktree, rec.profile, { name: rec.name, args, resumeSessionId: p.how === 'resume' ? rec.sessionId : null });
        lines.push(`${info.id} ${p.how === 'resume' ? `resumed (session ${rec.sessionId})` : 'started fresh'}`);
        this.host.record({ actor, action: 'restore', target: info.id, details: { how: p.how, sessionId: info.sessionId, pid: info.pid }, outcome: 'ok' });
      } catch (e) {
        lines.push(`${p.id} not restored: ${describeError(e)}`);
        this.host.record({ actor, action: 'restore', target: p.id, outcome: 'error', error: describeError(e) });
      }
    }
    if (lines.length) this.host.notify(`restored: ${lines.join('; ')}`, lines.some((l) => l.includes('not restored')) ? 'error' : 'info');
    this.host.changed();
  }
}

import type { AgentRecord } from './state-store.js';
import type { TraceEntry } from './trace.js';

/**
 * Agents as the trace tells them, for when the state file was lost: replay spawns, respawns,
 * restores, kills, exits and removals in order. Pure.
 */
export function agentsFromTrace(entries: TraceEntry[]): AgentRecord[] {
  const byId = new Map<string, AgentRecord>();
  for (const e of entries) {
    if (e.outcome === 'error') continue;
    if (e.action === 'restore' && e.outcome === 'discarded') {
      // The operator chose not to restore these: a rebuild must not bring them back either.
      const ids = Array.isArray(e.details?.discarded) ? (e.details!.discarded as unknown[]) : [];
      for (const id of ids) if (typeof id === 'string') byId.delete(id);
      continue;
    }
    const d = (e.details ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    switch (e.action) {
      case 'spawn': {
        const [worktree, name] = e.target.split('/');
        if (!worktree || !name || !str(d.profile)) break;
        byId.set(e.target, {
          id: e.target,
          name: str(d.name) ?? name,
          worktree: str(d.worktree) ?? worktree,
          profile: str(d.profile)!,
          args: [],
          cwd: str(d.cwd) ?? '',
          sessionId: str(d.sessionId),
          createdAt: e.ts,
          refreshCount: 0,
          running: d.state !== 'failed',
        });
        break;
      }
      case 'respawn':
      case 'restore': {
        const r = byId.get(e.target);
        if (r && e.outcome === 'ok') {
          r.running = true;
          if (str(d.sessionId)) r.sessionId = str(d.sessionId);
        }
        break;
      }
      case 'kill':
      case 'exit': {
        const r = byId.get(e.target);
        if (r) r.running = false;
        break;
      }
      case 'remove':
        byId.delete(e.target);
        break;
    }
  }
  return [...byId.values()];
}

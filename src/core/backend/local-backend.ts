import type { AgentView, BackendEvent, CockpitBackend, CockpitCommand, CockpitReply } from './cockpit-backend.js';
import { replyOf } from '../commands/table.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { readTrace, type TraceEntry, type TraceFilter } from '../store/trace.js';
import { writeStopMarker } from '../store/deliberate-stop.js';
import { stateDir } from '../store/private-dir.js';
import type { Snapshot, SupervisorEvent } from '../types.js';

/** The cockpit and the supervisor in one process: agents live and die with it (tests, --no-server). */
export class LocalBackend implements CockpitBackend {
  readonly kind = 'local' as const;
  constructor(readonly supervisor: Supervisor) {}

  snapshot(): Snapshot {
    return this.supervisor.snapshot();
  }

  subscribe(fn: (e: SupervisorEvent | BackendEvent) => void): () => void {
    this.supervisor.on('event', fn);
    return () => this.supervisor.off('event', fn);
  }

  async dispatch<C extends CockpitCommand>(cmd: C): Promise<CockpitReply<C>> {
    if (cmd.type === 'stopServer') {
      const agents = this.supervisor.liveAgents().map((a) => a.id);
      this.supervisor.record({ actor: 'operator', action: 'stop', target: this.supervisor.repo.mainRoot, details: { agents, deliberate: true }, outcome: 'ok' });
      writeStopMarker(stateDir(this.supervisor.repo.commonDir), { at: Date.now(), by: 'Q in the cockpit', agents });
      await this.close();
      return null as CockpitReply<C>;
    }
    // As a client of the server gets it, so the cockpit sees one shape whichever backend it has.
    const c = cmd as Exclude<C, { type: 'stopServer' }>;
    return replyOf(c, await this.supervisor.dispatch(c)) as CockpitReply<C>;
  }

  readTrace(filter: TraceFilter): TraceEntry[] {
    return readTrace(stateDir(this.supervisor.repo.commonDir), filter);
  }

  agent(id: string): AgentView | undefined {
    return this.supervisor.agent(id);
  }

  close(): Promise<void> {
    return this.supervisor.shutdown();
  }

  closeNow(): void {
    this.supervisor.killAllNow();
  }
}

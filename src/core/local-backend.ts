import type { AgentView, BackendEvent, CockpitBackend, CockpitCommand, LaneCommand } from './backend.js';
import type { Supervisor } from './supervisor/supervisor.js';
import { readTrace, type TraceEntry, type TraceFilter } from './store/trace.js';
import { writeStopMarker } from './deliberate-stop.js';
import { stateDir } from './private-dir.js';
import type { AgentInfo, Snapshot, SupervisorEvent } from './types.js';

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

  async dispatch(cmd: CockpitCommand): Promise<AgentInfo | void> {
    if (cmd.type === 'stopServer') {
      const agents = this.supervisor.liveAgents().map((a) => a.id);
      this.supervisor.record({ actor: 'operator', action: 'stop', target: this.supervisor.repo.mainRoot, details: { agents, deliberate: true }, outcome: 'ok' });
      writeStopMarker(stateDir(this.supervisor.repo.commonDir), { at: Date.now(), by: 'Q in the cockpit', agents });
      return this.close();
    }
    return this.supervisor.dispatch(cmd);
  }

  readTrace(filter: TraceFilter): TraceEntry[] {
    return readTrace(stateDir(this.supervisor.repo.commonDir), filter);
  }

  laneCommand(cmd: LaneCommand): Promise<unknown> {
    return this.supervisor.laneCommand(cmd, 'operator');
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

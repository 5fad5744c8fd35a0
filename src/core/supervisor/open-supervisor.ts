import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import { markStopApplied, pendingStop } from '../store/deliberate-stop.js';
import { ensurePrivateDir, stateDir } from '../store/private-dir.js';
import type { RepoLocation } from '../git/repo.js';
import { agentsFromTrace } from '../store/rebuild-state.js';
import { StateStore } from '../store/state-store.js';
import { readTrace, TraceWriter } from '../store/trace.js';
import { Supervisor, type SizeHint, type SupervisorOptions } from './supervisor.js';
import type { TraceActor } from '../store/trace.js';
import { describeError } from '../../shared/errors.js';

/**
 * A supervisor with its memory: state (restore) and the trace, under `<git common dir>/flower/`.
 * A corrupt state file never blocks startup: it is moved aside, the operator is told in one line,
 * and the agents are rebuilt from the trace (worktrees always come from git).
 * Then either the remembered agents are restored (per `restore`) or, on a first run, the configured
 * agents are started.
 */
export async function openSupervisor(opts: { repo: RepoLocation; config: FlowerConfig; actor: TraceActor; sizeHint?: SizeHint; pollMs?: number; hooks?: SupervisorOptions['hooks'] }): Promise<Supervisor> {
  const dir = stateDir(opts.repo.commonDir);
  ensurePrivateDir(dir);
  const trace = new TraceWriter(dir);
  trace.repair();
  let supervisor: Supervisor | null = null;
  // A failed state write (disk full, permissions) is told to the operator, never a crash.
  const opened = StateStore.open(dir, new Date(), (e) => supervisor?.notify(`could not save state: ${describeError(e)}`, 'error'));
  if (opened.movedAside) {
    opened.store.update((s) => (s.agents = agentsFromTrace(readTrace(dir))));
  }
  supervisor = await Supervisor.open({ repo: opts.repo, config: opts.config, store: opened.store, trace, pollMs: opts.pollMs, hooks: opts.hooks });
  supervisor.record({ actor: opts.actor, action: 'start', target: opts.repo.mainRoot, details: { pid: process.pid, config: opts.config.source }, outcome: 'ok' });
  if (opened.movedAside) {
    const msg = `state file was unusable (${opened.reason}): moved aside to ${path.basename(opened.movedAside)}; rebuilt from git and the trace`;
    supervisor.record({ actor: 'server', action: 'state.recover', target: opened.store.file, details: { movedTo: opened.movedAside, reason: opened.reason }, outcome: 'ok' });
    supervisor.notify(msg, 'error');
  }
  await supervisor.startMonitor();
  // An operator's stop since the last start: remembered, so those agents are not brought back.
  const stop = pendingStop(dir);
  const remembered = supervisor.prepareRestore(stop);
  if (stop) markStopApplied(dir, stop);
  if (!remembered) {
    const { errors } = supervisor.startConfiguredAgents(opts.sizeHint);
    for (const e of errors) supervisor.notify(`could not start a configured agent: ${e}`, 'error');
  }
  return supervisor;
}

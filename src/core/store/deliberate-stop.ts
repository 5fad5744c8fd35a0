import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// An operator's stop (`server stop`, `Q`) is remembered, so the next start does not bring the agents
// back as it does after a crash or a reboot. A marker file rather than a field in state.json: the
// client that stops a server which is not (yet) serving writes it too, and clients never load the
// state store. Plain fs, no dependencies: the CLI imports this.

export const STOP_FILE = 'stop.json';

export interface StopMarker {
  /** When the stop was asked for (ms since the epoch). */
  at: number;
  /** Who asked: "server stop", "Q" (the cockpit), … */
  by: string;
  /** The agents that were running then (null when no server answered). */
  agents: string[] | null;
  /** Set by the first server started after the stop, once it has applied it (not restored the agents). */
  appliedAt?: number;
}

export function readStopMarker(stateDir: string): StopMarker | null {
  try {
    const j = JSON.parse(readFileSync(path.join(stateDir, STOP_FILE), 'utf8')) as Partial<StopMarker>;
    return typeof j.at === 'number' ? { at: j.at, by: typeof j.by === 'string' ? j.by : 'a stop', agents: Array.isArray(j.agents) ? j.agents.map(String) : null, appliedAt: typeof j.appliedAt === 'number' ? j.appliedAt : undefined } : null;
  } catch {
    return null;
  }
}

/** Written atomically (temp file + rename), 0600. Best effort: a stop must never fail on it. */
export function writeStopMarker(stateDir: string, marker: StopMarker): void {
  const file = path.join(stateDir, STOP_FILE);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(marker), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    /* the state dir is gone (repository deleted): nothing to restore either */
  }
}

/**
 * A server started (spawned) before the last stop was asked for must not serve: it lost a start race
 * (parallel cold starts), waited for the lock, and would otherwise take over after the stop.
 */
export function stoppedSince(stateDir: string, spawnedAt: number): StopMarker | null {
  const m = readStopMarker(stateDir);
  return m && m.at >= spawnedAt ? m : null;
}

/** The stop the next restore must honour: one not yet applied by a server. */
export function pendingStop(stateDir: string): StopMarker | null {
  const m = readStopMarker(stateDir);
  return m && m.appliedAt === undefined ? m : null;
}

export function markStopApplied(stateDir: string, m: StopMarker, now = Date.now()): void {
  writeStopMarker(stateDir, { ...m, appliedAt: now });
}

/**
 * What the next server start would do, read by a client while no server runs (plain JSON, not the
 * state store): restore the agents remembered as running, unless the operator's stop says otherwise.
 */
export function nextStartRestore(stateDir: string): { restores: string[]; stop: StopMarker | null } {
  const stop = pendingStop(stateDir);
  let running: string[] = [];
  try {
    const s = JSON.parse(readFileSync(path.join(stateDir, 'state.json'), 'utf8')) as { agents?: { id?: unknown; running?: unknown }[] };
    running = (s.agents ?? []).filter((a) => a && a.running === true && typeof a.id === 'string').map((a) => a.id as string);
  } catch {
    /* no state yet */
  }
  return { restores: stop ? [] : running, stop };
}

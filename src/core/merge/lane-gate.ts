import { allChanges, headSha } from './merge-git.js';
import { runCheck } from './run-check.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';

/**
 * The host's half of merging a remote lane (issue 19): MAIN's server, on another machine, asks this
 * host to run its merge gate in one of this host's lanes (`flower-tui gate LANE` over ssh). The host
 * only reports — the lane's commit and changes before, the gate's outcome, the commit and changes
 * after — and MAIN decides: it merges only the commit the gate passed on, unchanged throughout.
 */
export interface LaneGateReport {
  lane: string;
  branch: string | null;
  /** The lane's commit when asked (and the commit the gate ran on). */
  head: string | null;
  kind: 'standing' | 'ephemeral';
  /** Uncommitted changes when asked ("XY path" lines). */
  dirty: string[];
  /** Null when the gate was not run: only asked about the lane, or it was not at the expected commit, or dirty. */
  gate: { ok: boolean; code: number | null; timedOut: boolean; tail: string[]; durationMs: number } | null;
  headAfter: string | null;
  dirtyAfter: string[];
}

export async function gateLane(opts: {
  lane: { name: string; path: string; branch: string | null };
  kind: 'standing' | 'ephemeral';
  /** Run the gate only when the lane is exactly at this commit (and clean). */
  expect?: string;
  /** The gate: MAIN's merge.gate, MAIN being the one that decides what enters it. */
  command?: string;
  timeoutMs: number;
  sandbox?: SandboxDecision;
}): Promise<LaneGateReport> {
  const { lane } = opts;
  const head = await headSha(lane.path).catch(() => null);
  const dirty = await allChanges(lane.path);
  const report: LaneGateReport = { lane: lane.name, branch: lane.branch, head, kind: opts.kind, dirty, gate: null, headAfter: head, dirtyAfter: dirty };
  if (!opts.command || !opts.expect || head !== opts.expect || dirty.length) return report;
  const g = await runCheck(opts.command, { cwd: lane.path, sandbox: opts.sandbox, timeoutMs: opts.timeoutMs });
  report.gate = { ok: g.ok, code: g.code, timedOut: g.timedOut, tail: g.tail.slice(-40), durationMs: g.durationMs };
  report.headAfter = await headSha(lane.path).catch(() => null);
  report.dirtyAfter = await allChanges(lane.path);
  return report;
}

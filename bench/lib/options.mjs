// What this run was asked for and the sizes that follow from it. run.mjs fills these in from its
// arguments before any section runs; the libraries and sections read them (one copy, not a parameter
// threaded through every call).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
export const COLS = 120;
export const ROWS = 40;
export const MB = 1024 * 1024;

/** The parsed options (run.mjs sets them; `only` starts as the whole section list there). */
export const opt = { quick: false, only: [], profile: null, keep: false, write: null };
/** --only throughput:b+c → SUB.throughput = ['b', 'c']: only those workloads of a section. */
export const SUB = {};
/** Workload sizes and phase lengths; filled by setSizes(opt.quick). */
export const SIZE = {};
export function setSizes(Q) {
  Object.assign(SIZE, {
    seqN: Q ? 200_000 : 2_000_000,
    textBytes: (Q ? 5 : 50) * MB,
    throughputReps: Q ? 1 : 2,
    agentBytes: (Q ? 5 : 50) * MB,
    echoKeys: Q ? 40 : 250,
    floodKeys: Q ? 10 : 40,
    focusSwitches: Q ? 4 : 12,
    cpuPhaseS: Q ? 3 : 30,
    cpuSettleS: Q ? 3 : 25,
    memLines: Q ? 1000 : 10_000,
    tailAppendBytes: 5 * MB,
    tailBig: (Q ? 20 : 500) * MB,
    startupCold: Q ? 1 : 3,
    startupWarm: Q ? 1 : 5,
    flickerS: Q ? 3 : 20,
    sshEchoKeys: Q ? 30 : 250,
    // load: lanes × agents per lane (a third each flooding, spinning, idle), bytes per flood
    loadLanes: Q ? 2 : 6,
    loadPerLane: Q ? 3 : 5,
    loadFloodBytes: (Q ? 2 : 50) * MB,
    // scale: agents (in 4 lanes), lanes (one agent each) and scrollback lengths; phase lengths
    scaleAgents: Q ? [1, 4] : [1, 8, 32, 64],
    scaleLanes: Q ? [4] : [4, 16, 64],
    scaleScrollback: Q ? [1000] : [1000, 5000, 50_000],
    scaleScrollbackAgents: Q ? 1 : 4,
    scaleSettleS: Q ? 1 : 8,
    scalePhaseS: Q ? 1 : 10,
    scaleQuietMaxMs: Q ? 1500 : 10_000,
    scaleWarm: !Q, // --quick: the first frame cold only (no second opening of the cockpit/client)
  });
}

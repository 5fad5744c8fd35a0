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
    seqN: Q ? 400_000 : 2_000_000,
    textBytes: (Q ? 10 : 50) * MB,
    throughputReps: Q ? 1 : 2,
    agentBytes: (Q ? 10 : 50) * MB,
    echoKeys: Q ? 100 : 250,
    floodKeys: Q ? 20 : 40,
    focusSwitches: Q ? 6 : 12,
    cpuPhaseS: Q ? 10 : 30,
    cpuSettleS: Q ? 10 : 25,
    memLines: Q ? 3000 : 10_000,
    tailAppendBytes: 5 * MB,
    tailBig: (Q ? 100 : 500) * MB,
    startupCold: Q ? 2 : 3,
    startupWarm: Q ? 3 : 5,
    flickerS: Q ? 8 : 20,
    sshEchoKeys: Q ? 60 : 250,
    // load: lanes × agents per lane (a third each flooding, spinning, idle), bytes per flood
    loadLanes: Q ? 3 : 6,
    loadPerLane: Q ? 3 : 5,
    loadFloodBytes: (Q ? 5 : 50) * MB,
    // scale: agents (in 4 lanes), lanes (one agent each) and scrollback lengths; phase lengths
    scaleAgents: Q ? [1, 4, 8] : [1, 8, 32, 64],
    scaleLanes: Q ? [4, 8] : [4, 16, 64],
    scaleScrollback: Q ? [1000, 5000] : [1000, 5000, 50_000],
    scaleScrollbackAgents: Q ? 1 : 4,
    scaleSettleS: Q ? 1 : 8,
    scalePhaseS: Q ? 1.5 : 10,
    scaleQuietMaxMs: Q ? 3000 : 10_000,
    scaleWarm: !Q, // --quick: the first frame cold only (no second opening of the cockpit/client)
  });
}

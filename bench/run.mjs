#!/usr/bin/env node
// flower-tui benchmark: flower-tui and tmux side by side, in the same run, on the same workloads.
//
//   npm run bench                      (= npm run build && node bench/run.mjs)
//   node bench/run.mjs --quick         smaller sizes and shorter phases, each section once (~3 min on 2 cores:
//                                      the sections' own start-ups and settling times are most of it)
//   node bench/run.mjs --only throughput,echo   (--only throughput:b+c: only those workloads)
//   node bench/run.mjs --section sandbox        one section (repeatable; the same as --only)
//   node bench/run.mjs --profile DIR   run flower-tui (TUI and server) with --cpu-prof into DIR (the server is
//                                      started by the bench then, so cold start-up is not cold)
//   node bench/run.mjs --keep          keep the temp dir (workload files, repos, logs)
//   node bench/run.mjs --no-write      do not rewrite bench/results.md (only full runs rewrite it by default;
//                                      --write makes a --quick/--only run rewrite it too; ssh-echo, load and scale
//                                      write their own block of it, and scale bench/scale.svg, unless --quick)
//
// Sections: throughput flood echo cpu memory tail startup flicker sandbox ssh-echo load scale (see
// bench/results.md for what each measures). Plain Node ESM; uses @lydell/node-pty (outer ptys) and @xterm/headless (reading the
// screen where a section needs it), both already dependencies of flower-tui, plus tmux, /proc and
// the flower-tui CLI. Every process, tmux server, flower-tui server and temp dir it creates is removed
// on every exit path.
//
// The runner: options, the section table, the sections in order, the summary and results.md. Each
// section is bench/sections/<name>.mjs; what they share (outer ptys, flower-tui and tmux sessions,
// workloads, /proc figures, clean-up, the results) is in bench/lib/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TMP, cleanupAll, openTemp } from './lib/cleanup.mjs';
import { fmt, log } from './lib/format.mjs';
import { ROOT, SUB, opt, setSizes } from './lib/options.mjs';
import { cpuTotals } from './lib/proc.mjs';
import { machine, writeResults } from './lib/results-md.mjs';
import { rows, sectionBusy, table } from './lib/results.mjs';
import { sectionCpu } from './sections/cpu.mjs';
import { sectionEcho } from './sections/echo.mjs';
import { sectionFlicker } from './sections/flicker.mjs';
import { sectionFlood } from './sections/flood.mjs';
import { sectionMemory } from './sections/memory.mjs';
import { sectionSandbox } from './sections/sandbox.mjs';
import { sectionStartup } from './sections/startup.mjs';
import { sectionTail } from './sections/tail.mjs';
import { sectionThroughput } from './sections/throughput.mjs';
import { sectionLoad } from './sections/load.mjs';
import { sectionScale } from './sections/scale.mjs';
import { sectionSshEcho } from './sections/ssh-echo.mjs';

// ───────────────────────────── sections, in the order they run ─────────────────────────────
const RUNNERS = { throughput: sectionThroughput, flood: sectionFlood, echo: sectionEcho, cpu: sectionCpu, memory: sectionMemory, tail: sectionTail, startup: sectionStartup, flicker: sectionFlicker, sandbox: sectionSandbox, 'ssh-echo': sectionSshEcho, load: sectionLoad, scale: sectionScale };
const SECTIONS = Object.keys(RUNNERS);

// ───────────────────────────── options ─────────────────────────────
const argv = process.argv.slice(2);
opt.only = SECTIONS;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--quick') opt.quick = true;
  else if (a === '--only') opt.only = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
  else if (a.startsWith('--only=')) opt.only = a.slice(7).split(',').map((s) => s.trim()).filter(Boolean);
  // --section NAME (repeatable): one section, as issue 20 names it; the same as --only NAME[,NAME].
  else if (a === '--section') opt.only = [...(opt.only === SECTIONS ? [] : opt.only), ...argv[++i].split(',').map((s) => s.trim()).filter(Boolean)];
  else if (a.startsWith('--section=')) opt.only = [...(opt.only === SECTIONS ? [] : opt.only), ...a.slice(10).split(',').map((s) => s.trim()).filter(Boolean)];
  else if (a === '--profile') opt.profile = path.resolve(argv[++i]);
  else if (a === '--keep') opt.keep = true;
  else if (a === '--no-write') opt.write = false;
  else if (a === '--write') opt.write = true;
  else if (a === '-h' || a === '--help') {
    console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 19).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else {
    console.error(`bench: unknown option ${a} (see --help)`);
    process.exit(2);
  }
}
// --only throughput:b,c runs only those workloads of a section
opt.only = opt.only.map((s) => {
  const [name, sub] = s.split(':');
  if (sub) SUB[name] = sub.split('+');
  return name;
});
for (const s of opt.only) {
  if (!SECTIONS.includes(s)) {
    console.error(`bench: unknown section ${s} (one of ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
}
// Only a full run replaces bench/results.md, unless asked (--write) or told not to (--no-write).
opt.write ??= !opt.quick && opt.only.length === SECTIONS.length && !Object.keys(SUB).length && !opt.profile;
setSizes(opt.quick);
// Only now (the options are good) is there a temp dir to remove on exit.
openTemp();

// ───────────────────────────── main ─────────────────────────────
async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('bench: flower-tui is not built (npm run build)');
    process.exit(2);
  }
  if (spawnSync('tmux', ['-V']).status !== 0) {
    console.error('bench: tmux is not installed');
    process.exit(2);
  }
  const m = machine();
  log(`flower-tui bench${opt.quick ? ' (--quick)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memory}, node ${m.node}, ${m.tmux}, load ${m.load}`);
  log(`temp dir ${TMP}${opt.profile ? `; CPU profiles → ${opt.profile}` : ''}`);
  const t0 = performance.now();
  const ran = [];
  const failures = [];
  for (const s of SECTIONS) {
    if (!opt.only.includes(s)) continue;
    const ts = performance.now();
    const c0 = cpuTotals();
    try {
      await RUNNERS[s]();
      ran.push(s);
    } catch (e) {
      failures.push(`${s}: ${e.message.split('\n')[0]}`);
      console.error(`bench: section ${s} failed: ${e.stack ?? e}`);
    }
    const c1 = cpuTotals();
    const busy = (1 - (c1.idle - c0.idle) / Math.max(1, c1.total - c0.total)) * 100;
    sectionBusy.push(`${s} ${fmt(busy, 0)} %`);
    log(`  (${s}: ${fmt((performance.now() - ts) / 1000, 1)} s, machine CPU busy ${fmt(busy, 0)} % of ${os.cpus().length} cores)`);
  }
  const elapsed = (performance.now() - t0) / 1000;
  log(`\n${table(false)}\n`);
  const missed = rows.filter((r) => r.met === false);
  log(missed.length ? `targets missed: ${missed.map((r) => `${r.section}: ${r.metric}`).join('; ')}` : 'all targets met');
  if (failures.length) log(`sections failed: ${failures.join('; ')}`);
  if (opt.write) writeResults(m, ran, elapsed, failures, SECTIONS.length);
  cleanupAll();
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  cleanupAll();
  process.exit(1);
});

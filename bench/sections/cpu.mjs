// bench section "cpu": CPU of 16 silent agents, then of 4 of them spinning at 10 Hz.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { FlowerRun } from '../lib/flower.mjs';
import { fmt, log } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { cpuOf } from '../lib/proc.mjs';
import { result, rows } from '../lib/results.mjs';
import { TmuxRun } from '../lib/tmux.mjs';
import { mkfifo, script, trigger, writeNodeScripts } from '../lib/workloads.mjs';

export async function sectionCpu() {
  log(`\n## CPU (16 silent agents for ${SIZE.cpuPhaseS} s, then 4 of them spinning at 10 Hz for ${SIZE.cpuPhaseS} s)`);
  const { spinner } = writeNodeScripts();
  const lanes = ['l1', 'l2', 'l3', 'l4'];
  const measure = async (pids, seconds) => {
    const c0 = cpuOf(pids);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const c1 = cpuOf(pids);
    const s = (performance.now() - t0) / 1000;
    return { own: ((c1.own - c0.own) / s) * 100, children: ((c1.children - c0.children) / s) * 100 };
  };
  // ── flower-tui: 4 lanes × 4 agents; the first agent of each lane spins once triggered
  const fifos = lanes.map((l) => mkfifo(`spin-flower-${l}`));
  const spinSh = script('spin.sh', `cat "$1" >/dev/null\nexec '${process.execPath}' '${spinner}'`);
  const run = new FlowerRun({
    worktrees: lanes,
    screen: true,
    config: {
      profiles: { idle: { command: '/bin/cat' }, spin: { command: '/bin/sh', args: [spinSh] } },
      worktrees: Object.fromEntries(lanes.map((l, i) => [l, { agents: [{ profile: 'spin', name: 's', args: [fifos[i]] }, { profile: 'idle', name: 'a' }, { profile: 'idle', name: 'b' }, { profile: 'idle', name: 'c' }] }])),
    },
  });
  const o = run.startTui();
  await o.waitScreen((s) => lanes.every((l) => s.includes(` ${l} `)) && (s.match(/● running/g) ?? []).length >= 16, 30_000, '16 running agents');
  o.screenOn = false;
  const tuiPid = o.pid;
  const srvPid = await run.serverPid();
  // The steady state is what is measured: the first seconds after start-up hold one-off work (V8's
  // memory reducer runs a full GC 10–20 s after start-up, lazy compilation). Reported separately.
  const early0 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]), t: performance.now() };
  await sleep(SIZE.cpuSettleS * 1000);
  const early1 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]), t: performance.now() };
  const earlyPct = (((early1.tui.own - early0.tui.own + early1.srv.own - early0.srv.own) / ((early1.t - early0.t) / 1000)) * 100);
  const silent = await (async () => {
    const c0 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]) };
    const t0 = performance.now();
    await sleep(SIZE.cpuPhaseS * 1000);
    const s = (performance.now() - t0) / 1000;
    const c1 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]) };
    return { tui: ((c1.tui.own - c0.tui.own) / s) * 100, srv: ((c1.srv.own - c0.srv.own) / s) * 100, git: ((c1.srv.children - c0.srv.children) / s) * 100 };
  })();
  for (const f of fifos) await trigger(f);
  await sleep(1500);
  const spin = await (async () => {
    const c0 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]) };
    const b0 = o.bytes;
    const t0 = performance.now();
    await sleep(SIZE.cpuPhaseS * 1000);
    const s = (performance.now() - t0) / 1000;
    const c1 = { tui: cpuOf([tuiPid]), srv: cpuOf([srvPid]) };
    return { tui: ((c1.tui.own - c0.tui.own) / s) * 100, srv: ((c1.srv.own - c0.srv.own) / s) * 100, git: ((c1.srv.children - c0.srv.children) / s) * 100, bytesPerS: (o.bytes - b0) / s };
  })();
  await run.stop();

  // ── tmux: 16 panes tiled, 4 spinners
  const tf = lanes.map((l) => mkfifo(`spin-tmux-${l}`));
  const panes = [];
  for (let i = 0; i < 16; i++) panes.push(i % 4 === 0 ? `sh '${spinSh}' '${tf[i / 4]}'` : 'cat');
  const tr = new TmuxRun({ panes });
  const to = tr.attach();
  await sleep(3000);
  const tpids = tr.pids();
  const tsilent = (await measure(tpids, SIZE.cpuPhaseS)).own;
  for (const f of tf) await trigger(f);
  await sleep(1500);
  const tb0 = to.bytes;
  const tspinM = await measure(tpids, SIZE.cpuPhaseS);
  const tBytesPerS = (to.bytes - tb0) / SIZE.cpuPhaseS;
  await tr.stop();

  const fs1 = silent.tui + silent.srv;
  const fs2 = spin.tui + spin.srv;
  result('cpu', '16 silent agents: % of a core (server+TUI)', fs1, tsilent, { unit: ' %', target: '0 % (< 0.1)', met: fs1 < 0.1 });
  result('cpu', '4 spinners at 10 Hz: % of a core (server+TUI)', fs2, tspinM.own, { unit: ' %', target: '≤ 1 %', met: fs2 <= 1 });
  log(`    split: silent server ${fmt(silent.srv)} % + TUI ${fmt(silent.tui)} %; spinning server ${fmt(spin.srv)} % + TUI ${fmt(spin.tui)} %`);
  log(`    the server's children (git), not counted above: silent ${fmt(silent.git)} %, spinning ${fmt(spin.git)} %`);
  log(`    the first ${SIZE.cpuSettleS} s after start-up (settling, not counted above): ${fmt(earlyPct)} %`);
  silent.early = earlyPct;
  log(`    bytes/s to the outer terminal while spinning: flower ${fmt(spin.bytesPerS, 0)}, tmux ${fmt(tBytesPerS, 0)}`);
  rows[rows.length - 2].extra = { silent };
  rows[rows.length - 1].extra = { spin, tBytesPerS };
}

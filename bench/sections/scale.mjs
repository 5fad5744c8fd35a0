// bench section "scale" (issue 20 item 6): how the cost grows with the work. At 1, 8, 32 and 64
// agents (4 lanes; --quick: 1, 4, 8): resident memory, idle CPU, CPU with every agent spinning at
// 10 Hz, and the first frame cold and warm; the first frame at 4, 16 and 64 lanes (one agent each);
// memory against scrollback length (1 000, 5 000, 50 000 lines, every line filled). flower-tui and
// tmux in the same run; the slope per agent by least squares. Writes its block of bench/results.md
// and bench/scale.svg (the curves).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TMP, onCleanup } from '../lib/cleanup.mjs';
import { FlowerRun } from '../lib/flower.mjs';
import { fmt, log } from '../lib/format.mjs';
import { ROOT, SIZE, opt } from '../lib/options.mjs';
import { Outer } from '../lib/outer.mjs';
import { cpuOf, quiesce, rssMB, waitUntil } from '../lib/proc.mjs';
import { machine, writeBlock } from '../lib/results-md.mjs';
import { result } from '../lib/results.mjs';
import { leastSquares, linePlots } from '../lib/svg.mjs';
import { tmuxEnv } from '../lib/tmux.mjs';
import { mkfifo, script, trigger } from '../lib/workloads.mjs';

const LANES4 = ['l1', 'l2', 'l3', 'l4'];
let seq = 0;

/** A 10 Hz one-line spinner in perl (a few MB and no forks each: 64 of them stay light). */
function spinnerScripts() {
  const pl = path.join(TMP, 'scale-spin.pl');
  fs.writeFileSync(pl, `$| = 1; my @s = ('.', 'o', 'O', '0', 'O', 'o'); my $i = 0; my $t = time;
while (1) { $i++; printf("\\r\\e[38;2;215;119;87m%s\\e[39m thinking\\e[2m (%ds, esc to interrupt)\\e[22m\\e[K", $s[$i % 6], time - $t); select(undef, undef, undef, 0.1); }
`);
  return script('scale-spin.sh', `cat "$1" >/dev/null\nexec perl '${pl}'`);
}

/** CPU % of a core of pids over `s` seconds (own time only). */
async function cpuPct(pids, s) {
  const c0 = cpuOf(pids).own;
  const t0 = performance.now();
  await sleep(s * 1000);
  return ((cpuOf(pids).own - c0) / ((performance.now() - t0) / 1000)) * 100;
}
const rssOf = (pids) => pids.reduce((a, p) => a + rssMB(p), 0);

// ───────────── flower-tui ─────────────
/** flower-tui's first frame: the first lane's title and the footer counting every agent running. */
const flowerReady = (lanes, n) => (s) => new RegExp(`\\d ${lanes[0]} `).test(s) && Number(/(\d+) (?:agents? )?running/.exec(s)?.[1] ?? -1) >= n && (lanes.length > 4 || lanes.every((l) => s.includes(` ${l} `)));

async function flowerAgents(n, spinSh) {
  const fifos = Array.from({ length: n }, (_, i) => mkfifo(`scale-f-${n}-${i}`));
  const run = new FlowerRun({
    worktrees: LANES4,
    screen: true,
    config: {
      profiles: { spin: { command: '/bin/sh', args: [spinSh] } },
      worktrees: Object.fromEntries(LANES4.map((l, li) => [l, { agents: fifos.map((f, i) => [f, i]).filter(([, i]) => i % 4 === li).map(([f, i]) => ({ profile: 'spin', name: `a${i}`, args: [f] })) }])),
    },
  });
  let o = run.startTui();
  const cold = (await o.waitScreen(flowerReady(LANES4, n), 60_000, `${n} agents (cold)`)) - o.spawnedAt;
  o.screenOn = false;
  const srv = await run.serverPid();
  await sleep(SIZE.scaleSettleS * 1000);
  await quiesce([o.pid, srv], { maxMs: SIZE.scaleQuietMaxMs });
  const mem = { srv: rssMB(srv), tui: rssMB(o.pid) };
  const idle = await cpuPct([o.pid, srv], SIZE.scalePhaseS);
  let warm = NaN;
  if (SIZE.scaleWarm) {
    await run.closeTui();
    await sleep(300);
    o = run.startTui();
    warm = (await o.waitScreen(flowerReady(LANES4, n), 30_000, `${n} agents (warm)`)) - o.spawnedAt;
    o.screenOn = false;
    await sleep(1000);
  }
  for (const f of fifos) await trigger(f);
  await sleep(1500);
  const spin = await cpuPct([o.pid, srv], SIZE.scalePhaseS);
  await run.stop();
  return { mem: mem.srv + mem.tui, memSplit: mem, idle, spin, cold, warm };
}

async function flowerLanes(nl) {
  const lanes = Array.from({ length: nl }, (_, i) => `l${i + 1}`);
  const run = new FlowerRun({ worktrees: lanes, screen: true, config: { profiles: { idle: { command: '/bin/cat' } }, worktrees: Object.fromEntries(lanes.map((l) => [l, { agents: [{ profile: 'idle', name: 'a' }] }])) } });
  let o = run.startTui();
  const cold = (await o.waitScreen(flowerReady(lanes, nl), 90_000, `${nl} lanes (cold)`)) - o.spawnedAt;
  let warm = NaN;
  if (SIZE.scaleWarm) {
    await sleep(1000);
    await run.closeTui();
    await sleep(300);
    o = run.startTui();
    warm = (await o.waitScreen(flowerReady(lanes, nl), 30_000, `${nl} lanes (warm)`)) - o.spawnedAt;
  }
  await run.stop();
  return { cold, warm };
}

async function flowerScrollback(lines, k, fill) {
  const fifos = Array.from({ length: k }, (_, i) => mkfifo(`scale-sb-${lines}-${i}`));
  const run = new FlowerRun({
    worktrees: ['l1'],
    screen: true,
    config: { ui: { scrollback: lines }, profiles: { fill: { command: '/bin/sh', args: [fill] } }, worktrees: { l1: { agents: fifos.map((f, i) => ({ profile: 'fill', name: `f${i}`, args: [f, String(lines + 50)] })) } } },
  });
  const o = run.startTui();
  await o.waitScreen(flowerReady(['l1'], k), 30_000, `${k} fill agents`);
  o.screenOn = false;
  const pids = await run.pids();
  await sleep(1500);
  await quiesce(pids, { maxMs: SIZE.scaleQuietMaxMs });
  const before = rssOf(pids);
  for (const f of fifos) await trigger(f);
  await waitUntil(() => fifos.every((f) => fs.existsSync(`${f}.done`)), 120_000, 'the agents to print their lines', 100);
  await sleep(1000);
  await quiesce(pids, { maxMs: 20_000 });
  await sleep(3000); // the server's idle full GC runs 2 s after a burst
  const after = rssOf(pids);
  await run.stop();
  return { before, after, perAgent: (after - before) / k };
}

// ───────────── tmux ─────────────
/**
 * A tmux session made in the outer pty (cold: a new server), one window per lane named l1…, with
 * `perWindow[w]` panes each; ready when the status line shows the last window (the current one).
 */
function tmuxSession(perWindow, cmdOf, historyLimit = 2000) {
  const sock = `bench-${process.pid}-scale-${++seq}`;
  const kill = () => spawnSync('tmux', ['-L', sock, 'kill-server'], { env: tmuxEnv() });
  onCleanup(kill);
  const args = ['-L', sock, '-f', '/dev/null', 'start-server', ';', 'set', '-g', 'history-limit', String(historyLimit), ';', 'set', '-g', 'status-interval', '0', ';'];
  let pane = 0;
  perWindow.forEach((count, w) => {
    args.push(...(w === 0 ? ['new-session', '-s', 'b', '-n', 'l1', cmdOf(pane++)] : [';', 'new-window', '-n', `l${w + 1}`, cmdOf(pane++)]));
    for (let k = 1; k < count; k++) args.push(';', 'split-window', cmdOf(pane++), ';', 'select-layout', 'tiled');
  });
  const last = `l${perWindow.length}`;
  const ready = (s) => s.split('\n').at(-1).includes(last);
  const o = new Outer('tmux', args, { env: tmuxEnv(), screen: true });
  const serverPid = () => Number(spawnSync('tmux', ['-L', sock, 'display', '-p', '#{pid}'], { encoding: 'utf8', env: tmuxEnv() }).stdout.trim()) || null;
  const attach = () => new Outer('tmux', ['-L', sock, 'attach', '-t', 'b'], { env: tmuxEnv(), screen: true });
  return { sock, o, ready, serverPid, attach, kill };
}

async function tmuxAgents(n, spinSh) {
  const fifos = Array.from({ length: n }, (_, i) => mkfifo(`scale-t-${n}-${i}`));
  const per = LANES4.map((_, li) => fifos.filter((_, i) => i % 4 === li).length).filter((c) => c > 0);
  const order = per.flatMap((c, li) => fifos.filter((_, i) => i % 4 === li));
  const t = tmuxSession(per, (i) => `sh '${spinSh}' '${order[i]}'`);
  const cold = (await t.o.waitScreen(t.ready, 30_000, `tmux ${n} panes (cold)`)) - t.o.spawnedAt;
  t.o.screenOn = false;
  const srv = await waitUntil(() => t.serverPid(), 10_000, 'the tmux server');
  await sleep(Math.min(3, SIZE.scaleSettleS) * 1000);
  await quiesce([t.o.pid, srv], { maxMs: SIZE.scaleQuietMaxMs });
  const mem = { srv: rssMB(srv), client: rssMB(t.o.pid) };
  const idle = await cpuPct([t.o.pid, srv], SIZE.scalePhaseS);
  let a = t.o;
  let warm = NaN;
  if (SIZE.scaleWarm) {
    await t.o.close(); // the client goes; the session stays
    await sleep(300);
    a = t.attach();
    warm = (await a.waitScreen(t.ready, 30_000, `tmux ${n} panes (warm)`)) - a.spawnedAt;
    a.screenOn = false;
    await sleep(500);
  }
  for (const f of fifos) await trigger(f);
  await sleep(1500);
  const spin = await cpuPct([a.pid, srv], SIZE.scalePhaseS);
  t.kill();
  await a.close();
  return { mem: mem.srv + mem.client, memSplit: mem, idle, spin, cold, warm, lanes: per.length };
}

async function tmuxLanes(nl) {
  const t = tmuxSession(Array(nl).fill(1), () => 'cat');
  const cold = (await t.o.waitScreen(t.ready, 30_000, `tmux ${nl} windows (cold)`)) - t.o.spawnedAt;
  let a = t.o;
  let warm = NaN;
  if (SIZE.scaleWarm) {
    await sleep(500);
    await t.o.close();
    await sleep(300);
    a = t.attach();
    warm = (await a.waitScreen(t.ready, 30_000, `tmux ${nl} windows (warm)`)) - a.spawnedAt;
  }
  t.kill();
  await a.close();
  return { cold, warm };
}

async function tmuxScrollback(lines, k, fill) {
  const fifos = Array.from({ length: k }, (_, i) => mkfifo(`scale-tsb-${lines}-${i}`));
  const t = tmuxSession([k], (i) => `sh '${fill}' '${fifos[i]}' ${lines + 50}`, lines);
  await t.o.waitScreen(t.ready, 30_000, 'tmux fill panes');
  t.o.screenOn = false;
  const srv = await waitUntil(() => t.serverPid(), 10_000, 'the tmux server');
  await sleep(1000);
  const before = rssMB(srv) + rssMB(t.o.pid);
  for (const f of fifos) await trigger(f);
  await waitUntil(() => fifos.every((f) => fs.existsSync(`${f}.done`)), 120_000, 'tmux panes to print their lines', 100);
  await quiesce([srv, t.o.pid], { maxMs: 20_000 });
  await sleep(1000);
  const after = rssMB(srv) + rssMB(t.o.pid);
  t.kill();
  await t.o.close();
  return { before, after, perAgent: (after - before) / k };
}

// ───────────── the section ─────────────
export async function sectionScale() {
  const A = SIZE.scaleAgents;
  const LN = SIZE.scaleLanes;
  const SB = SIZE.scaleScrollback;
  const K = SIZE.scaleScrollbackAgents;
  log(`\n## scale (agents ${A.join(', ')} in 4 lanes; lanes ${LN.join(', ')}; scrollback ${SB.join(', ')} lines × ${K} agents)`);
  const m0 = machine();
  const spinSh = spinnerScripts();
  const fill = script('scale-fill.sh', `cat "$1" >/dev/null\nseq -f '%06g lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt' 1 "$2"\ntouch "$1.done"\nexec cat`);
  const agents = [];
  for (const n of A) {
    const f = await flowerAgents(n, spinSh);
    const t = await tmuxAgents(n, spinSh);
    agents.push({ n, f, t });
    log(`    ${n} agents: memory ${fmt(f.mem, 1)} vs ${fmt(t.mem, 1)} MB · idle ${fmt(f.idle)} vs ${fmt(t.idle)} % · spinning ${fmt(f.spin)} vs ${fmt(t.spin)} % · first frame cold ${fmt(f.cold, 0)} vs ${fmt(t.cold, 0)} ms, warm ${fmt(f.warm, 0)} vs ${fmt(t.warm, 0)} ms`);
  }
  const lanes = [];
  for (const nl of LN) {
    const f = await flowerLanes(nl);
    const t = await tmuxLanes(nl);
    lanes.push({ n: nl, f, t });
    log(`    ${nl} lanes: first frame cold ${fmt(f.cold, 0)} vs ${fmt(t.cold, 0)} ms, warm ${fmt(f.warm, 0)} vs ${fmt(t.warm, 0)} ms`);
  }
  const sb = [];
  for (const lines of SB) {
    const f = await flowerScrollback(lines, K, fill);
    const t = await tmuxScrollback(lines, K, fill);
    sb.push({ n: lines, f, t });
    log(`    scrollback ${lines}: ${K} agents full ${fmt(f.after, 1)} vs ${fmt(t.after, 1)} MB, per agent ${fmt(f.perAgent, 2)} vs ${fmt(t.perAgent, 2)} MB`);
  }

  // slopes (least squares) and the table rows
  const fit = (list, pick) => leastSquares(list.map((r) => ({ x: r.n, y: pick(r) })));
  const metrics = [
    ['memory (server + cockpit / server + client)', 'MB', (s) => s.mem, 1],
    ['idle CPU (% of a core)', '%', (s) => s.idle, 2],
    ['CPU, every agent spinning at 10 Hz (% of a core)', '%', (s) => s.spin, 2],
    ['first frame, cold (ms)', 'ms', (s) => s.cold, 0],
    ['first frame, warm (ms)', 'ms', (s) => s.warm, 0],
  ].filter(([name]) => SIZE.scaleWarm || !name.includes('warm'));
  const slopes = {};
  for (const [name, unit, pick, d] of metrics) {
    const F = fit(agents, (r) => pick(r.f));
    const T = fit(agents, (r) => pick(r.t));
    slopes[name] = { F, T };
    const last = agents.at(-1);
    result('scale', `${name.replace(/ \(.*\)$/, '')} at ${last.n} agents`, pick(last.f), pick(last.t), { unit: ` ${unit}`, digits: d });
    result('scale', `  slope per agent (least squares over ${A.join(', ')})`, F.b, T.b, { unit: ` ${unit}/agent`, digits: d + 2 });
  }
  const laneFit = { F: fit(lanes, (r) => r.f.cold), T: fit(lanes, (r) => r.t.cold) };
  result('scale', `first frame, cold, at ${lanes.at(-1).n} lanes`, lanes.at(-1).f.cold, lanes.at(-1).t.cold, { unit: ' ms', digits: 0 });
  result('scale', '  slope per lane', laneFit.F.b, laneFit.T.b, { unit: ' ms/lane', digits: 1 });
  const sbFit = { F: fit(sb, (r) => r.f.perAgent), T: fit(sb, (r) => r.t.perAgent) };
  result('scale', `memory per agent at ${sb.at(-1).n} lines of scrollback`, sb.at(-1).f.perAgent, sb.at(-1).t.perAgent, { unit: ' MB', digits: 2 });
  result('scale', '  slope per 1000 lines of scrollback', sbFit.F.b * 1000, sbFit.T.b * 1000, { unit: ' MB', digits: 3 });

  // ── the plot
  const FL = { name: 'flower-tui', short: 'flower', color: '#d9480f' };
  const TM = { name: 'tmux', short: 'tmux', color: '#1864ab', dash: '7 4' };
  const series = (list, pick) => [
    { ...FL, points: list.map((r) => ({ x: r.n, y: pick(r.f) })) },
    { ...TM, points: list.map((r) => ({ x: r.n, y: pick(r.t) })) },
  ];
  const date = new Date().toISOString().slice(0, 10);
  const svg = linePlots({
    title: 'flower-tui vs tmux: how the cost grows',
    subtitle: `node bench/run.mjs --section scale${opt.quick ? ' --quick' : ''} · ${date} · ${m0.cores} cores, shared with other work (absolute values noisy; both tools in the same run)`,
    panels: [
      { title: 'resident memory', xLabel: 'agents (4 lanes)', yLabel: 'MB (server + cockpit/client)', series: series(agents, (s) => s.mem) },
      { title: 'idle CPU', xLabel: 'agents (4 lanes, silent)', yLabel: '% of a core', series: series(agents, (s) => s.idle) },
      { title: 'CPU, every agent spinning at 10 Hz', xLabel: 'agents (4 lanes)', yLabel: '% of a core', series: series(agents, (s) => s.spin) },
      { title: 'first frame, cold', xLabel: 'agents (4 lanes)', yLabel: 'ms', series: series(agents, (s) => s.cold) },
      { title: 'first frame, cold', xLabel: 'lanes (one agent each)', yLabel: 'ms', series: series(lanes, (s) => s.cold) },
      { title: `memory per agent (${K} agent${K > 1 ? 's' : ''}, full)`, xLabel: 'scrollback lines', yLabel: 'MB per agent', series: series(sb, (s) => s.perAgent) },
    ],
  });
  const write = !opt.quick || opt.write;
  if (write) {
    fs.writeFileSync(path.join(ROOT, 'bench', 'scale.svg'), svg);
    log('  wrote bench/scale.svg');
  } else {
    const p = path.join(TMP, 'scale.svg');
    fs.writeFileSync(p, svg);
    log(`  (--quick: the plot is in ${p}; --write puts it and the table in bench/)`);
  }

  // ── the results.md block
  const cols = (list) => list.map((r) => r.n);
  const row = (label, list, pick, d, unit = '') => `| ${label} | ${list.map((r) => `${fmt(pick(r.f), d)} / ${fmt(pick(r.t), d)}`).join(' | ')} |`;
  const ratio = (f, t) => (f > 0 && t > 0 ? `${fmt(f / t)}×` : '—');
  const slopeRow = (name, d) => `| ${name} | ${fmt(slopes[name].F.b, d)} | ${fmt(slopes[name].T.b, d)} | ${ratio(slopes[name].F.b, slopes[name].T.b)} | ${fmt(slopes[name].F.r2)} / ${fmt(slopes[name].T.r2)} |`;
  const md = `## How the cost grows (issue 20, \`scale\`)

\`node bench/run.mjs --section scale${opt.quick ? ' --quick' : ''}\`, ${m0.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m0.commit}, load average at start ${m0.load}.
**The machine was shared with other work** (${m0.cores} cores, other engineers building and testing at the same
time), so absolute numbers are noisy; flower-tui and tmux ran in the same run, one after the other at each size,
so the ratios are the comparable figures. Plot: [scale.svg](scale.svg).

Each cell is flower-tui / tmux. Agents: N agents round-robin in 4 lanes (tmux: a window per lane, panes tiled),
each \`cat\` on a fifo until triggered, then a 10 Hz one-line truecolour spinner (perl, no forks). Memory: VmRSS of
server + cockpit (tmux: server + client) ${SIZE.scaleSettleS} s after start-up, CPU quiet. Idle CPU: utime+stime over
${SIZE.scalePhaseS} s, all agents silent. Spinning: every agent spinning, over ${SIZE.scalePhaseS} s. First frame: spawn of
the cockpit (tmux: \`tmux new-session\` building the windows and panes in the outer pty) until the bench's emulator
shows the first lane's title and the footer counts every agent running (tmux: the status line shows the last
window); cold = no server running, warm = the server kept running and the cockpit (client) opened again.

| agents | ${cols(agents).join(' | ')} |
|---|${agents.map(() => '---').join('|')}|
${row('memory, MB', agents, (s) => s.mem, 1)}
${row('idle CPU, % of a core', agents, (s) => s.idle, 2)}
${row('CPU, all spinning, % of a core', agents, (s) => s.spin, 2)}
${row('first frame cold, ms', agents, (s) => s.cold, 0)}
${row('first frame warm, ms', agents, (s) => s.warm, 0)}

| slope per agent (least squares) | flower-tui | tmux | ratio | R² flower / tmux |
|---|---|---|---|---|
${slopeRow('memory (server + cockpit / server + client)', 3)}
${slopeRow('idle CPU (% of a core)', 4)}
${slopeRow('CPU, every agent spinning at 10 Hz (% of a core)', 4)}
${slopeRow('first frame, cold (ms)', 2)}
${SIZE.scaleWarm ? slopeRow('first frame, warm (ms)', 2) : '| first frame, warm | not measured (--quick) | | | |'}

| lanes (one \`cat\` agent each) | ${cols(lanes).join(' | ')} | slope per lane |
|---|${lanes.map(() => '---').join('|')}|---|
| first frame cold, ms | ${lanes.map((r) => `${fmt(r.f.cold, 0)} / ${fmt(r.t.cold, 0)}`).join(' | ')} | ${fmt(laneFit.F.b, 1)} / ${fmt(laneFit.T.b, 1)} |
| first frame warm, ms | ${lanes.map((r) => `${fmt(r.f.warm, 0)} / ${fmt(r.t.warm, 0)}`).join(' | ')} | ${fmt(fit(lanes, (r) => r.f.warm).b, 1)} / ${fmt(fit(lanes, (r) => r.t.warm).b, 1)} |

Scrollback: ${K} agents in one lane, \`ui.scrollback\` (tmux: \`history-limit\`) set to L, each printing L + 50 lines of
~95 characters; memory after CPU went quiet (and flower-tui's server's idle GC), minus the same cockpit before
printing, per agent.

| scrollback lines | ${cols(sb).join(' | ')} | slope per 1000 lines |
|---|${sb.map(() => '---').join('|')}|---|
| memory per agent, MB | ${sb.map((r) => `${fmt(r.f.perAgent, 2)} / ${fmt(r.t.perAgent, 2)}`).join(' | ')} | ${fmt(sbFit.F.b * 1000, 3)} / ${fmt(sbFit.T.b * 1000, 3)} |
| total, MB (${K} agents full) | ${sb.map((r) => `${fmt(r.f.after, 1)} / ${fmt(r.t.after, 1)}`).join(' | ')} | |

Split at ${agents.at(-1).n} agents: flower-tui server ${fmt(agents.at(-1).f.memSplit.srv, 1)} MB + cockpit ${fmt(agents.at(-1).f.memSplit.tui, 1)} MB; tmux server ${fmt(agents.at(-1).t.memSplit.srv, 1)} MB + client ${fmt(agents.at(-1).t.memSplit.client, 1)} MB.
`;
  if (write) writeBlock('scale', md);
  else log(md.split('\n').filter((l) => l.startsWith('|')).map((l) => `    ${l}`).join('\n'));
}

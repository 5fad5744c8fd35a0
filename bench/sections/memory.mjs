// bench section "memory": RSS with no agents, 16 idle agents, and 16 agents whose scrollback is full.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowerRun, flowerCli } from '../lib/flower.mjs';
import { fmt, log } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { quiesce, rssMB, waitUntil } from '../lib/proc.mjs';
import { result, rows } from '../lib/results.mjs';
import { TmuxRun } from '../lib/tmux.mjs';
import { mkfifo, script, trigger } from '../lib/workloads.mjs';

const BASE_TARGET = 150;
const PER_AGENT_TARGET = 2;

export async function sectionMemory() {
  log(`\n## memory (16 agents × ${SIZE.memLines} lines, scrollback 5000)`);
  const lanes = ['l1', 'l2', 'l3', 'l4'];
  const fill = script('fill.sh', `cat "$1" >/dev/null\nseq -f '%06g lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt' 1 ${SIZE.memLines}\ntouch "$1.done"\nexec cat`);
  const rssOf = (pids) => pids.reduce((a, p) => a + rssMB(p), 0);
  // base: the same cockpit with no agents
  const base = new FlowerRun({ worktrees: lanes, screen: true, config: { ui: { scrollback: 5000 }, worktrees: Object.fromEntries(lanes.map((l) => [l, { agents: [] }])) } });
  const bo = base.startTui();
  await bo.waitScreen((s) => lanes.every((l) => s.includes(` ${l} `)), 20_000, 'lanes');
  const bpids = await base.pids();
  await sleep(2000);
  await quiesce(bpids);
  const baseTui = rssMB(bpids[0]);
  const baseSrv = rssMB(bpids[1]);
  await base.stop();

  const fifos = Array.from({ length: 16 }, (_, i) => mkfifo(`fill-flower-${i}`));
  const run = new FlowerRun({
    worktrees: lanes,
    screen: true,
    config: {
      ui: { scrollback: 5000 },
      profiles: { fill: { command: '/bin/sh', args: [fill] } },
      worktrees: Object.fromEntries(lanes.map((l, li) => [l, { agents: [0, 1, 2, 3].map((k) => ({ profile: 'fill', name: `f${k}`, args: [fifos[li * 4 + k]] })) }])),
    },
  });
  const o = run.startTui();
  await o.waitScreen((s) => lanes.every((l) => s.includes(` ${l} `)) && (s.match(/f\d+\b[^·\n]*· fill/g) ?? []).length >= 16, 30_000, '16 agents');
  o.screenOn = false;
  const pids = await run.pids();
  await sleep(2000);
  await quiesce(pids);
  const idle = { tui: rssMB(pids[0]), srv: rssMB(pids[1]) };
  for (const f of fifos) await trigger(f);
  await waitUntil(() => fifos.every((f) => fs.existsSync(`${f}.done`)), 60_000, 'agents to print their lines', 100);
  await sleep(1000);
  await quiesce(pids);
  await sleep(2000);
  const filled = { tui: rssMB(pids[0]), srv: rssMB(pids[1]) };
  const paneSize = (() => {
    try {
      const j = JSON.parse(flowerCli(['status', '--json', '--repo', run.repo.main]).stdout);
      return `${j.agents[0].cols}x${j.agents[0].rows}`;
    } catch {
      return '?';
    }
  })();
  await run.stop();

  // tmux: base with one idle pane, then 16 panes
  const tb = new TmuxRun({ panes: ['cat'], historyLimit: 5000 });
  tb.attach();
  await sleep(1500);
  const tBase = { srv: rssMB(tb.serverPid), client: rssMB(tb.outer.pid) };
  await tb.stop();
  const tfifos = Array.from({ length: 16 }, (_, i) => mkfifo(`fill-tmux-${i}`));
  const tr = new TmuxRun({ panes: tfifos.map((f) => `sh '${fill}' '${f}'`), historyLimit: 5000 });
  tr.attach();
  await sleep(1500);
  const tIdle = { srv: rssMB(tr.serverPid), client: rssMB(tr.outer.pid) };
  for (const f of tfifos) await trigger(f);
  await waitUntil(() => tfifos.every((f) => fs.existsSync(`${f}.done`)), 60_000, 'tmux panes to print their lines', 100);
  await quiesce(tr.pids());
  await sleep(1000);
  const tFilled = { srv: rssMB(tr.serverPid), client: rssMB(tr.outer.pid) };
  const tPane = tr.tmux(['display', '-p', '-t', 'b:0.0', '#{pane_width}x#{pane_height}']).trim();
  await tr.stop();

  const fBase = baseTui + baseSrv;
  const fFilled = filled.tui + filled.srv;
  const perAgent = (fFilled - fBase) / 16;
  const tBaseSum = tBase.srv + tBase.client;
  const tFilledSum = tFilled.srv + tFilled.client;
  // Issue 20's targets: base close to the stack's floor (Ink + React + yoga ~87 MB, xterm + node-pty ~56 MB), 2 MB an agent.
  result('memory', 'base RSS, no agents (flower: server+TUI; tmux: server+client, 1 pane)', fBase, tBaseSum, { unit: ' MB', digits: 1, target: `≤ ${BASE_TARGET} MB`, met: fBase <= BASE_TARGET });
  result('memory', '16 agents started, nothing printed', idle.tui + idle.srv, tIdle.srv + tIdle.client, { unit: ' MB', digits: 1 });
  result('memory', `16 agents × ${SIZE.memLines} lines printed`, fFilled, tFilledSum, { unit: ' MB', digits: 1, target: `≤ ${BASE_TARGET + PER_AGENT_TARGET * 16} MB`, met: fFilled <= BASE_TARGET + PER_AGENT_TARGET * 16 });
  result('memory', 'per agent ((filled − base) / 16)', perAgent, (tFilledSum - tBaseSum) / 16, { unit: ' MB', digits: 2, target: `≤ ${PER_AGENT_TARGET} MB`, met: perAgent <= PER_AGENT_TARGET });
  log(`    split: base server ${fmt(baseSrv, 1)} + TUI ${fmt(baseTui, 1)} MB; started server ${fmt(idle.srv, 1)} + TUI ${fmt(idle.tui, 1)} MB; filled server ${fmt(filled.srv, 1)} + TUI ${fmt(filled.tui, 1)} MB; tmux filled server ${fmt(tFilled.srv, 1)} + client ${fmt(tFilled.client, 1)} MB`);
  log(`    pane sizes: flower ${paneSize}, tmux ${tPane}`);
  rows[rows.length - 1].extra = { baseSrv, baseTui, filled, tFilled, paneSize, tPane };
}

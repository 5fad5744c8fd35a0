// bench section "load" (issue 20 item 5): many agents at once — a third flooding (`yes | head -c N`),
// a third spinning at 10 Hz, a third idle — and a key typed to an idle agent the user is attached to
// (flower-tui) / zoomed into (tmux): how fast it shows while the floods run, and how long one flood
// takes, against tmux with the same agents as panes (one window per lane).
import fs from 'node:fs';
import { echoLoop } from '../lib/echo-loop.mjs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowerRun, agentPids } from '../lib/flower.mjs';
import { fmt, log, median, quantile } from '../lib/format.mjs';
import { MB, SIZE, opt } from '../lib/options.mjs';
import { waitUntil } from '../lib/proc.mjs';
import { machine, writeBlock } from '../lib/results-md.mjs';
import { result } from '../lib/results.mjs';
import { TmuxRun } from '../lib/tmux.mjs';
import { mkfifo, script, trigger, writeNodeScripts } from '../lib/workloads.mjs';

const LETTERS = 'abcdefghijklmnopqrstuvwx'; // no 'y': that is what the floods print
const KINDS = ['idle', 'flood', 'spin'];

/** Trigger every flood; type keys to the attached idle agent until the floods are done. */
async function underLoad(o, fifos, maxKeys) {
  const t0 = performance.now();
  for (const f of fifos) await trigger(f);
  const done = new Map();
  let stop = false;
  const watcher = (async () => {
    while (done.size < fifos.length && !stop) {
      for (const f of fifos) if (!done.has(f) && fs.existsSync(`${f}.done`)) done.set(f, performance.now() - t0);
      await sleep(10);
    }
  })();
  const keys = await echoLoop(o, maxKeys, { gap: [20, 40], timeoutMs: 15_000, more: () => done.size < fifos.length, letters: LETTERS });
  // On a loaded 2-core machine ten 50 MB floods at once took over 5 minutes in flower-tui: allow 20.
  await waitUntil(() => done.size === fifos.length, 1_200_000, 'the floods to end', 50).catch((e) => {
    throw new Error(`${e.message} (${done.size} of ${fifos.length} done after ${fmt((performance.now() - t0) / 1000, 0)} s)`);
  });
  stop = true;
  await watcher;
  return { keys, floods: [...done.values()], all: Math.max(...done.values()) };
}

export async function sectionLoad() {
  const L = SIZE.loadLanes;
  const P = SIZE.loadPerLane;
  const N = L * P;
  const bytes = SIZE.loadFloodBytes;
  const kinds = Array.from({ length: N }, (_, i) => KINDS[i % 3]);
  const nFlood = kinds.filter((k) => k === 'flood').length;
  log(`\n## load (${N} agents in ${L} lanes: ${nFlood} flooding \`yes | head -c ${fmt(bytes / MB, 0)}M\`, ${kinds.filter((k) => k === 'spin').length} spinning at 10 Hz, ${kinds.filter((k) => k === 'idle').length} idle; keys to an idle one)`);
  const m = machine(); // the date and load average at the start, for the results.md block
  const { spinner } = writeNodeScripts();
  const echoCmd = `stty raw -echo; printf 'load-ready\\r\\n'; exec cat`;
  const floodSh = script('load-flood.sh', `cat "$1" >/dev/null\nyes | head -c ${bytes}\ntouch "$1.done"\nexec cat >/dev/null`);
  const lanes = Array.from({ length: L }, (_, i) => `l${i + 1}`);
  const maxKeys = 400;

  // ── flower-tui: L lanes × P agents; agent 0 of lane 1 is the idle one the keys go to
  const ff = [];
  const run = new FlowerRun({
    worktrees: lanes,
    screen: true,
    config: {
      profiles: { idle: { command: '/bin/sh', args: ['-c', echoCmd] }, flood: { command: '/bin/sh', args: [floodSh] }, spin: { command: process.execPath, args: [spinner] } },
      worktrees: Object.fromEntries(
        lanes.map((l, li) => [
          l,
          {
            agents: Array.from({ length: P }, (_, k) => {
              const i = li * P + k;
              const kind = kinds[i];
              if (i === 0) return { profile: 'idle', name: 'target' };
              if (kind === 'flood') {
                const f = mkfifo(`load-flower-${i}`);
                ff.push(f);
                return { profile: 'flood', name: `flood${i}`, args: [f] };
              }
              return { profile: kind, name: `${kind}${i}` };
            }),
          },
        ]),
      ),
    },
  });
  const o = run.startTui();
  await o.waitScreen((s) => /▸ target/.test(s) && lanes.every((l) => s.includes(` ${l} `)), 30_000, 'the lanes and the target agent');
  await waitUntil(() => Object.values(agentPids(run.repo.main)).filter(Boolean).length >= N, 30_000, `${N} agents running`, 200);
  await sleep(2000);
  o.write('\r');
  await o.waitScreen((s) => !s.includes('MAIN') && s.includes('load-ready'), 5000, 'attached to the target');
  o.screenOn = false;
  await sleep(500);
  const fl = await underLoad(o, ff, maxKeys);
  o.screenOn = true;
  o.write('\x11');
  await o.waitScreen((s) => s.includes('MAIN'), 10_000, 'detached');
  await run.stop();

  // ── tmux: one window per lane, P panes each; pane 0 of window 0 is the target, zoomed (only it drawn)
  const tf = [];
  const cmdOf = (i) => {
    if (i === 0) return echoCmd;
    if (kinds[i] === 'flood') {
      const f = mkfifo(`load-tmux-${i}`);
      tf.push(f);
      return `sh '${floodSh}' '${f}'`;
    }
    return kinds[i] === 'spin' ? `'${process.execPath}' '${spinner}'` : echoCmd;
  };
  const tr = new TmuxRun({ panes: Array.from({ length: P }, (_, k) => cmdOf(k)), extra: [['set', '-g', 'status', 'off']] });
  for (let li = 1; li < L; li++) {
    tr.tmux(['new-window', '-d', '-t', `b:${li}`, cmdOf(li * P)]);
    for (let k = 1; k < P; k++) tr.tmux(['split-window', '-d', '-t', `b:${li}`, cmdOf(li * P + k), ';', 'select-layout', '-t', `b:${li}`, 'tiled']);
  }
  tr.tmux(['select-window', '-t', 'b:0', ';', 'select-pane', '-t', 'b:0.0', ';', 'resize-pane', '-Z', '-t', 'b:0.0']);
  const to = tr.attach({ screen: true });
  await to.waitScreen((s) => s.includes('load-ready'), 10_000, 'the tmux target pane');
  await sleep(2000);
  to.screenOn = false;
  const tm = await underLoad(to, tf, maxKeys);
  await tr.stop();

  const flood = median(fl.floods);
  const tflood = median(tm.floods);
  result('load', `key to screen under load, p50 (${fl.keys.length} / ${tm.keys.length} keys)`, median(fl.keys), median(tm.keys), { unit: ' ms' });
  result('load', 'key to screen under load, p99', quantile(fl.keys, 0.99), quantile(tm.keys, 0.99), { unit: ' ms', target: '≤ 100 ms', met: quantile(fl.keys, 0.99) <= 100 });
  result('load', `one flood (${fmt(bytes / MB, 0)} MB, ${nFlood} at once), median`, flood / 1000, tflood / 1000, { unit: ' s', target: '≤ 1.0× tmux', met: flood <= tflood });
  result('load', `all ${nFlood} floods done`, fl.all / 1000, tm.all / 1000, { unit: ' s' });
  log(`    keys max: flower ${fmt(Math.max(...fl.keys))} ms, tmux ${fmt(Math.max(...tm.keys))} ms`);
  if (opt.quick && !opt.write) return;
  const r = (f, t, d = 1) => `${fmt(f, d)} | ${fmt(t, d)} | ${fmt(f / t)}×`;
  writeBlock(
    'load',
    `## Under load (issue 20 item 5, \`load\`)

\`node bench/run.mjs --section load${opt.quick ? ' --quick' : ''}\`, ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit}, load average at start ${m.load}. **A shared machine** (${m.cores} cores,
other engineers building and testing at the same time): absolute numbers are noisy, the ratios are from the same run.
${N} agents in ${L} lanes (tmux: a window per lane): ${nFlood} run \`yes | head -c ${fmt(bytes / MB, 0)}M\` (all started at once through fifos),
${kinds.filter((k) => k === 'spin').length} spin at 10 Hz (node), ${kinds.filter((k) => k === 'idle').length} idle (\`stty raw -echo; exec cat\`). Keys (20–40 ms apart, while the floods run, at most ${maxKeys}) go to an idle agent
the cockpit is attached to (tmux: its pane zoomed, so only it is drawn, status line off), timed from the write to the
outer pty until the key shows in its output. A flood's time: from the trigger until its \`head\` is done.

| | flower-tui | tmux | ratio |
|---|---|---|---|
| key to screen p50, ms (${fl.keys.length} / ${tm.keys.length} keys) | ${r(median(fl.keys), median(tm.keys))} |
| key to screen p99, ms (target ≤ 100 ms) | ${r(quantile(fl.keys, 0.99), quantile(tm.keys, 0.99))} |
| key to screen max, ms | ${r(Math.max(...fl.keys), Math.max(...tm.keys))} |
| one flood, median, s (target ≤ 1.0× tmux) | ${r(flood / 1000, tflood / 1000, 2)} |
| all floods done, s | ${r(fl.all / 1000, tm.all / 1000, 2)} |
`,
  );
}

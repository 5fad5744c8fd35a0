// bench section "flood": while one pane floods (`yes`), how fast focus switches, another agent echoes
// and Ctrl-C stops the flood.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { echoLoop } from '../lib/echo-loop.mjs';
import { FlowerRun, agentPids } from '../lib/flower.mjs';
import { log, median } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { alive, waitUntil } from '../lib/proc.mjs';
import { result } from '../lib/results.mjs';
import { TmuxRun } from '../lib/tmux.mjs';
import { mkfifo, script, trigger } from '../lib/workloads.mjs';

export async function sectionFlood() {
  log('\n## flood (one pane runs `yes`)');
  const echoCmd = `stty raw -echo; exec cat`;
  const letters = 'abcdefghijklmnopqrstuvwx'; // no 'y': that is what the flood prints
  // ── flower-tui
  const fFifo = mkfifo('flood-flower');
  const flood = script('flood-flower.sh', `printf 'flood-ready\\r\\n'\ncat '${fFifo}' >/dev/null\nexec yes`);
  const run = new FlowerRun({
    worktrees: ['lane'],
    screen: true,
    config: {
      profiles: { f: { command: '/bin/sh', args: [flood] }, e: { command: '/bin/sh', args: ['-c', echoCmd] } },
      worktrees: { lane: { agents: [{ profile: 'f', name: 'flood' }, { profile: 'e', name: 'echo' }] } },
    },
  });
  const o = run.startTui();
  await o.waitScreen((s) => s.includes('flood-ready') && /▸ flood/.test(s) && /echo\b[^·\n]*· e/.test(s), 20_000, 'both agents');
  await sleep(1500);
  const yesPid = agentPids(run.repo.main)['lane/flood'];
  await trigger(fFifo);
  await sleep(1000);
  const focus = [];
  for (let i = 0; i < SIZE.focusSwitches; i++) {
    const toEcho = i % 2 === 0;
    const want = toEcho ? /▸ echo/ : /▸ flood/;
    const wait = o.waitScreen((s) => want.test(s), 5000, toEcho ? 'focus on echo' : 'focus on flood');
    const t0 = performance.now();
    o.write(toEcho ? '\t' : '\x1b[Z');
    focus.push((await wait) - t0);
    await sleep(60 + Math.random() * 40);
  }
  // attach to the echo agent: focus it, Enter, then type
  o.write('\t');
  await o.waitScreen((s) => /▸ echo/.test(s), 5000, 'focus on echo');
  o.write('\r');
  await o.waitScreen((s) => !s.includes('MAIN'), 5000, 'attached (grid gone)');
  await sleep(500);
  const echo = await echoLoop(o, SIZE.floodKeys, { gap: [20, 40], letters });
  o.write('\x11');
  await o.waitScreen((s) => s.includes('MAIN'), 5000, 'detached (grid back)');
  // Ctrl-C to the flooding agent, attached
  o.write('\x1b[Z');
  await o.waitScreen((s) => /▸ flood/.test(s), 5000, 'focus on flood');
  o.screenOn = false; // attached to the flood: the bench drains it but does not parse it
  o.write('\r');
  await sleep(800);
  const t0 = performance.now();
  o.write('\x03');
  await waitUntil(() => !alive(yesPid), 10_000, 'yes to exit after Ctrl-C', 1);
  const ctrlc = performance.now() - t0;
  await run.stop();

  // ── tmux: two panes, Tab (bound without prefix) switches; the border shows which is active
  const tFifo = mkfifo('flood-tmux');
  const tflood = script('flood-tmux.sh', `printf 'flood-ready\\r\\n'\ncat '${tFifo}' >/dev/null\nexec yes`);
  const tr = new TmuxRun({
    panes: [`sh '${tflood}'`, echoCmd],
    layout: 'even-vertical',
    extra: [
      ['set', '-g', 'pane-border-status', 'top'],
      ['set', '-g', 'pane-border-format', '#{?pane_active,[act:#{pane_index}],[idle]}'],
      ['bind', '-n', 'Tab', 'select-pane', '-t', ':.+'],
    ],
  });
  const to = tr.attach({ screen: true });
  await to.waitScreen((s) => s.includes('flood-ready') && s.includes('[act:0]'), 10_000, 'tmux panes');
  const tYes = tr.panePids()[0];
  await trigger(tFifo);
  await sleep(1000);
  const tfocus = [];
  for (let i = 0; i < SIZE.focusSwitches; i++) {
    const want = i % 2 === 0 ? '[act:1]' : '[act:0]';
    const wait = to.waitScreen((s) => s.includes(want), 5000, `tmux ${want}`);
    const t0 = performance.now();
    to.write('\t');
    tfocus.push((await wait) - t0);
    await sleep(60 + Math.random() * 40);
  }
  // pane 1 (echo) is active after an odd number of switches; make sure
  if (SIZE.focusSwitches % 2 === 0) {
    to.write('\t');
    await to.waitScreen((s) => s.includes('[act:1]'), 5000, 'tmux echo pane active');
  }
  to.screenOn = false;
  const techo = await echoLoop(to, SIZE.floodKeys, { gap: [20, 40], letters });
  to.write('\t');
  await sleep(300);
  const tc0 = performance.now();
  to.write('\x03');
  await waitUntil(() => !alive(tYes), 10_000, 'yes (tmux) to exit after Ctrl-C', 1);
  const tctrlc = performance.now() - tc0;
  await tr.stop();

  result('flood', 'focus switch (Tab) shown, p50', median(focus), median(tfocus), { unit: ' ms' });
  result('flood', 'focus switch (Tab) shown, max', Math.max(...focus), Math.max(...tfocus), { unit: ' ms' });
  result('flood', `echo of another agent (attached), p50 of ${echo.length}`, median(echo), median(techo), { unit: ' ms' });
  result('flood', `echo of another agent (attached), max`, Math.max(...echo), Math.max(...techo), { unit: ' ms' });
  result('flood', 'Ctrl-C (attached to the flood) → yes exits', ctrlc, tctrlc, { unit: ' ms' });
}

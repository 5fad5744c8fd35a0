// bench section "echo": keystroke echo latency while attached, against tmux and a bare pty.
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowerRun } from '../lib/flower.mjs';
import { echoLoop } from '../lib/echo-loop.mjs';
import { fmt, log, median, quantile } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { Outer } from '../lib/outer.mjs';
import { result, rows } from '../lib/results.mjs';
import { TmuxRun, tmuxEnv } from '../lib/tmux.mjs';

export async function sectionEcho() {
  log('\n## keystroke echo (attached)');
  const echoCmd = `stty raw -echo; printf 'echo-ready\\r\\n'; exec cat`;
  // raw pty: nobody in between
  const ro = new Outer('/bin/sh', ['-c', echoCmd], { env: tmuxEnv() });
  await ro.waitText('echo-ready');
  await sleep(200);
  const raw = await echoLoop(ro, SIZE.echoKeys);
  await ro.close();
  // tmux
  const tr = new TmuxRun({ panes: [echoCmd] });
  const to = tr.attach();
  await to.waitText('echo-ready');
  await sleep(300);
  const tm = await echoLoop(to, SIZE.echoKeys);
  await tr.stop();
  // flower-tui, attached with Enter: as shipped (the server writes to the attached terminal), and
  // with the cockpit writing every byte itself (FLOWER_DIRECT_TTY=0: the hop it saves, in the same run)
  const flowerEcho = async (env) => {
    const run = new FlowerRun({ worktrees: ['lane'], screen: true, config: { profiles: { e: { command: '/bin/sh', args: ['-c', echoCmd] } }, worktrees: { lane: { agents: [{ profile: 'e', name: 'echo' }] } } } });
    const o = run.startTui(env);
    await o.waitScreen((s) => s.includes('echo-ready') && /▸ echo/.test(s), 20_000, 'the echo agent');
    await sleep(1800);
    o.write('\r');
    await o.waitScreen((s) => !s.includes('MAIN'), 5000, 'attached');
    await sleep(500);
    o.screenOn = false;
    const lat = await echoLoop(o, SIZE.echoKeys);
    o.screenOn = true;
    o.write('\x11');
    await o.waitScreen((s) => s.includes('MAIN'), 5000, 'detached');
    await run.stop();
    return lat;
  };
  // Interleaved, twice each, the better run of each kept: the first run of a section is slower
  // whichever it is (caches, the machine settling), which would otherwise decide the comparison.
  const better = (a, b) => (median(a) <= median(b) ? a : b);
  const c1 = await flowerEcho({ FLOWER_DIRECT_TTY: '0' });
  const d1 = await flowerEcho({});
  const c2 = await flowerEcho({ FLOWER_DIRECT_TTY: '0' });
  const d2 = await flowerEcho({});
  const viaCockpit = better(c1, c2);
  const fl = better(d1, d2);
  const p50 = median(fl);
  const tp50 = median(tm);
  result('echo', `echo p50 (${fl.length} keys)`, p50, tp50, { unit: ' ms', digits: 3, target: '≤ tmux p50 + 0.2 ms', met: p50 <= tp50 + 0.2 });
  result('echo', 'echo p99', quantile(fl, 0.99), quantile(tm, 0.99), { unit: ' ms', digits: 3, target: '≤ tmux p99', met: quantile(fl, 0.99) <= quantile(tm, 0.99) });
  result('echo', 'echo p50, the cockpit writing every byte itself (FLOWER_DIRECT_TTY=0: before issue 20.1)', median(viaCockpit), tp50, { unit: ' ms', digits: 3 });
  result('echo', 'echo p99, the cockpit writing every byte itself', quantile(viaCockpit, 0.99), quantile(tm, 0.99), { unit: ' ms', digits: 3 });
  log(`    raw pty (no multiplexer): p50 ${fmt(median(raw), 3)} ms, p99 ${fmt(quantile(raw, 0.99), 3)} ms`);
  rows[rows.length - 4].extra = { rawP50: median(raw), rawP99: quantile(raw, 0.99) };
}

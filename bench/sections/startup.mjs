// bench section "startup": time from spawn to the first frame showing every lane, cold and warm.
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from '../lib/cleanup.mjs';
import { FlowerRun } from '../lib/flower.mjs';
import { fmt, log, median } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { Outer } from '../lib/outer.mjs';
import { result } from '../lib/results.mjs';
import { tmuxEnv } from '../lib/tmux.mjs';

export async function sectionStartup() {
  log('\n## startup (4 worktrees × 2 agents: spawn → all 4 lane titles on screen)');
  const lanes = ['alpha', 'bravo', 'charlie', 'delta'];
  const allTitles = (s) => lanes.every((l) => new RegExp(`\\d ${l} `).test(s));
  const run = new FlowerRun({
    worktrees: lanes,
    screen: true,
    config: { profiles: { idle: { command: '/bin/cat' } }, worktrees: Object.fromEntries(lanes.map((l) => [l, { agents: [{ profile: 'idle', name: 'one' }, { profile: 'idle', name: 'two' }] }])) },
  });
  const cold = [];
  const warm = [];
  for (let i = 0; i < SIZE.startupCold; i++) {
    const o = run.startTui();
    cold.push((await o.waitScreen(allTitles, 30_000, 'lane titles (cold)')) - o.spawnedAt);
    await sleep(1500);
    if (i < SIZE.startupCold - 1) await run.stop();
  }
  for (let i = 0; i < SIZE.startupWarm; i++) {
    await run.closeTui();
    await sleep(500);
    const o = run.startTui();
    warm.push((await o.waitScreen(allTitles, 30_000, 'lane titles (warm)')) - o.spawnedAt);
    await sleep(800);
  }
  await run.stop();

  // tmux: 4 windows × 2 panes; cold = new server + session in the outer pty, warm = attach
  const tcold = [];
  const twarm = [];
  const statusHas = (s) => lanes.every((l) => s.includes(l));
  for (let i = 0; i < SIZE.startupCold; i++) {
    const sock = `bench-${process.pid}-start-${i}`;
    const args = ['-L', sock, '-f', '/dev/null', 'new-session', '-s', 'b', '-n', lanes[0], 'cat', ';', 'split-window', 'cat'];
    for (const l of lanes.slice(1)) args.push(';', 'new-window', '-n', l, 'cat', ';', 'split-window', 'cat');
    onCleanup(() => spawnSync('tmux', ['-L', sock, 'kill-server'], { env: tmuxEnv() }));
    const o = new Outer('tmux', args, { env: tmuxEnv(), screen: true });
    tcold.push((await o.waitScreen(statusHas, 10_000, 'tmux windows')) - o.spawnedAt);
    await sleep(500);
    if (i === 0) {
      for (let k = 0; k < SIZE.startupWarm; k++) {
        const a = new Outer('tmux', ['-L', sock, 'attach', '-t', 'b'], { env: tmuxEnv(), screen: true });
        twarm.push((await a.waitScreen(statusHas, 10_000, 'tmux windows (attach)')) - a.spawnedAt);
        await sleep(300);
        await a.close();
      }
    }
    spawnSync('tmux', ['-L', sock, 'kill-server'], { env: tmuxEnv() });
    await o.close();
  }
  const c = median(cold);
  const w = median(warm);
  result('startup', `first frame, cold (server not running), median of ${cold.length}`, c, median(tcold), { unit: ' ms', digits: 0, target: '≤ 400 ms', met: c <= 400 });
  result('startup', `first frame, warm (server running), median of ${warm.length}`, w, median(twarm), { unit: ' ms', digits: 0, target: '≤ 400 ms', met: w <= 400 });
  log(`    flower cold runs ${cold.map((x) => fmt(x, 0)).join(', ')} ms; warm ${warm.map((x) => fmt(x, 0)).join(', ')} ms`);
}

// bench section "flicker": clear-screens written to the terminal over a steady animation.
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowerRun } from '../lib/flower.mjs';
import { fmt, log } from '../lib/format.mjs';
import { SIZE } from '../lib/options.mjs';
import { result } from '../lib/results.mjs';
import { TmuxRun } from '../lib/tmux.mjs';
import { writeNodeScripts } from '../lib/workloads.mjs';

export async function sectionFlicker() {
  log(`\n## flicker (clear-screens over ${SIZE.flickerS} s of steady animation)`);
  const { spinner, anim } = writeNodeScripts();
  const node = process.execPath;
  const run = new FlowerRun({
    worktrees: ['one', 'two'],
    screen: true,
    config: {
      profiles: { anim: { command: node, args: [anim] }, spin: { command: node, args: [spinner] } },
      worktrees: { one: { agents: [{ profile: 'anim', name: 'agent' }, { profile: 'spin', name: 'spin' }] }, two: { agents: [{ profile: 'anim', name: 'agent', args: ['11'] }] } },
    },
  });
  const o = run.startTui();
  await o.waitScreen((s) => /context left/.test(s) && /thinking/.test(s), 20_000, 'animated agents');
  o.screenOn = false;
  const tr = new TmuxRun({ panes: [`'${node}' '${anim}'`, `'${node}' '${spinner}'`, `'${node}' '${anim}' 11`] });
  const to = tr.attach();
  await sleep(2000);
  const k0 = o.clears;
  const b0 = o.bytes;
  const tk0 = to.clears;
  const tb0 = to.bytes;
  await sleep(SIZE.flickerS * 1000);
  const clears = o.clears - k0;
  const tclears = to.clears - tk0;
  const fb = o.bytes - b0;
  const tb = to.bytes - tb0;
  await run.stop();
  await tr.stop();
  result('flicker', `clear-screens (ESC[2J, ESC[3J) in ${SIZE.flickerS} s`, clears, tclears, { digits: 0, target: '0', met: clears === 0, ratio: null });
  log(`    bytes written to the terminal: flower ${fmt(fb / 1024 / SIZE.flickerS, 1)} KB/s, tmux ${fmt(tb / 1024 / SIZE.flickerS, 1)} KB/s`);
}

// bench section "ssh-echo" (issue 19): keystroke echo of an agent on another host, reached through
// a private sshd on 127.0.0.1, against the same key through `ssh -t HOST tmux attach`.
//
// What is measured for flower-tui: the cockpit, opened here with a `hosts` entry, attached (3,
// Enter) to the host's lane `box:lane`, a key written to the cockpit's outer pty and timed until it
// shows in that pty's output: the cockpit's input message over `ssh -T HOST flower-tui server
// bridge`, the host's server, the agent, its output frame back over ssh, the cockpit's terminal.
// For reference, also the protocol client alone over the same bridge (no cockpit, no terminal).
// tmux: `ssh -t HOST tmux attach` in an outer pty, the same key. The bare ssh pty (`ssh -t HOST`
// running the echo program, no multiplexer) is the floor of both.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from '../lib/cleanup.mjs';
import { FlowerRun, flowerCli, writeConfig } from '../lib/flower.mjs';
import { echoLoop } from '../lib/echo-loop.mjs';
import { fmt, log, median, quantile } from '../lib/format.mjs';
import { BIN, ROOT, SIZE, opt } from '../lib/options.mjs';
import { Outer } from '../lib/outer.mjs';
import { git } from '../lib/repo.mjs';
import { note, result, rows } from '../lib/results.mjs';
import { machine, writeBlock } from '../lib/results-md.mjs';
import { startSshd, whyNoSshd } from '../lib/sshd.mjs';
import { tmuxEnv } from '../lib/tmux.mjs';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ECHO_CMD = `stty raw -echo; printf 'echo-ready\\r\\n'; exec cat`;

/** The same loop through the protocol client: input message out, the agent's output frame back. */
async function clientLoop(client, agent, n) {
  const lat = [];
  for (let i = 0; i < n; i++) {
    const ch = LETTERS[i % LETTERS.length];
    const got = new Promise((resolve, reject) => {
      const timer = setTimeout(() => (client.off('output', fn), reject(new Error(`no echo of "${ch}" from ${agent} in 5 s`))), 5000);
      const fn = (a, data) => {
        if (a === agent && data.includes(ch)) {
          const t = performance.now();
          clearTimeout(timer);
          client.off('output', fn);
          resolve(t);
        }
      };
      client.on('output', fn);
    });
    const t0 = performance.now();
    client.sendMessage({ t: 'input', agent, data: ch });
    lat.push((await got) - t0);
    await sleep(5 + Math.random() * 10);
  }
  return lat;
}

export async function sectionSshEcho() {
  log('\n## keystroke echo on another host (ssh to a private sshd on 127.0.0.1)');
  const why = whyNoSshd();
  if (why) {
    note(`ssh-echo not measured: ${why}`);
    result('ssh-echo', 'echo p50 through ssh', 'not run', 'not run');
    return;
  }
  const n = SIZE.sshEchoKeys;
  const m = machine(); // the date and load average at the start, for the results.md block
  const sshd = await startSshd();
  // The local project and the host's clone of it (with a lane and an echo agent in its own config).
  const local = new FlowerRun({ worktrees: ['here'], screen: true, config: {} });
  const remoteDir = path.join(sshd.dir, 'remote');
  fs.mkdirSync(remoteDir);
  const remoteMain = path.join(remoteDir, 'shop');
  git(remoteDir, ['clone', '--quiet', local.repo.main, remoteMain]);
  git(remoteMain, ['config', 'user.name', 'Bench']);
  git(remoteMain, ['config', 'user.email', 'bench@flower.invalid']);
  git(remoteMain, ['worktree', 'add', '--quiet', '-b', 'lane', path.join(remoteDir, 'lane')]);
  fs.writeFileSync(path.join(remoteMain, 'flower.config.json'), JSON.stringify({ profiles: { e: { command: '/bin/sh', args: ['-c', ECHO_CMD] } }, worktrees: { lane: { agents: [{ profile: 'e', name: 'echo' }] } } }));
  sshd.give(remoteDir);
  const flowerCmd = `${process.execPath} ${BIN}`;
  // The host's server runs as the login user; stopped through ssh (sshd's close() kills what is left).
  onCleanup(() => sshd.ssh(`${flowerCmd} server stop --repo '${remoteMain}'`, 20_000));
  const host = { ssh: sshd.alias, repo: remoteMain, command: flowerCmd, sshArgs: sshd.sshArgs };
  const cfg = writeConfig({ hosts: { box: host } });
  local.cfg = cfg;

  // The CLI with the hosts entry: starts the host's server through the bridge, and checks the lane is there.
  const st = flowerCli(['status', '--json', '--host', 'box', '--repo', local.repo.main, '--config', cfg], 60_000);
  if (st.status !== 0) throw new Error(`flower-tui status --host box: ${st.stderr.trim() || st.stdout.trim()}`);
  const agents = JSON.parse(st.stdout).agents ?? [];
  if (!agents.some((a) => a.id === 'lane/echo')) throw new Error(`the host's server has no lane/echo agent: ${st.stdout.slice(0, 300)}`);

  // ── flower-tui: the cockpit attached to the host's lane
  const o = local.startTui();
  await o.waitScreen((s) => /\d here /.test(s), 20_000, 'the local lane');
  await o.waitScreen((s) => /3 box:lane/.test(s) && s.includes('echo-ready'), 60_000, "the host's lane with its agent's screen");
  await sleep(1000);
  o.write('3');
  await sleep(300);
  o.write('\r');
  await o.waitScreen((s) => !s.includes('MAIN'), 10_000, 'attached to box:lane/echo');
  await sleep(500);
  o.screenOn = false;
  const cockpit = await echoLoop(o, n);
  o.screenOn = true;
  o.write('\x11');
  await o.waitScreen((s) => s.includes('MAIN'), 10_000, 'detached');
  await local.stop();

  // ── flower-tui: the protocol client over `ssh -T box flower-tui server bridge`
  const { connectOverSsh } = await import(path.join(ROOT, 'dist', 'client', 'ssh-transport.js'));
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const client = await connectOverSsh('box', host, { role: 'tui', version, env: tmuxEnv() });
  onCleanup(() => client.close());
  const ready = new Promise((resolve) => {
    const fn = (m) => {
      if (m.t === 'screen' && m.agent === 'lane/echo' && m.data.includes('echo-ready')) resolve();
    };
    client.on('message', fn);
  });
  client.sendMessage({ t: 'subscribe' });
  await Promise.race([ready, sleep(5000)]);
  client.sendMessage({ t: 'focus', agent: 'lane/echo' });
  client.sendMessage({ t: 'pin', agent: 'lane/echo', on: true });
  await sleep(500);
  const fl = await clientLoop(client, 'lane/echo', n);
  client.close();

  // ── tmux on the host, attached through `ssh -t`
  const sock = `bench-ssh-${process.pid}`;
  const tmuxOnHost = (args) => sshd.ssh(`tmux -L ${sock} -f /dev/null ${args}`);
  onCleanup(() => tmuxOnHost('kill-server'));
  const mk = tmuxOnHost(`set -g status-interval 0 \\; new-session -d -s b -x 120 -y 40 "${ECHO_CMD.replace(/"/g, '\\"')}"`);
  if (mk.status !== 0) throw new Error(`tmux on the host: ${mk.stderr.trim()}`);
  const to = new Outer('ssh', [...sshd.sshArgs, '-t', sshd.alias, `tmux -L ${sock} attach -t b`], { env: tmuxEnv() });
  await to.waitText('echo-ready', 10_000);
  await sleep(500);
  const tm = await echoLoop(to, n);
  await to.close();
  tmuxOnHost('kill-server');

  // ── the floor: the echo program in ssh's own pty, nobody in between
  const ro = new Outer('ssh', [...sshd.sshArgs, '-t', sshd.alias, ECHO_CMD], { env: tmuxEnv() });
  await ro.waitText('echo-ready', 10_000);
  await sleep(300);
  const raw = await echoLoop(ro, n);
  await ro.close();

  const sum = (xs) => ({ p50: median(xs), p99: quantile(xs, 0.99) });
  const F = sum(cockpit);
  const C = sum(fl);
  const T = sum(tm);
  const R = sum(raw);
  result('ssh-echo', `echo over ssh p50 (${n} keys; flower: the cockpit attached to box:lane, tmux: ssh -t tmux attach)`, F.p50, T.p50, { unit: ' ms', digits: 3 });
  result('ssh-echo', 'echo over ssh p99', F.p99, T.p99, { unit: ' ms', digits: 3 });
  result('ssh-echo', 'echo over ssh p50, the protocol client alone over the bridge (no cockpit, no terminal)', C.p50, T.p50, { unit: ' ms', digits: 3 });
  log(`    bare ssh pty (no multiplexer): p50 ${fmt(R.p50, 3)} ms, p99 ${fmt(R.p99, 3)} ms`);
  rows[rows.length - 3].extra = { raw: R };

  if (!opt.quick || opt.write) {
    writeBlock(
      'ssh-echo',
      `## Keystroke echo through ssh (issue 19)

\`node bench/run.mjs --section ssh-echo${opt.quick ? ' --quick' : ''}\`, ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit}, load average at start ${m.load}; ${n} keys 5–15 ms apart, one at a time, to \`stty raw -echo; exec cat\` on
the "host": a private sshd on 127.0.0.1 (generated keys in a temp dir, a throwaway login account), the project's
clone in another temp dir. **A shared machine** (${m.cores} cores, other engineers building and testing at the same time), so
absolute times are noisy; the ratio is from the same run.

| path | p50 | p99 |
|---|---|---|
| flower-tui: the cockpit attached to \`box:lane\` over \`ssh -T box flower-tui server bridge\` (key → shown in the cockpit's pty) | ${fmt(F.p50, 3)} ms | ${fmt(F.p99, 3)} ms |
| (reference) the protocol client alone over the same bridge (input → the agent's output frame) | ${fmt(C.p50, 3)} ms | ${fmt(C.p99, 3)} ms |
| tmux: \`ssh -t box tmux attach\` in an outer pty (key → shown in the pty) | ${fmt(T.p50, 3)} ms | ${fmt(T.p99, 3)} ms |
| ratio flower-tui ÷ tmux | ${fmt(F.p50 / T.p50)}× | ${fmt(F.p99 / T.p99)}× |
| floor: \`ssh -t box\` running the echo program (no multiplexer) | ${fmt(R.p50, 3)} ms | ${fmt(R.p99, 3)} ms |

Both figures include their terminal: the key goes into an outer pty and is timed until it is shown there.
`,
    );
  }
}

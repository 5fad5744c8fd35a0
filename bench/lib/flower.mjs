// flower-tui under test: its environment, its CLI, its server, and a TUI in an outer pty.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TMP, onCleanup } from './cleanup.mjs';
import { BIN, COLS, ROOT, ROWS, opt } from './options.mjs';
import { Outer } from './outer.mjs';
import { alive, killPid, waitUntil } from './proc.mjs';
import { makeRepo } from './repo.mjs';

/** Environment for flower-tui: no CI (Ink draws nothing under CI), no outer tmux; optional profiling. */
/** Node's flags on the launcher's `#!/usr/bin/env -S node …` line: the cockpit runs with what a user's does. */
const LAUNCHER_FLAGS = (/^#!.*\bnode\s+(.*)$/m.exec(fs.readFileSync(BIN, 'utf8').split('\n')[0])?.[1] ?? '').split(/\s+/).filter(Boolean);

export function flowerEnv() {
  const env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', NODE_ENV: 'production' };
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

export function flowerCli(args, timeoutMs = 30_000) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: flowerEnv(), timeout: timeoutMs });
}
export function serverPid(repoMain) {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(repoMain, '.git', 'flower', 'server.json'), 'utf8'));
    return alive(j.pid) ? j.pid : null;
  } catch {
    return null;
  }
}
export function agentPids(repoMain) {
  const r = flowerCli(['status', '--json', '--repo', repoMain]);
  if (r.status !== 0) return {};
  const j = JSON.parse(r.stdout);
  return Object.fromEntries(j.agents.map((a) => [a.id, a.pid]));
}
/** Stop a repository's server with the CLI (agents and all); SIGKILL whatever is left. */
export function stopServer(repoMain) {
  const pid = serverPid(repoMain);
  let agents = [];
  if (pid) {
    try {
      agents = Object.values(agentPids(repoMain)).filter(Boolean);
    } catch {
      /* status failed: the server may be gone already */
    }
  }
  flowerCli(['server', 'stop', '--repo', repoMain], 20_000);
  // The CLI returns when the server has said goodbye; give it a moment to exit on its own (a CPU
  // profile is written at exit), then SIGKILL whatever is left.
  const end = Date.now() + 3000;
  while (pid && alive(pid) && Date.now() < end) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  for (const p of [pid, ...agents]) if (p && alive(p)) killPid(p);
  // A server still starting (no server.json yet: a section failed or was interrupted just after the
  // TUI spawned it) is found by its command line, which names this run's own temp repository.
  for (const p of serversOf(repoMain)) killPid(p);
}
/** Pids of `flower-tui server run --repo REPO` processes for this repository (by /proc cmdline). */
function serversOf(repoMain) {
  const out = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--repo');
      if (argv.includes('server') && argv.includes('run') && i >= 0 && argv[i + 1] === repoMain) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

let cfgCounter = 0;
export function writeConfig(obj) {
  const file = path.join(TMP, `flower-${++cfgCounter}.json`);
  fs.writeFileSync(file, JSON.stringify(obj, null, 1));
  return file;
}

/** A repository, its config, and a TUI started in an outer pty (which starts the server). */
export class FlowerRun {
  constructor({ worktrees, config, screen = false, cols = COLS, rows = ROWS }) {
    this.repo = makeRepo(worktrees);
    this.cfg = writeConfig(config);
    this.screen = screen;
    this.cols = cols;
    this.rows = rows;
    this.outer = null;
    onCleanup(() => {
      this.outer?.kill();
      stopServer(this.repo.main);
    });
  }
  /** `env`: changes to the cockpit's environment (e.g. FLOWER_DIRECT_TTY=0). */
  startTui(env = {}) {
    // Node 20 refuses --cpu-prof in NODE_OPTIONS: with --profile the server is started here (the TUI
    // then finds it running) and the TUI gets the flag on its command line.
    const prof = opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${opt.profile}`] : [];
    if (opt.profile && !serverPid(this.repo.main)) {
      fs.mkdirSync(opt.profile, { recursive: true });
      const logFd = fs.openSync(path.join(TMP, `server-${path.basename(this.repo.dir)}.log`), 'a');
      const child = spawn(process.execPath, [...prof, path.join(ROOT, 'dist', 'cli', 'main.js'), 'server', 'run', '--repo', this.repo.main, '--config', this.cfg, '--size', `${this.cols}x${this.rows}`], {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        cwd: this.repo.main,
        env: flowerEnv(),
      });
      child.unref();
      fs.closeSync(logFd);
      const end = Date.now() + 20_000;
      while (!serverPid(this.repo.main) && Date.now() < end) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    this.outer = new Outer(process.execPath, [...prof, ...LAUNCHER_FLAGS, BIN, '--repo', this.repo.main, '--config', this.cfg], { cols: this.cols, rows: this.rows, env: { ...flowerEnv(), ...env }, screen: this.screen, cwd: this.repo.main });
    return this.outer;
  }
  async serverPid(timeoutMs = 20_000) {
    return waitUntil(() => serverPid(this.repo.main), timeoutMs, 'the flower-tui server');
  }
  async pids() {
    return [this.outer.pid, await this.serverPid()];
  }
  async closeTui() {
    await this.outer?.close();
    this.outer = null;
  }
  async stop() {
    await this.closeTui();
    stopServer(this.repo.main);
  }
}

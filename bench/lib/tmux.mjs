// tmux under test: a private server (-L, no config file), its panes, and a client in an outer pty.
import { spawnSync } from 'node:child_process';
import { onCleanup } from './cleanup.mjs';
import { COLS, ROWS } from './options.mjs';
import { Outer } from './outer.mjs';
import { alive, killPid } from './proc.mjs';

export function tmuxEnv() {
  const env = { ...process.env, TERM: 'xterm-256color' };
  delete env.TMUX;
  delete env.TMUX_PANE;
  delete env.NODE_OPTIONS;
  return env;
}

let tmuxCounter = 0;
export class TmuxRun {
  /** panes: shell command strings, first is the session's pane; layout applied after each split. */
  constructor({ panes, historyLimit = 2000, layout = 'tiled', extra = [], cols = COLS, rows = ROWS }) {
    this.sock = `bench-${process.pid}-${++tmuxCounter}`;
    this.cols = cols;
    this.rows = rows;
    onCleanup(() => this.killServer());
    const base = ['start-server', ';', 'set', '-g', 'history-limit', String(historyLimit), ';', 'set', '-g', 'status-interval', '0', ';', 'set', '-g', 'remain-on-exit', 'off', ';'];
    const extras = extra.flatMap((cmd) => [...cmd, ';']);
    this.tmux([...base, ...extras, 'new-session', '-d', '-s', 'b', '-x', String(cols), '-y', String(rows), panes[0]]);
    for (const p of panes.slice(1)) this.tmux(['split-window', '-t', 'b', p, ';', 'select-layout', '-t', 'b', layout]);
    if (panes.length > 1) this.tmux(['select-pane', '-t', 'b:0.0']);
    this.serverPid = Number(this.tmux(['display', '-p', '#{pid}']).trim());
    this.outer = null;
  }
  tmux(args) {
    const r = spawnSync('tmux', ['-L', this.sock, '-f', '/dev/null', ...args], { encoding: 'utf8', env: tmuxEnv() });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }
  panePids() {
    return this.tmux(['list-panes', '-t', 'b', '-F', '#{pane_pid}']).trim().split('\n').map(Number);
  }
  attach({ screen = false } = {}) {
    this.outer = new Outer('tmux', ['-L', this.sock, '-f', '/dev/null', 'attach', '-t', 'b'], { cols: this.cols, rows: this.rows, env: tmuxEnv(), screen });
    return this.outer;
  }
  pids() {
    return [this.serverPid, this.outer?.pid].filter(Boolean);
  }
  killServer() {
    spawnSync('tmux', ['-L', this.sock, 'kill-server'], { env: tmuxEnv() });
    this.outer?.kill();
    if (this.serverPid && alive(this.serverPid)) killPid(this.serverPid);
  }
  async stop() {
    this.killServer();
    await this.outer?.close();
  }
}

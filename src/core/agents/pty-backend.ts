/**
 * The one place that imports a pty implementation. @lydell/node-pty is node-pty 1.1 with prebuilt
 * binaries (node-pty itself compiles with node-gyp on Linux); the API is identical, so switching back
 * is a one-line change here.
 */
import * as pty from '@lydell/node-pty';

export type Pty = pty.IPty;

export interface PtySpawnOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export function spawnPty(file: string, args: string[], opts: PtySpawnOptions): Pty {
  return pty.spawn(file, args, {
    name: 'xterm-256color',
    cwd: opts.cwd,
    env: opts.env,
    // node-pty throws on sizes < 1; a pane can be momentarily tiny while the terminal is resized.
    cols: Math.max(1, opts.cols),
    rows: Math.max(1, opts.rows),
    encoding: 'utf8',
  });
}

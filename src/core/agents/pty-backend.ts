/**
 * The one place that imports a pty implementation. @lydell/node-pty is node-pty 1.1 with prebuilt
 * binaries (node-pty itself compiles with node-gyp on Linux); the API is identical, so switching back
 * is a one-line change here.
 */
import * as pty from '@lydell/node-pty';
import { withoutInheritedFds } from './inherited-fds.js';

export type Pty = pty.IPty;

export interface PtySpawnOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export function spawnPty(file: string, args: string[], opts: PtySpawnOptions): Pty {
  // Outermost: whatever wraps the command (a sandbox) starts without our other ptys' masters.
  const cmd = withoutInheritedFds(file, args);
  const p = pty.spawn(cmd.file, cmd.args, {
    name: 'xterm-256color',
    cwd: opts.cwd,
    env: opts.env,
    // node-pty throws on sizes < 1; a pane can be momentarily tiny while the terminal is resized.
    cols: Math.max(1, opts.cols),
    rows: Math.max(1, opts.rows),
    // utf8 makes node-pty set IUTF8 on the terminal (backspace in cooked mode erases whole characters)...
    encoding: 'utf8',
  });
  readRawBytes(p);
  return p;
}

/**
 * ...but we want the bytes undecoded: they go to xterm and to clients as they are, and decoding them
 * to a string only to encode them again costs a third of the throughput. node-pty's own
 * setEncoding(null) does not undo a stream decoder, so the read stream's is removed here. If a
 * future node-pty hides it, onData delivers strings again, which Agent also accepts.
 */
function readRawBytes(p: Pty): void {
  const stream = (p as unknown as { _socket?: { _readableState?: { decoder: unknown; encoding: unknown } } })._socket;
  const state = stream?._readableState;
  if (state && 'decoder' in state && 'encoding' in state) {
    state.decoder = null;
    state.encoding = null;
  }
}

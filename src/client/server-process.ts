import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowerError, type FlowerErrorCode } from '../shared/errors.js';
import type { RepoLocation } from '../core/git/repo.js';
import { FlowerClient } from './client.js';
import { ensurePrivateDir } from '../core/store/private-dir.js';
import { serverLocation, type ServerFailedMessage, type ServerLocation, type ServerReadyMessage } from '../protocol/server-location.js';
import { flowerVersion } from '../protocol/flower-version.js';
import { startupMark } from '../shared/startup-trace.js';
import { jemallocPath, serverAllocatorEnv } from '../protocol/server-allocator.js';

// The client side of the per-repository server: find it, connect to it, start it when none runs.
// The server side (`server run`) is run-server.ts: nothing here loads the supervisor, git or ptys,
// so connecting stays cheap for the cockpit and every CLI command.

// The launcher, found from the package root (this file is src/server or dist/server: both two levels
// down): it picks the fastest build of the CLI and sets NODE_ENV like any other start.
const LAUNCHER = fileURLToPath(new URL('../../bin/flower-tui.js', import.meta.url));
const VERSION = flowerVersion();
const MAX_LOG_BYTES = 5 * 1024 * 1024;
/** How long a start may take before the starter gives up. */
const START_TIMEOUT_MS = 15_000;
/**
 * A backstop, not the way in: the server we started says when it listens. Only when another client's
 * server won the start race (ours then waits for the lock before exiting) is there no message for us.
 */
const BACKSTOP_POLL_MS = 250;

export { flowerVersion };

function isNoServer(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTSOCK';
}

/** Where the running server said it listens (it may have been started with another environment). */
function recordedSocket(loc: ServerLocation): string | null {
  try {
    const j = JSON.parse(readFileSync(path.join(loc.stateDir, 'server.json'), 'utf8')) as { socket?: unknown };
    return typeof j.socket === 'string' ? j.socket : null;
  } catch {
    return null;
  }
}

/** Connect to the repository's running server, or fail with `no-server` (exit 3). */
export async function connectToServer(loc: ServerLocation, role: 'tui' | 'cli'): Promise<FlowerClient> {
  const candidates = [...new Set([recordedSocket(loc), loc.socket].filter((s): s is string => s !== null))];
  let last: unknown = null;
  for (const socket of candidates) {
    try {
      return await FlowerClient.connect(socket, { role, version: VERSION });
    } catch (e) {
      if (!isNoServer(e)) throw e;
      last = e;
    }
  }
  throw new FlowerError('no-server', `no server running for ${loc.repo.mainRoot}`);
}

/** Connect, starting the server first when none runs. */
export interface StartOptions {
  config?: string;
  /** The starting cockpit's terminal size: configured agents are started at their pane's size. */
  size?: { cols: number; rows: number };
}

export async function connectOrStartServer(loc: ServerLocation, role: 'tui' | 'cli', opts: StartOptions = {}): Promise<{ client: FlowerClient; started: boolean }> {
  let running: FlowerClient | null = null;
  try {
    running = await connectToServer(loc, role);
  } catch (e) {
    if (!(e instanceof FlowerError) || e.code !== 'no-server') throw e;
  }
  if (running) {
    if (opts.config) await checkSameConfig(loc, running, opts.config);
    return { client: running, started: false };
  }
  // The same validation the server will run, here first: an invalid config is one line and exit 2
  // from this process, before a server is spawned (loaded on demand: connecting needs none of it).
  const { loadConfig } = await import('../config/config.js');
  loadConfig({ file: opts.config, mainRoot: loc.repo.mainRoot, commonDir: loc.repo.commonDir });
  const child = startServerProcess(loc, opts);
  startupMark('client: server spawned');
  return connectWhenListening(loc, role, child);
}

/**
 * `--config FILE` given while a server runs: the file must be valid and be the one the server uses,
 * else the user would believe it applies (a server reads its config when it starts, and reloads
 * that same file when it changes). Exit 2 either way, the client closed.
 */
export async function checkSameConfig(loc: ServerLocation, client: FlowerClient, file: string): Promise<void> {
  const wanted = path.resolve(file);
  try {
    const { loadConfig } = await import('../config/config.js');
    loadConfig({ file: wanted, mainRoot: loc.repo.mainRoot, commonDir: loc.repo.commonDir });
    const using = client.server.config;
    if (using !== undefined && using !== wanted) {
      throw new FlowerError(
        'bad-usage',
        `--config ${wanted}: the running server uses ${using ?? 'the built-in defaults'}; stop it first (flower-tui server stop) to switch configs`,
      );
    }
  } catch (e) {
    client.close();
    throw e;
  }
}

/**
 * Connect as soon as the server we started says it listens (no polling in the common case). If it
 * exits first it lost the start race to another client's server (exit 0: connect to that one once it
 * listens) or failed (its log's last line says why).
 */
function connectWhenListening(loc: ServerLocation, role: 'tui' | 'cli', child: ChildProcess): Promise<{ client: FlowerClient; started: boolean }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let exitCode: number | null = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(backstop);
      clearTimeout(deadline);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (child.connected) child.disconnect();
      fn();
    };
    const attempt = async (started: boolean, lastChance: boolean) => {
      if (settled) return;
      try {
        const client = await connectToServer(loc, role);
        if (settled) client.close(); // another attempt won meanwhile
        else settle(() => resolve({ client, started }));
      } catch (e) {
        if (!(e instanceof FlowerError) || e.code !== 'no-server') settle(() => reject(e));
        else if (lastChance) settle(() => reject(new FlowerError('server-failed', `the server did not start: ${lastLogLine(loc.log) ?? `exit ${exitCode}`} (log: ${loc.log})`)));
      }
    };
    const onMessage = (m: unknown) => {
      const msg = m as ServerReadyMessage | ServerFailedMessage | null;
      if (msg?.t === 'flower-server-listening') void attempt(true, false);
      // Its own one line (e.g. a config that became invalid since we checked it), not "did not start".
      else if (msg?.t === 'flower-server-failed') settle(() => reject(new FlowerError(msg.code, msg.message)));
    };
    const onExit = (code: number | null) => {
      exitCode = code ?? 1;
      // Exit 0 before saying it listens: another server holds the lock, so wait for that one (backstop).
      if (exitCode !== 0) void attempt(false, true);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    const backstop = setInterval(() => void attempt(exitCode === null, false), BACKSTOP_POLL_MS);
    const deadline = setTimeout(
      () => settle(() => reject(new FlowerError('server-failed', `the server did not start within ${START_TIMEOUT_MS / 1000} s (log: ${loc.log})`))),
      START_TIMEOUT_MS,
    );
  });
}

function lastLogLine(file: string): string | null {
  try {
    // Node's own crash report ends with "Node.js v20…": the line before it says what happened.
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l));
    const last = lines[lines.length - 1];
    return last ? last.replace(/^\S+ /, '') : null;
  } catch {
    return null;
  }
}

/** Start `flower-tui server run` detached: own session, no terminal, output to the log. */
function startServerProcess(loc: ServerLocation, opts: StartOptions) {
  ensurePrivateDir(loc.stateDir);
  rotateLog(loc.log);
  const fd = openSync(loc.log, 'a', 0o600);
  const args = [
    // A young generation of 4 MB instead of V8's default 16 MB: the server keeps every agent's
    // scrollback in many small buffers, and a smaller nursery saves ~20 MB of resident memory
    // at no measurable cost in parsing speed (measured with 16 agents × 5000 lines).
    '--max-semi-space-size=4',
    // For IdleCompaction: one full GC once a burst of output is over, returning its memory promptly.
    '--expose-gc',
    LAUNCHER, 'server', 'run', '--repo', loc.repo.mainRoot,
    ...(opts.config ? ['--config', path.resolve(opts.config)] : []),
    ...(opts.size ? ['--size', `${opts.size.cols}x${opts.size.rows}`] : []),
  ];
  // An IPC channel only to hear "listening" (then the server drops it): no socket polling.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd, 'ipc'], cwd: loc.repo.mainRoot, env: serverAllocatorEnv(process.env, jemallocPath(process.env)) });
  child.unref();
  child.channel?.unref();
  closeSync(fd);
  return child;
}

function rotateLog(file: string): void {
  try {
    if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
  } catch {
    /* no log yet */
  }
}


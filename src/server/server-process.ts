import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import { loadConfig } from '../config/config.js';
import { FlowerError, describeError } from '../core/errors.js';
import { locateRepo, type RepoLocation } from '../core/git/repo.js';
import { killProcessTreeNow, processTreeOf } from '../core/agents/process-tree.js';
import { openSupervisor } from '../core/open-supervisor.js';
import { FlowerClient } from './client.js';
import { ensurePrivateDir, socketDir, socketPathFor, stateDir } from '../core/private-dir.js';
import { FlowerServer } from './server.js';
import { sizeHintFor } from '../ui/size-hint.js';

// The compiled CLI, found from the package root (this file is src/server or dist/server: both two levels down).
const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const MAX_LOG_BYTES = 5 * 1024 * 1024;

export function flowerVersion(): string {
  return VERSION;
}

export interface ServerLocation {
  repo: RepoLocation;
  socket: string;
  stateDir: string;
  log: string;
}

export function serverLocation(repo: RepoLocation): ServerLocation {
  const dir = stateDir(repo.commonDir);
  return { repo, socket: socketPathFor(repo.commonDir, repo.mainRoot), stateDir: dir, log: path.join(dir, 'server.log') };
}

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
  try {
    return { client: await connectToServer(loc, role), started: false };
  } catch (e) {
    if (!(e instanceof FlowerError) || e.code !== 'no-server') throw e;
  }
  const child = startServerProcess(loc, opts);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return { client: await connectToServer(loc, role), started: true };
    } catch (e) {
      if (!(e instanceof FlowerError) || e.code !== 'no-server') throw e;
    }
    if (exited !== null) {
      // Lost a race with another client starting it? Then a server is there now.
      try {
        return { client: await connectToServer(loc, role), started: false };
      } catch {
        throw new FlowerError('server-failed', `the server did not start: ${lastLogLine(loc.log) ?? `exit ${exited}`} (log: ${loc.log})`);
      }
    }
    if (Date.now() > deadline) throw new FlowerError('server-failed', `the server did not start within 15 s (log: ${loc.log})`);
    await new Promise((r) => setTimeout(r, 40));
  }
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
    CLI_MAIN, 'server', 'run', '--repo', loc.repo.mainRoot,
    ...(opts.config ? ['--config', path.resolve(opts.config)] : []),
    ...(opts.size ? ['--size', `${opts.size.cols}x${opts.size.rows}`] : []),
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd], cwd: loc.repo.mainRoot, env: process.env });
  child.unref();
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

/** Agents recorded by a previous server, so a crashed server's stragglers can be found. */
interface AgentRecord {
  pid: number;
  /** /proc start time: a recycled pid is not our agent. */
  start: string | null;
}

function procStart(pid: number): string | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * The server process itself (`flower-tui server run`). Agents die with it: their ptys close when it
 * exits, and on the next start any straggler recorded by a previous server is killed.
 */
export async function runServer(opts: { repoDir: string; config?: string; size?: string }): Promise<void> {
  const repo = await locateRepo(opts.repoDir);
  const loc = serverLocation(repo);
  ensurePrivateDir(loc.stateDir);
  ensurePrivateDir(socketDir());
  ensurePrivateDir(path.dirname(loc.socket));
  const log = (line: string) => {
    try {
      appendFileSync(loc.log, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      /* logging must never take the server down */
    }
  };
  const lockTarget = path.join(loc.stateDir, 'server');
  let release: () => Promise<void>;
  try {
    // Held for the server's whole life: a second server for this repository cannot start.
    // A killed server's lock goes stale after 4 s; a restart right after a crash retries until then.
    release = await lockfile.lock(lockTarget, {
      realpath: false,
      lockfilePath: `${lockTarget}.lock`,
      stale: 4_000,
      update: 1_500,
      retries: { retries: 12, factor: 1, minTimeout: 500, maxTimeout: 500 },
      onCompromised: (err) => log(`server lock compromised (${err.message}); carrying on`),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      log('another server is already running for this repository: exiting');
      process.exit(0);
    }
    throw e;
  }
  const agentsFile = path.join(loc.stateDir, 'agents.json');
  killStragglers(agentsFile, log);

  const config = loadConfig({ file: opts.config, mainRoot: repo.mainRoot });
  const m = /^(\d+)x(\d+)$/.exec(opts.size ?? '');
  const supervisor = await openSupervisor({ repo, config, actor: 'server', sizeHint: sizeHintFor(m ? Number(m[1]) : 120, m ? Number(m[2]) : 40) });
  const recordAgents = () => {
    const records: AgentRecord[] = supervisor.snapshot().agents.filter((a) => a.pid).map((a) => ({ pid: a.pid!, start: procStart(a.pid!) }));
    try {
      writeFileSync(agentsFile, JSON.stringify(records), { mode: 0o600 });
    } catch {
      /* best effort */
    }
  };
  supervisor.on('event', (e: { type: string }) => {
    if (e.type === 'snapshot') recordAgents();
  });
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    supervisor.killAllNow();
    writeFileSync(agentsFile, '[]', { mode: 0o600 });
    void release().finally(() => process.exit(code));
    setTimeout(() => process.exit(code), 1000).unref();
  };
  const server = new FlowerServer(supervisor, { socketPath: loc.socket, version: VERSION, logFile: loc.log, log, onStop: () => exit(0) });
  await server.listen();
  writeFileSync(path.join(loc.stateDir, 'server.json'), JSON.stringify({ pid: process.pid, socket: loc.socket, startedAt: Date.now() }), { mode: 0o600 });
  process.on('exit', () => supervisor.killAllNow());
  process.on('SIGTERM', () => void server.stop());
  process.on('SIGINT', () => void server.stop());
  process.on('SIGHUP', () => {}); // no terminal to lose; a stray SIGHUP must not kill the agents
  const crash = (e: unknown) => {
    log(`internal error: ${describeError(e)}\n${(e as Error)?.stack ?? ''}`);
    exit(70);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  for (const n of supervisor.snapshot().notices) log(n.text);
  log(`listening on ${loc.socket} (pid ${process.pid}, ${supervisor.snapshot().agents.length} agents)`);
}

function killStragglers(file: string, log: (l: string) => void): void {
  let records: AgentRecord[] = [];
  try {
    records = JSON.parse(readFileSync(file, 'utf8')) as AgentRecord[];
  } catch {
    return;
  }
  for (const r of records) {
    if (!r.pid || procStart(r.pid) === null || procStart(r.pid) !== r.start) continue;
    log(`killing agent pid ${r.pid} left behind by a previous server (${processTreeOf(r.pid).length} processes)`);
    killProcessTreeNow(r.pid);
  }
}

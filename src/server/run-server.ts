import { fileURLToPath } from 'node:url';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { loadConfig, type FlowerConfig } from '../config/config.js';
import { describeError, isFlowerError, type FlowerError } from '../shared/errors.js';
import { locateRepo } from '../core/git/repo.js';
import { killProcessTreeNow, processTreeOf } from '../core/agents/process-tree.js';
import { stoppedSince, writeStopMarker } from '../core/store/deliberate-stop.js';
import { UnattendedStop, unattendedStopMs } from './unattended-stop.js';
import { openSupervisor } from '../core/supervisor/open-supervisor.js';
import { shellQuote } from '../core/status/claude-hooks.js';
import { ensurePrivateDir, socketDir } from '../core/store/private-dir.js';
import { flowerVersion } from '../protocol/flower-version.js';
import { FlowerServer } from './server.js';
import { IdleCompaction } from './idle-compaction.js';
import { compactionPending } from '../core/agents/compaction-scheduler.js';
import { ConfigReload } from './config-reload.js';
import { startWatchdog } from './watchdog.js';
import { pidsWithTag, SERVER_TAG } from '../core/agents/process-tag.js';
import { serverLocation, type ServerFailedMessage, type ServerReadyMessage } from '../protocol/server-location.js';
import { sizeHintFor } from '../layout/size-hint.js';
import { startupMark } from '../shared/startup-trace.js';
import { restoreUserAllocatorEnv } from '../protocol/server-allocator.js';

// The server side of `flower-tui server run`: supervisor, ptys, emulators, git, state. Its own module so
// the cockpit and the CLI commands (which only connect) never load any of it, and this never loads Ink.

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
  startupMark('server: run');
  // Agents, gates and ssh get the user's environment, not the allocator preload we started with.
  restoreUserAllocatorEnv(process.env);
  // When this process was started: a stop asked for after it wins over it (see stoppedSince).
  const spawnedAt = Date.now() - Math.ceil(process.uptime() * 1000);
  const repo = await locateRepo(opts.repoDir);
  startupMark('server: repo located');
  const loc = serverLocation(repo);
  // Before anything else (the lock, stragglers, agents): an invalid config is the starter's one line,
  // told over the IPC channel, and exit 2 — not a "server did not start" pieced together from the log.
  let config: FlowerConfig;
  try {
    config = loadConfig({ file: opts.config, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  } catch (e) {
    if (isFlowerError(e)) await tellStarterFailed(e);
    throw e;
  }
  startupMark('server: config loaded');
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
  startupMark('server: locked');
  // A parallel cold start: we waited for the lock while another server served, and the operator has
  // stopped that one since. Serving now would bring back what was just stopped.
  const stopped = stoppedSince(loc.stateDir, spawnedAt);
  if (stopped) {
    log(`a stop (${stopped.by}) was asked for after this server was started: exiting`);
    await release().catch(() => {});
    process.exit(0);
  }
  const agentsFile = path.join(loc.stateDir, 'agents.json');
  killStragglers(agentsFile, log);
  killTaggedLeftovers(path.join(loc.stateDir, 'server.json'), log);
  // Before any agent starts: if this server dies without stopping them, the watchdog does.
  startWatchdog(config.agents.killGraceMs, log);

  const m = /^(\d+)x(\d+)$/.exec(opts.size ?? '');
  // Agents' hooks run `flower-tui hook …` with this node and launcher, and reach us through this socket.
  const hooks = { socket: loc.socket, command: `${shellQuote(process.execPath)} ${shellQuote(fileURLToPath(new URL('../../bin/flower-tui.js', import.meta.url)))}` };
  const supervisor = await openSupervisor({ repo, config, actor: 'server', hooks, sizeHint: sizeHintFor(m ? Number(m[1]) : 120, m ? Number(m[2]) : 40) });
  startupMark('server: supervisor open');
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
  const compaction = new IdleCompaction(undefined, undefined, compactionPending);
  supervisor.on('agent-output', (_agent: string, data: Uint8Array) => compaction.output(data.length));
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    // Nothing here may throw before the exit is scheduled: the repository (and our state dir) may
    // have been deleted under us, and a server that cannot exit would hold its agents forever.
    setTimeout(() => process.exit(code), 1000).unref();
    try {
      supervisor.killAllNow();
      writeFileSync(agentsFile, '[]', { mode: 0o600 });
    } catch {
      /* state dir gone */
    }
    void release()
      .catch(() => {})
      .finally(() => process.exit(code));
  };
  // A demo's server stops itself once no cockpit has been attached for a while (see unattended-stop.ts).
  const unattendedMs = unattendedStopMs(loc.stateDir);
  let unattended: UnattendedStop | null = null;
  const server: FlowerServer = new FlowerServer(supervisor, {
    socketPath: loc.socket,
    version: flowerVersion(),
    logFile: loc.log,
    log,
    onStop: () => exit(0),
    onAttached: (n) => unattended?.attached(n),
  });
  await server.listen();
  if (unattendedMs !== null) {
    unattended = new UnattendedStop(unattendedMs, () => {
      const agents = supervisor.liveAgents().map((a) => a.id);
      log(`demo: no cockpit attached for ${Math.round(unattendedMs / 1000)} s: stopping ${agents.length} agents and the server`);
      supervisor.record({ actor: 'server', action: 'stop', target: repo.mainRoot, details: { agents, reason: 'unattended demo', idleMs: unattendedMs, deliberate: true }, outcome: 'ok' });
      writeStopMarker(loc.stateDir, { at: Date.now(), by: 'the demo stopping itself (no cockpit attached)', agents });
      void server.stop();
    });
  }
  // Saved config changes apply without a restart; an invalid one is reported and the old one kept.
  new ConfigReload({ supervisor, mainRoot: repo.mainRoot, commonDir: repo.commonDir, file: opts.config, log }).start();
  writeFileSync(path.join(loc.stateDir, 'server.json'), JSON.stringify({ pid: process.pid, socket: loc.socket, startedAt: Date.now(), processTag: SERVER_TAG }), { mode: 0o600 });
  startupMark('server: listening');
  // `server stop` while we were opening (no socket yet to reach us) left its marker: honour it.
  if (stoppedSince(loc.stateDir, spawnedAt)) {
    log('a stop was asked for while this server was starting: stopping');
    void server.stop();
    return;
  }
  tellStarterListening(loc.socket);
  process.on('exit', () => supervisor.killAllNow());
  // A shutdown, a reboot, a logout: not the operator's stop, so the agents stay remembered for restore.
  const onSignal = (signal: string) => {
    supervisor.record({ actor: 'server', action: 'stop', target: repo.mainRoot, details: { agents: supervisor.liveAgents().map((a) => a.id), signal, deliberate: false }, outcome: 'ok' });
    void server.stop();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
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

/**
 * The previous server's process tag (it is dead: we hold the lock). Its watchdog kills what its agents
 * left; should the watchdog have been killed too (a `kill -9` of everything), we do it here.
 */
function killTaggedLeftovers(serverFile: string, log: (l: string) => void): void {
  let tag: unknown;
  try {
    tag = (JSON.parse(readFileSync(serverFile, 'utf8')) as { processTag?: unknown }).processTag;
  } catch {
    return;
  }
  if (typeof tag !== 'string' || !/^\d+-[0-9a-f]+$/.test(tag) || tag === SERVER_TAG) return;
  const pids = pidsWithTag({ prefix: tag });
  if (!pids.length) return;
  log(`killing ${pids.length} process(es) left behind by a previous server's agents (tag ${tag})`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
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

/**
 * Tell the client that started us (over the IPC channel it opened) that the socket accepts connections,
 * so it connects at once instead of polling; then drop the channel: the server outlives its starter.
 */
function tellStarterListening(socket: string): void {
  if (!process.send || !process.connected) return;
  const msg: ServerReadyMessage = { t: 'flower-server-listening', socket };
  try {
    process.send(msg, () => {
      if (process.connected) process.disconnect();
    });
  } catch {
    /* the starter has gone already: nobody to tell */
  }
}

/** Tell the starter why we cannot start (its one line and exit code); resolves once sent, or at once. */
function tellStarterFailed(e: FlowerError): Promise<void> {
  if (!process.send || !process.connected) return Promise.resolve();
  const msg: ServerFailedMessage = { t: 'flower-server-failed', code: e.code, message: e.message };
  return new Promise((resolve) => {
    try {
      process.send!(msg, () => resolve());
    } catch {
      resolve();
    }
  });
}

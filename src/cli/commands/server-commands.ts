import { writeStopMarker } from '../../core/store/deliberate-stop.js';
import { FlowerError, isFlowerError } from '../../shared/errors.js';
import type { Snapshot } from '../../core/types.js';
import { agentIsLive } from '../../core/types.js';
import type { ServerInfo } from '../../protocol/messages.js';
import net from 'node:net';
import { connectOrStartServer, connectToServer } from '../../client/server-process.js';
import { formatUptime } from '../../shared/format-duration.js';
import { locate, print, type RepoArgs } from './common.js';

export async function serverStatusCommand(args: RepoArgs): Promise<void> {
  const loc = await locate(args);
  const c = await connectToServer(loc, 'cli');
  try {
    const r = (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
    const running = r.snapshot.agents.filter((a) => agentIsLive(a.state)).length;
    print(
      args,
      `server running: pid ${r.server.pid}, up ${formatUptime(Date.now() - r.server.startedAt)}, ${running} agent${running === 1 ? '' : 's'} running, ${r.server.clients} client${r.server.clients === 1 ? '' : 's'}\nsocket ${r.server.socket}\nlog    ${r.server.log}`,
      { running: true, ...r.server, agentsRunning: running },
    );
  } finally {
    c.close();
  }
}

/** Stop every agent and the server; waits until the server has gone. */
export async function serverStopCommand(args: RepoArgs): Promise<void> {
  const loc = await locate(args);
  let c;
  try {
    c = await connectToServer(loc, 'cli');
  } catch (e) {
    // No server answers, but one may be starting (a cold start racing this stop): the marker makes
    // it step aside instead of serving, and the next start not restore the remembered agents.
    if (isFlowerError(e) && e.code === 'no-server') writeStopMarker(loc.stateDir, { at: Date.now(), by: 'flower-tui server stop', agents: null });
    if (!isFlowerError(e) || e.code !== 'protocol-mismatch') throw e;
    // A server of another version (started before an upgrade): it will not take our requests, but
    // it stops its agents and exits on SIGTERM.
    const { stopServerBySignal } = await import('../../server/stop-by-signal.js');
    const pid = await stopServerBySignal(loc);
    print(args, `server stopped (pid ${pid}, another flower-tui version): its agents were stopped`, { stopped: true, pid, agentsStopped: null });
    return;
  }
  const r = (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
  const running = r.snapshot.agents.filter((a) => agentIsLive(a.state)).map((a) => a.id);
  const gone = new Promise<void>((resolve) => c.once('close', () => resolve()));
  await c.request({ type: 'stopServer' });
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  if ((await Promise.race([gone, timeout])) === 'timeout') throw new FlowerError('server-failed', `the server (pid ${r.server.pid}) did not stop within 20 s`);
  print(
    args,
    `server stopped (pid ${r.server.pid})${running.length ? `; stopped ${running.join(', ')} (not restored at the next start: the stop is remembered)` : ''}`,
    { stopped: true, pid: r.server.pid, agentsStopped: running, restoredAtNextStart: false },
  );
}

/**
 * `server bridge`: join this process's stdin/stdout to the repository's server socket, starting the
 * server first when none runs — what another host's flower-tui runs through ssh (ssh-transport.ts).
 * Nothing but the server's bytes goes to stdout; errors are one line on stderr. It only ever reaches
 * this user's own socket (in a private directory), never a port.
 */
export async function serverBridgeCommand(args: RepoArgs): Promise<void> {
  const loc = await locate(args);
  const { client } = await connectOrStartServer(loc, 'cli', { config: args.config });
  const socketPath = client.server.socket;
  client.close();
  const sock = net.connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  await new Promise<void>((resolve) => {
    sock.on('error', () => {});
    sock.once('close', () => resolve());
    process.stdin.once('end', () => sock.end());
    process.stdin.once('error', () => sock.end());
    process.stdin.pipe(sock);
    sock.pipe(process.stdout);
  });
}

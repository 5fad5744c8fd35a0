import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../core/agents/process-tree.js';
import { FlowerError } from '../shared/errors.js';
import type { ServerLocation } from '../protocol/server-location.js';

/**
 * Stop a server this version cannot talk to (another protocol: typically one started before an
 * upgrade). Its pid is in server.json; it is signalled only if that pid is still a flower-tui
 * server (`server run` in its command line), so a reused pid is never hit. SIGTERM makes a server
 * stop its agents and exit, as `server stop` would. Resolves with the pid once it has gone.
 */
export async function stopServerBySignal(loc: ServerLocation, timeoutMs = 20_000): Promise<number> {
  let pid: number | null = null;
  try {
    const j = JSON.parse(readFileSync(path.join(loc.stateDir, 'server.json'), 'utf8')) as { pid?: unknown };
    pid = typeof j.pid === 'number' ? j.pid : null;
  } catch {
    /* no record */
  }
  if (pid === null || !isFlowerServer(pid)) {
    throw new FlowerError('server-failed', `the running server speaks another protocol and its pid is not on record: stop it by hand (ps aux | grep 'flower-tui.*server run')`);
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new FlowerError('server-failed', `the server (pid ${pid}) did not stop within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return pid;
}

function isFlowerServer(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = argv.indexOf('server');
    return i >= 0 && argv[i + 1] === 'run';
  } catch {
    return false;
  }
}

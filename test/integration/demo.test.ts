/**
 * The demo leaves nothing behind (issue 13.2): its server stops itself and its agents once no cockpit
 * has been attached for the idle period (FLOWER_DEMO_IDLE_MS here, 10 minutes by default), `demo`
 * finds the running demo to re-attach to, and `demo --clean` removes the scratch repositories no
 * server runs for. Real demo repositories in a private temp dir, real servers and demo agents.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir } from '../helpers/git-repo.js';
import { BIN } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive, killLeftovers } from '../helpers/processes.js';
import { createDemoRepo } from '../../src/cli/demo-repo.js';
import { cleanDemos, runningDemo } from '../../src/cli/demo-sessions.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { readTrace } from '../../src/core/store/trace.js';
import type { Snapshot } from '../../src/core/types.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';
import { connectOrStartServer } from '../../src/client/server-process.js';
import { serverLocation } from '../../src/protocol/server-location.js';
import type { ServerInfo } from '../../src/protocol/messages.js';

const T = { timeout: 180_000 };
const WAIT = { timeoutMs: 40_000 };
const base = makeTempDir('flower-demo-it-');
const pids = new Set<number>();
after(() => {
  for (const d of [...cleanDemos(base).kept]) spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', d.mainRoot], { timeout: 30_000 });
  killLeftovers(pids);
  rmSync(base, { recursive: true, force: true });
});

/** Start a demo's server as `flower-tui demo` does (the server inherits FLOWER_DEMO_IDLE_MS). */
async function startDemoServer(idleMs: number) {
  const demo = await createDemoRepo(base);
  const loc = serverLocation(await locateRepo(demo.mainRoot));
  process.env.FLOWER_DEMO_IDLE_MS = String(idleMs);
  const { client } = await connectOrStartServer(loc, 'cli', { config: demo.configFile });
  delete process.env.FLOWER_DEMO_IDLE_MS;
  const st = await waitUntil(
    async () => {
      const r = (await client.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
      return r.snapshot.agents.length === 3 && r.snapshot.agents.every((a) => a.pid) ? r : null;
    },
    { ...WAIT, what: 'the three demo agents' },
  );
  client.close();
  pids.add(st.server.pid);
  for (const a of st.snapshot.agents) pids.add(a.pid!);
  return { demo, loc, serverPid: st.server.pid, agentPids: st.snapshot.agents.map((a) => a.pid!) };
}

describe('demo', () => {
  test('a demo server with no cockpit attached stops itself and its agents; an attached cockpit keeps it', T, async () => {
    const d = await startDemoServer(1500);
    // A cockpit attached (subscribed): the server stays, however long that is.
    const b = await RemoteBackend.open((await connectOrStartServer(d.loc, 'tui', { config: d.demo.configFile })).client, { scrollback: 100 });
    await sleep(4000);
    assert.ok(isProcessAlive(d.serverPid), 'still running while a cockpit is attached');
    await b.close();
    // Detached: after the idle period, the server and every demo agent are gone.
    await waitUntil(() => !isProcessAlive(d.serverPid) && d.agentPids.every((p) => !isProcessAlive(p)), { ...WAIT, what: 'the unattended demo to stop' });
    const stop = readTrace(d.loc.stateDir, { action: 'stop' }).at(-1);
    assert.equal(stop?.details?.reason, 'unattended demo');
    const st = spawnSync(process.execPath, [BIN, 'status', '--repo', d.demo.mainRoot], { encoding: 'utf8' });
    assert.equal(st.status, 3);
    assert.match(st.stderr, /the next start restores nothing \(stopped deliberately by the demo stopping itself/);
  });

  test('runningDemo finds the demo to re-attach to; demo --clean removes the others and keeps it', T, async () => {
    const stale = await createDemoRepo(base); // never started (or stopped long ago)
    const live = await startDemoServer(600_000);
    assert.equal(runningDemo(base)?.dir, live.demo.dir);
    const r = spawnSync(process.execPath, [BIN, 'demo', '--clean'], { encoding: 'utf8', env: { ...process.env, TMPDIR: base } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^flower-tui demo: removed \d+ scratch repositor(y|ies): .*flower-demo-/);
    assert.ok(r.stdout.includes(stale.dir), r.stdout);
    assert.ok(r.stdout.includes(`kept ${live.demo.dir}: its server runs (pid ${live.serverPid})`), r.stdout);
    assert.equal(existsSync(stale.dir), false, 'the old scratch repository is gone');
    assert.equal(existsSync(live.demo.dir), true, 'the running demo is kept');
    assert.ok(isProcessAlive(live.serverPid));
    spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', live.demo.mainRoot], { timeout: 30_000 });
    await waitUntil(() => !isProcessAlive(live.serverPid), { ...WAIT, what: 'the demo server to stop' });
    assert.equal(runningDemo(base), null, 'nothing to re-attach to once it stopped');
    const again = spawnSync(process.execPath, [BIN, 'demo', '--clean'], { encoding: 'utf8', env: { ...process.env, TMPDIR: base } });
    assert.ok(again.stdout.includes(live.demo.dir), 'a stopped demo is removed by the next clean');
    assert.equal(existsSync(path.join(live.demo.dir)), false);
  });
});

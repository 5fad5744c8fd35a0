/**
 * One cockpit, several hosts (issue 19), end to end: the built binary in tmux, a real OpenSSH
 * server on 127.0.0.1 and a "remote" clone in another temp dir. The host's lane shows in the grid
 * as `box:LANE`; attached through ssh, typed text reaches its agent; scroll mode reads its history
 * there and r respawns it there; a dropped link greys it with
 * the reason while the remote agent lives on, and the reconnect shows its current screen; a host
 * that cannot be reached is one line and the rest of the cockpit keeps working; a lane made on the
 * host from the cockpit starts at MAIN's commit here; a brief dispatched to the host's lane moves
 * to the host's server; merging the host's lane lands it in MAIN and makes that brief merged.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList } from '../helpers/cli.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { whyNoSshd } from '../helpers/sshd.js';
import { cliWith, hostClone, type HostClone } from '../helpers/host-clone.js';
import { TmuxSession } from '../helpers/tmux.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';

const onCleanup = cleanupList();
const skip = whyNoSshd() ?? false;

describe('the cockpit with a host over ssh', { skip }, () => {
  let c: HostClone;
  let local: TestRepo;
  let s: TmuxSession | null = null;
  const { ok } = cliWith(() => ({ repo: c.local.mainRoot, config: c.configFile }));
  const remotePid = (id: string) => (JSON.parse(ok(['status', '--json', '--host', 'box'])) as { agents: { id: string; pid: number | null }[] }).agents.find((a) => a.id === id)?.pid ?? null;

  before(async () => {
    let stranger = '';
    c = await hostClone(onCleanup, (h) => (stranger = h.stranger()));
    local = c.local;
    const { sshd, host } = c;
    writeFileSync(
      c.configFile,
      JSON.stringify({
        hosts: {
          box: host(),
          gone: host({ sshArgs: [...sshd.sshArgs, '-o', 'Port=1', '-o', 'ConnectTimeout=5'] }),
          nowhere: host({ repo: path.join(c.remoteDir, 'no-such-clone') }),
          stranger: host({ repo: stranger }),
        },
      }),
    );
    // A local lane beside the remote one: the cockpit shows both, each on its own server.
    ok(['worktree', 'add', 'near']);
    ok(['worktree', 'add', 'far', '--host', 'box']);
    ok(['spawn', 'far', 'shell', '--name', 'sh', '--host', 'box']);
    ok(['send', 'far/sh', 'echo "from-the-host-$((6*7))"', '--host', 'box']);
  });

  after(() => s?.kill());

  test('the remote lane is in the grid; attach, type, a dropped link, the reconnect', async () => {
    s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', local.mainRoot, '--config', c.configFile], cols: 200, rows: 50 });
    // Both lanes, the remote one under its host's name with its agent's screen.
    let screen = await s.waitFor(/box:far[\s\S]*from-the-host-42/, { timeoutMs: 60_000 });
    assert.match(screen, /near/, 'the local lane is there too');
    // Each host that cannot be used is one line saying why; none of them stops the cockpit.
    screen = await s.waitFor(/host ✗ gone: cannot reach/, { timeoutMs: 30_000 });
    assert.match(screen, /host ✗ gone: cannot reach flower-test-host over ssh \(connect to host 127\.0\.0\.1 port 1: Connection refused\) — retrying \(\d+s\)/);
    screen = await s.waitFor(/host ✗ stranger: .*other-project is not a clone of this project/, { timeoutMs: 30_000 });
    screen = await s.waitFor(/host ✗ nowhere: not a directory: .*no-such-clone/, { timeoutMs: 30_000 });
    assert.doesNotMatch(screen, /stranger: .*retrying/, 'a clone of another project is not tried again');
    assert.doesNotMatch(screen, /box: (connecting|disconnected)/);

    // Attach to the remote agent (lane 3: MAIN is 1, this machine's lanes come next, the host's after).
    s.sendKeys('3');
    await s.waitFor(/┏━ 3 box:far/, { timeoutMs: 10_000 });
    s.sendKeys('Enter');
    // Attached: the agent's screen is the whole terminal, the grid's chrome gone.
    await s.waitForGone(/MAIN · read-only/, { timeoutMs: 10_000 });
    await s.waitFor(/from-the-host-42/, { timeoutMs: 10_000 });
    s.typeText('echo "typed-over-$((2+3))"');
    s.sendKeys('Enter');
    await s.waitFor(/typed-over-5/, { timeoutMs: 20_000 });
    s.sendKeys('C-q');
    screen = await s.waitFor(/box:far[\s\S]*typed-over-5/, { timeoutMs: 10_000 });
    let pid = remotePid('far/sh')!;
    assert.ok(pid, 'the remote agent has a pid');

    // The link drops (every ssh session's server side killed): greyed with the reason, agent alive.
    c.sshd.dropSessions();
    screen = await s.waitFor(/box: disconnected/, { timeoutMs: 30_000 });
    assert.ok(isProcessAlive(pid), 'the remote agent outlives the dropped link');
    // Meanwhile the host's agent goes on; the reconnect shows the screen as it is now, not as it was.
    ok(['send', 'far/sh', 'echo "while-away-$((3*3))"', '--host', 'box']);
    // (The screens load a moment before the link says it is up: wait for both.)
    await s.waitForGone(/box: disconnected — reconnecting/, { timeoutMs: 60_000 });
    screen = await s.waitFor(/while-away-9/, { timeoutMs: 10_000 });
    assert.match(screen, /typed-over-5/, 'what was there before is still there');
    assert.equal(remotePid('far/sh'), pid, 'the very same agent');

    // Scroll mode on the host's agent reads its history from the host's server.
    s.sendKeys('3');
    s.sendKeys('[');
    screen = await s.waitFor(/sh · shell .*scroll/, { timeoutMs: 10_000 });
    assert.match(screen, /from-the-host-42/, 'the history is the host agent\'s');
    s.sendKeys('Escape');
    await s.waitForGone(/sh · shell .*scroll/, { timeoutMs: 10_000 });
    // Respawn (r) restarts it on its host: a new process there, the same agent.
    s.sendKeys('r');
    await s.waitFor(/box:far\/sh is running\. Kill it and start it again\?/, { timeoutMs: 10_000 });
    s.sendKeys('y');
    await s.waitFor(/── respawned/, { timeoutMs: 20_000 });
    await waitUntil(() => remotePid('far/sh') !== pid && remotePid('far/sh') !== null, { timeoutMs: 20_000, what: 'a new process for box:far/sh' });
    assert.ok(!isProcessAlive(pid), 'the old process is gone');
    pid = remotePid('far/sh')!;

    // The local lane worked throughout: a command on it answers.
    s.sendKeys('2');
    s.sendKeys('n');
    await s.waitFor(/shell/, { timeoutMs: 5000 });
    s.sendKeys('Escape');

    // A lane made on the host from the cockpit's form (w, its "where" field): it starts at MAIN's commit here.
    writeFileSync(path.join(local.mainRoot, 'only-here.txt'), 'a commit the host has never seen\n');
    execFileSync('git', ['-C', local.mainRoot, 'add', 'only-here.txt']);
    execFileSync('git', ['-C', local.mainRoot, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'after the clone']);
    s.sendKeys('w');
    await s.waitFor(/New worktree/, { timeoutMs: 5000 });
    s.typeText('made-here');
    s.sendKeys('BTab');
    s.sendKeys('Space');
    await s.waitFor(/\(•\) box/, { timeoutMs: 5000 });
    s.sendKeys('Enter');
    await s.waitFor(/box:made-here/, { timeoutMs: 60_000 });
    const hostLanes = JSON.parse(ok(['worktree', 'ls', '--json', '--host', 'box'])) as { name: string; path: string }[];
    const made = hostLanes.find((w) => w.name === 'made-here');
    assert.ok(made, `the lane is on the host: ${JSON.stringify(hostLanes)}`);
    const head = (dir: string) => execFileSync('git', ['-c', 'safe.directory=*', '-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    assert.equal(head(made.path), head(local.mainRoot));

    // Merging the host's lane is a MAIN operation, from the cockpit as for a local lane: the gate on
    // the host, its exact commit fetched here, merged into MAIN.
    ok(['send', 'far/sh', 'echo from-far > far.txt && git add far.txt && git -c user.name=a -c user.email=a@a commit -qm "far work" && echo committed-$((1+1))', '--host', 'box']);
    await s.waitFor(/committed-2/, { timeoutMs: 30_000 });

    // A brief goes with its lane: dispatched from the cockpit to the host's lane, it moves to the
    // host's server, is claimed and done there, and the merge here makes it merged there.
    ok(['brief', 'add', 'Far work', '--spec', 'Do the far work.']);
    ok(['send', 'far/sh', 'cat > /dev/null', '--host', 'box']); // the brief's packet is typed to the agent: swallow it
    s.sendKeys('3');
    s.sendKeys('b');
    await s.waitFor(/planned\s+#1 Far work/, { timeoutMs: 10_000 });
    s.sendKeys('D');
    await s.waitFor(/dispatched\s+box#1 Far work/, { timeoutMs: 60_000 });
    const local1 = JSON.parse(ok(['brief', 'show', '1', '--json'])) as { brief: { status: string; reason: string | null } };
    assert.deepEqual([local1.brief.status, local1.brief.reason], ['closed', 'moved to box#1 with its lane']);
    const remote1 = () => (JSON.parse(ok(['brief', 'show', '1', '--json', '--host', 'box'])) as { brief: { status: string; agent: string; spec: string; notes: { text: string }[] } }).brief;
    assert.deepEqual([remote1().status, remote1().agent, remote1().spec], ['dispatched', 'far/sh', 'Do the far work.']);
    assert.match(remote1().notes[0]!.text, /^moved from #1 /);
    ok(['brief', 'claim', '1', '--agent', 'far/sh', '--host', 'box']);
    ok(['brief', 'done', '1', '--summary', 'far work done', '--host', 'box']);
    await s.waitFor(/ready\s+box#1 Far work/, { timeoutMs: 30_000 });
    s.sendKeys('Escape');
    await s.waitForGone('Briefs ·', { timeoutMs: 10_000 });

    s.sendKeys('3');
    s.sendKeys('m');
    await s.waitFor(/Merge box:far into main/, { timeoutMs: 60_000 });
    s.sendKeys('y');
    await s.waitFor(/merged box:far into main/, { timeoutMs: 90_000 });
    s.sendKeys('Enter');
    assert.equal(execFileSync('git', ['-C', local.mainRoot, 'show', 'HEAD:far.txt'], { encoding: 'utf8' }), 'from-far\n', "MAIN has the host's commit");
    await waitUntil(() => remote1().status === 'merged', { timeoutMs: 30_000, what: () => `the host's brief to be merged: ${remote1().status}` });

    // A lane removed on the host leaves the grid.
    ok(['kill', 'far/sh', '--host', 'box']);
    await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 10_000, what: 'the remote agent to end' });
    ok(['worktree', 'rm', 'far', '--force', '--host', 'box']);
    await s.waitForGone(/[─━] \d box:far /, { timeoutMs: 30_000 });
  });
});

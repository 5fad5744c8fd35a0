/**
 * Hosts over ssh (issue 19), with a real OpenSSH server on 127.0.0.1 started by the test and a
 * "remote" clone of the project in another temp dir: `--host NAME` sends a command to that host's
 * flower-tui server through `ssh … flower-tui server bridge` (which starts the server there), so
 * lanes and agents live on the host; a dropped link leaves them running; bad hosts are one line.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList } from '../helpers/cli.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { whyNoSshd, type TestSshd } from '../helpers/sshd.js';
import { hostClone, type HostClone } from '../helpers/host-clone.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';

const onCleanup = cleanupList();
const skip = whyNoSshd() ?? false;

describe('hosts over ssh', { skip }, () => {
  let sshd: TestSshd;
  let local: TestRepo;
  let remoteMain: string;
  let configFile: string;
  const flower = (args: string[], opts: { host?: string | null } = {}) => {
    const host = opts.host === undefined ? ['--host', 'box'] : opts.host === null ? [] : ['--host', opts.host];
    const r = spawnSync(process.execPath, [BIN, ...args, ...host, '--repo', local.mainRoot, '--config', configFile], { encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[]) => {
    const r = flower(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  let remoteDir: string;
  let host: HostClone['host'];
  before(async () => {
    const c = await hostClone(onCleanup, (h) => h.stranger());
    ({ sshd, local, remoteMain, configFile, remoteDir, host } = c);
    writeFileSync(
      configFile,
      JSON.stringify({
        hosts: {
          box: host(),
          gone: host({ sshArgs: [...sshd.sshArgs, '-o', 'Port=1', '-o', 'ConnectTimeout=5'] }),
          nowhere: host({ repo: path.join(remoteDir, 'no-such-clone') }),
          bare: host({ command: 'flower-tui-not-installed-here' }),
          stranger: host({ repo: path.join(remoteDir, 'other-project') }),
        },
      }),
    );
  });

  test('status, worktree add, spawn, send and kill go to the host\'s server; the lane is on the host', async () => {
    const status = JSON.parse(ok(['status', '--json'])) as { main: { path?: string }; worktrees: { name: string; path: string }[] };
    assert.ok(JSON.stringify(status).includes(remoteMain), 'the host\'s server, for its clone');
    assert.equal((status as { host?: string }).host, 'box', '--json says which host answered');
    assert.ok(!JSON.stringify(status).includes(local.mainRoot), 'not the local one');
    ok(['worktree', 'add', 'far-lane']);
    const lanes = JSON.parse(ok(['worktree', 'ls', '--json'])) as { worktrees?: { name: string; path: string }[] } | { name: string; path: string }[];
    const list = Array.isArray(lanes) ? lanes : (lanes.worktrees ?? []);
    const far = list.find((w) => w.name === 'far-lane');
    assert.ok(list.every((w) => (w as { host?: string }).host === 'box'), 'each listed lane names its host');
    assert.ok(far && far.path.startsWith(path.dirname(remoteMain)), `the lane is beside the host's clone: ${JSON.stringify(list)}`);
    assert.equal(spawnSync('git', ['-C', local.mainRoot, 'worktree', 'list']).stdout.toString().includes('far-lane'), false, 'no lane appeared locally');

    ok(['spawn', 'far-lane', 'shell', '--name', 'sh']);
    ok(['send', 'far-lane/sh', 'echo "hello from $((6*7))" > remote-said.txt']);
    const said = path.join(far!.path, 'remote-said.txt');
    await waitUntil(() => spawnSync('cat', [said]).stdout.toString() === 'hello from 42\n', { timeoutMs: 20_000, what: 'the text typed over ssh to run in the remote agent' });

    // The link drops: the agent lives on (its server is on its host), and the next command reconnects.
    const agents = () => (JSON.parse(ok(['status', '--json'])) as { agents: { id: string; pid: number | null }[] }).agents;
    const pid = agents().find((a) => a.id === 'far-lane/sh')!.pid!;
    sshd.dropSessions();
    assert.ok(isProcessAlive(pid), 'the remote agent survives a dropped ssh link');
    assert.equal(agents().find((a) => a.id === 'far-lane/sh')?.pid, pid, 'reconnected: the same agent');

    ok(['kill', 'far-lane/sh']);
    await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 10_000, what: 'the remote agent to end' });
    // Its trace is the host's: log --host reads it there.
    const traced = ok(['log', '--agent', 'far-lane/sh', '--json']).trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action);
    assert.deepEqual([traced[0], traced.includes('send'), traced.includes('kill')], ['spawn', true, true], traced.join(' '));
    assert.equal(flower(['log', '--agent', 'far-lane/sh'], { host: null }).stdout, '', 'nothing of it here');
    const badSince = flower(['log', '--since', 'someday']);
    assert.equal(badSince.status, 2);
    assert.match(badSince.stderr, /^flower-tui: box: --since: cannot read "someday"/);
    // A follow over ssh ends on the host too when it ends here.
    const follow = spawn(process.execPath, [BIN, 'log', '--follow', '--host', 'box', '--repo', local.mainRoot, '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    await waitUntil(() => followed.includes('far-lane/sh'), { timeoutMs: 20_000, what: 'the followed trace' });
    const followers = () => spawnSync('pgrep', ['-f', 'until-stdin-ends']).stdout.toString().trim();
    assert.notEqual(followers(), '', 'sanity: the follow runs on the host');
    follow.kill('SIGINT');
    await waitUntil(() => followers() === '', { timeoutMs: 10_000, what: 'the follow on the host to end' });
    // The local repository has no server: nothing ran here.
    const localStatus = flower(['status'], { host: null });
    assert.equal(localStatus.status, 3, 'no local server was started');
  });

  test('worktree add --host starts the lane from MAIN\'s commit here, brought over in a flower-tui ref', () => {
    // A commit the host's clone has never seen.
    writeFileSync(path.join(local.mainRoot, 'only-here.txt'), 'made after the clone\n');
    execFileSync('git', ['-C', local.mainRoot, 'add', 'only-here.txt']);
    execFileSync('git', ['-C', local.mainRoot, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'after the clone']);
    const tip = execFileSync('git', ['-C', local.mainRoot, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const onHost = (args: string[]) => execFileSync('git', ['-c', 'safe.directory=*', '-C', remoteMain, ...args], { encoding: 'utf8' }).trim();
    const hostHead = onHost(['rev-parse', 'HEAD']);
    assert.notEqual(hostHead, tip, 'sanity: the host is behind');

    const made = JSON.parse(ok(['worktree', 'add', 'from-tip', '--json'])) as { path: string; branch: string };
    assert.equal(execFileSync('git', ['-c', 'safe.directory=*', '-C', made.path, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(), tip, 'the lane starts at MAIN\'s commit here');
    assert.equal(onHost(['rev-parse', 'HEAD']), hostHead, 'the host\'s checked-out branch is untouched');
    assert.equal(onHost(['status', '--porcelain']), '', 'and its working tree too');
    assert.equal(onHost(['for-each-ref', 'refs/flower/']), '', 'the hand-over ref is gone once the lane has its branch');

    // A base that does not exist here is refused here, before anything reaches the host.
    const bad = flower(['worktree', 'add', 'from-nowhere', '--base', 'no-such-branch']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /^flower-tui: no such commit or branch: no-such-branch\n$/);
    // The host's MAIN lacks that commit, so its server counts it as unmerged there.
    ok(['worktree', 'rm', 'from-tip', '--force']);
  });

  test('a bad host is one line naming it, with a distinct exit; the others keep working', () => {
    const cases: [string, number, RegExp][] = [
      ['mystery', 2, /^flower-tui: no host "mystery" in the config \(hosts: box, gone, nowhere, bare, stranger\)\n$/],
      ['stranger', 5, /^flower-tui: stranger: .*other-project is not a clone of this project \(no commit in common with .*\): fix hosts\.stranger\.repo\n$/],
      ['gone', 5, /^flower-tui: gone: cannot reach flower-test-host over ssh \(.+\)\n$/],
      ['nowhere', 5, /^flower-tui: nowhere: not a directory: .*no-such-clone\n$/],
      ['bare', 5, /^flower-tui: bare: flower-tui is not installed there \(hosts\.bare\.command is "flower-tui-not-installed-here"\)\n$/],
    ];
    for (const [host, code, re] of cases) {
      const r = flower(['status'], { host });
      assert.equal(r.status, code, `${host}: ${r.stderr}`);
      assert.match(r.stderr, re, host);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${host}: one line`);
    }
    assert.equal(flower(['status']).status, 0, 'box still answers');
    // A command that cannot reach a host says so instead of acting here.
    const doctor = flower(['doctor']);
    assert.equal(doctor.status, 2);
    assert.match(doctor.stderr, /^flower-tui: --host is not supported by flower-tui doctor yet \(it is by: log, status, spawn, .*\)\n$/);
  });
});

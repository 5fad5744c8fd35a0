// A private OpenSSH server on 127.0.0.1 for the bench (issue 19), as test/helpers/sshd.ts starts one
// for the tests: its own host key, one authorized client key, a free port, no passwords, and an
// ssh_config whose Host alias reaches it, all in its own temp dir. The user's ~/.ssh is never read
// or written (ssh always gets -F with this config; known_hosts is pinned to the generated key).
// As root the login is a throwaway account made for this run (its shell /bin/sh, its home in the
// temp dir); close() — registered with the clean-up list, so it runs on every exit path — stops
// sshd, kills by pid whatever that account still runs (every one of them started by this run), and
// removes the account and the dir.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { alive, killPid, waitUntil } from './proc.mjs';

export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p)) ?? null;

/** Why no sshd can run here, or null. */
export function whyNoSshd() {
  if (!SSHD) return 'openssh-server is not installed (apt-get install openssh-server)';
  if (spawnSync('ssh', ['-V']).error) return 'the ssh client is not installed (apt-get install openssh-client)';
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function throwawayUser(dir) {
  const name = `flbench${process.pid % 100000}`;
  const home = path.join(dir, 'home');
  const r = spawnSync('useradd', ['--system', '--user-group', '--shell', '/bin/sh', '--home-dir', home, '--create-home', name], { encoding: 'utf8' });
  if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new Error(`useradd: ${r.stderr.trim()}`);
  // Without PAM, sshd refuses a locked account ("!") even for a key: "*" is no password, unlocked.
  spawnSync('usermod', ['-p', '*', name]);
  const id = (flag) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  spawnSync('chown', ['-R', `${name}:${name}`, home]);
  return { name, uid: id('-u'), gid: id('-g'), home, throwaway: true };
}

/** Start sshd; resolves with { port, user, alias, sshConfig, sshArgs, give(dir), ssh(args), log(), close() }. */
export async function startSshd() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flower-bench-sshd-')));
  const keygen = (file) => {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'flower-bench', '-f', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  };
  let child = null;
  let user = null;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      const end = Date.now() + 3000;
      while (alive(child.pid) && Date.now() < end) sleepSync(20);
      killPid(child.pid);
    }
    if (user?.throwaway) {
      // Everything this account runs was started by this run (its servers, agents, tmux): by pid.
      for (let round = 0; round < 3; round++) {
        const r = spawnSync('pgrep', ['-u', String(user.uid)], { encoding: 'utf8' });
        const pids = r.stdout.split('\n').filter(Boolean).map(Number);
        if (!pids.length) break;
        for (const p of pids) killPid(p);
        sleepSync(100);
      }
      spawnSync('userdel', [user.name]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  onCleanup(close);
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  fs.writeFileSync(path.join(dir, 'authorized_keys'), fs.readFileSync(path.join(dir, 'client_key.pub')), { mode: 0o644 });
  fs.chmodSync(dir, 0o711);
  const port = await freePort();
  user = process.getuid?.() === 0 ? throwawayUser(dir) : { name: os.userInfo().username, uid: os.userInfo().uid, gid: os.userInfo().gid, home: os.userInfo().homedir, throwaway: false };
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      `PidFile ${dir}/sshd.pid`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user.name}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const alias = 'flower-bench-host';
  const hostPub = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  const sshConfig = path.join(dir, 'ssh_config');
  fs.writeFileSync(
    sshConfig,
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user.name}`,
      `  IdentityFile ${dir}/client_key`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${dir}/known_hosts`,
      '  StrictHostKeyChecking yes',
      '  PreferredAuthentications publickey',
      '  BatchMode yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  child = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += String(d)));
  await waitUntil(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(false);
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      }),
    15_000,
    `sshd on 127.0.0.1:${port}`,
  ).catch((e) => {
    throw new Error(`${e.message} (${log.trim() || 'no output'})`);
  });
  return {
    /** Its temp dir (0711, removed by close()): a place for the host's clone. */
    dir,
    port,
    user,
    alias,
    sshConfig,
    sshArgs: ['-F', sshConfig],
    /** Give `target` (and what is in it) to the login user. */
    give(target) {
      if (user.uid !== process.getuid?.()) spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, target]);
    },
    /** Run a command on the "host" (synchronously); returns spawnSync's result. */
    ssh(remoteCmd, timeoutMs = 30_000) {
      return spawnSync('ssh', ['-F', sshConfig, '-T', alias, remoteCmd], { encoding: 'utf8', timeout: timeoutMs });
    },
    log: () => log,
    close,
  };
}

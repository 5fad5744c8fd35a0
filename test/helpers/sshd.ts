// A real OpenSSH server on 127.0.0.1 for tests (issue 19): its own host key, one authorized client
// key, a free port, no passwords, and an ssh_config whose "Host" alias reaches it — all in a temp
// dir, gone with close(). The user's ~/.ssh is never read or written: ssh gets `-F` with the test's
// config (hosts.NAME.sshArgs), and known_hosts is the test's own, pinned to the generated key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { waitUntil } from './wait-until.js';
import { descendants } from './proc.js';

export const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p)) ?? null;

export interface TestSshd {
  port: number;
  /** Who logs in: as root, a throwaway account (its login shell /bin/sh, its home in the temp dir). */
  user: { name: string; uid: number; gid: number; home: string };
  /** Give `dir` (and what is in it) to the login user, so its server can own its clone. */
  give(dir: string): void;
  /** The Host alias that reaches it through `sshConfig`. */
  alias: string;
  /** An ssh_config file: pass it as `ssh -F FILE`. */
  sshConfig: string;
  /** ssh options for hosts.NAME.sshArgs. */
  sshArgs: string[];
  /** What sshd said (for failure messages). */
  log(): string;
  /** Kill every ssh session's server-side process (sshd's children), as a dropped link would. */
  dropSessions(): void;
  close(): Promise<void>;
}

/** Why a real sshd cannot run here, or null when it can. */
export function whyNoSshd(): string | null {
  if (!SSHD) return 'openssh-server is not installed (apt-get install openssh-server)';
  if (spawnSync('ssh', ['-V']).error) return 'the ssh client is not installed (apt-get install openssh-client)';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startSshd(): Promise<TestSshd> {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'flower-sshd-')));
  const keygen = (file: string) => {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'flower-test', '-f', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  };
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  // sshd reads the authorized keys as the login user: the file readable, the dir passable (the
  // private keys in it stay 0600).
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')), { mode: 0o644 });
  chmodSync(dir, 0o711);
  const port = await freePort();
  // As root, the login is a throwaway account, like a user on another machine: its own uid, home
  // and server, and /bin/sh as its shell, so no rc file of root's (which can hang a non-interactive
  // ssh shell: a stale pyenv lock did on this machine) stands between ssh and the command.
  const user = process.getuid?.() === 0 ? throwawayUser(dir) : { name: userInfo().username, uid: userInfo().uid, gid: userInfo().gid, home: userInfo().homedir };
  const me = user.name;
  writeFileSync(
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
      'StrictModes no', // the temp dir's modes are the test's business
      'PermitRootLogin prohibit-password',
      `AllowUsers ${me}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // sshd insists on its privilege-separation directory when run as root.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const alias = 'flower-test-host';
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  const sshConfig = path.join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${me}`,
      `  IdentityFile ${dir}/client_key`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${dir}/known_hosts`,
      '  StrictHostKeyChecking yes',
      '  PreferredAuthentications publickey',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD!, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log += String(d)));
  await waitUntil(
    () =>
      new Promise<boolean>((resolve) => {
        if (child.exitCode !== null) return resolve(false);
        const s = net.connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      }),
    { timeoutMs: 15_000, what: () => `sshd on 127.0.0.1:${port} (${log.trim() || 'no output'})` },
  );
  return {
    port,
    user,
    give(target) {
      if (user.uid !== process.getuid?.()) spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, target]);
    },
    alias,
    sshConfig,
    sshArgs: ['-F', sshConfig],
    log: () => log,
    dropSessions() {
      // A session is served by sshd processes below the listener (the privileged monitor and the
      // user's unprivileged one, which holds the connection): killing every one of them drops each
      // link, while what the sessions started (a host's flower-tui server) is left running.
      const sshds = descendants(child.pid!).filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('sshd');
        } catch {
          return false;
        }
      });
      for (const pid of sshds) spawnSync('kill', ['-KILL', String(pid)]);
    },
    async close() {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      if (user.uid !== process.getuid?.()) {
        spawnSync('pkill', ['-KILL', '-u', String(user.uid)]);
        spawnSync('userdel', [user.name]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A system account for one test run (removed by close()), its home under `dir`. */
function throwawayUser(dir: string): { name: string; uid: number; gid: number; home: string } {
  const name = `flwr${process.pid % 100000}`;
  const home = path.join(dir, 'home');
  const r = spawnSync('useradd', ['--system', '--user-group', '--shell', '/bin/sh', '--home-dir', home, '--create-home', name], { encoding: 'utf8' });
  if (r.status !== 0 && !/already exists/.test(r.stderr)) throw new Error(`useradd: ${r.stderr.trim()}`);
  // Without PAM, sshd refuses a locked account ("!" as its password) even for a key: "*" is no password, unlocked.
  spawnSync('usermod', ['-p', '*', name]);
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  spawnSync('chown', ['-R', `${name}:${name}`, home]);
  return { name, uid: id('-u'), gid: id('-g'), home };
}

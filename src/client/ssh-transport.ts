/**
 * A connection to another host's flower-tui server, over ssh: `ssh -T DEST COMMAND server bridge
 * --repo REPO` joins this process to that host's own socket (the bridge starts the server there
 * when none runs), and the usual protocol runs over the ssh session's stdio. No port is opened
 * anywhere; authentication, ProxyJump and ControlMaster are ssh's, from the user's ~/.ssh/config.
 */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { HostConfig } from '../config/hosts-schema.js';
import { FlowerError, isFlowerError } from '../shared/errors.js';
import { FlowerClient } from './client.js';
import { explainBridgeFailure, flowerOnHost, remoteWord } from '../core/hosts/ssh-command.js';

export { remoteWord, flowerOnHost, explainBridgeFailure };

/** The ssh command line that bridges to `host`'s server (pure: tested as data). */
export function bridgeCommand(host: HostConfig): { file: string; args: string[] } {
  return flowerOnHost(host, ['server', 'bridge']);
}

/** Connect to `name`'s server over ssh and shake hands; a one-line `host-unreachable` error otherwise. */
export async function connectOverSsh(name: string, host: HostConfig, opts: { role: 'tui' | 'cli'; version: string; env?: NodeJS.ProcessEnv }): Promise<FlowerClient> {
  const cmd = bridgeCommand(host);
  const child = spawn(cmd.file, cmd.args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new FlowerError('host-unreachable', `${name}: cannot run ssh (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed: apt-get install openssh-client' : e.message})`))),
  );
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  stream.on('error', () => {}); // a broken pipe shows as the bridge's exit, explained below
  // Closing the client ends ssh too (its stdin closes; a kill if it lingers).
  stream.once('close', () => {
    if (child.exitCode === null) setTimeout(() => child.kill('SIGTERM'), 2000).unref();
  });
  try {
    const client = await Promise.race([FlowerClient.over(stream, opts), spawnError]);
    client.once('close', () => child.stdin.end());
    return client;
  } catch (e) {
    if (isFlowerError(e) && (e.code === 'protocol-mismatch' || e.code === 'host-unreachable')) {
      child.kill('SIGTERM');
      throw new FlowerError(e.code, e.code === 'protocol-mismatch' ? `${name}: ${e.message}` : e.message);
    }
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 3000).unref())]);
    child.kill('SIGTERM');
    throw new FlowerError('host-unreachable', explainBridgeFailure(name, host, code, stderr));
  }
}

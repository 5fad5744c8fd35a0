/**
 * How flower-tui reaches another host (issue 19), as pure data: the ssh command line that runs
 * flower-tui there, git's URL and GIT_SSH_COMMAND for the host's clone, and what a failed ssh run
 * said, in one line. Here in core, below both users: the client's bridge and host push
 * (client/ssh-transport.ts, client/host-push.ts), and the merge of a remote lane (merge/remote-lane.ts).
 */
import type { HostConfig } from '../../config/hosts-schema.js';

/** A word for the remote shell: single-quoted, and "~/x" as "$HOME"/'x' so the home still expands. */
export function remoteWord(s: string): string {
  const quote = (t: string) => `'${t.replace(/'/g, `'\\''`)}'`;
  if (s === '~') return '"$HOME"';
  if (s.startsWith('~/')) return `"$HOME"/${quote(s.slice(2))}`;
  return quote(s);
}

/**
 * The ssh command line that runs `flower-tui ARGS --repo REPO` on `host` (pure). The command is the
 * user's words (e.g. "npx flower-tui"); the arguments and the path are ours, so quoted.
 */
export function flowerOnHost(host: HostConfig, args: string[]): { file: string; args: string[] } {
  const word = (a: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : remoteWord(a));
  const remote = [host.command, ...args.map(word), '--repo', remoteWord(host.repo)].join(' ');
  return {
    file: 'ssh',
    args: [
      '-T', // no remote pty: the protocol is bytes, not a terminal
      '-o', 'BatchMode=yes', // never ask for a password: the cockpit owns the terminal (keys or an agent)
      '-o', 'ServerAliveInterval=15', // a dropped link is noticed in ~45 s even when idle
      '-o', 'ServerAliveCountMax=3',
      ...host.sshArgs,
      '--',
      host.ssh,
      remote,
    ],
  };
}

/** What ssh or the remote flower-tui said on stderr, as one line about `name`. */
export function explainBridgeFailure(name: string, host: HostConfig, exitCode: number | null, stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  if (exitCode === 127 || /command not found|not found$|No such file or directory/.test(last) && !last.startsWith('flower-tui:'))
    return `${name}: flower-tui is not installed there (hosts.${name}.command is "${host.command}")`;
  if (exitCode === 255) return `${name}: cannot reach ${host.ssh} over ssh${last ? ` (${last.replace(/^ssh: /, '')})` : ''}`;
  if (last.startsWith('flower-tui: ')) return `${name}: ${last.slice('flower-tui: '.length)}`;
  return `${name}: the bridge ended (exit ${exitCode ?? '?'})${last ? `: ${last}` : ''}`;
}

/** A word for the shell that runs GIT_SSH_COMMAND here. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How git reaches `host` (pure: tested as data): the bridge's ssh options, and the clone as a git URL. */
export function gitOverSsh(host: HostConfig): { url: string; env: { GIT_SSH_COMMAND: string } } {
  const ssh = ['ssh', '-o', 'BatchMode=yes', ...host.sshArgs].map(shellWord).join(' ');
  // scp-like "dest:path": git on the host expands a leading "~/" itself.
  return { url: `${host.ssh}:${host.repo}`, env: { GIT_SSH_COMMAND: ssh } };
}

/** The last line git said that is worth showing (its "fatal:" / "error:" line, without the prefix). */
export function gitComplaint(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const said = lines.filter((l) => /^(fatal|error|remote): /.test(l)).pop() ?? lines.pop() ?? 'no output';
  return said.replace(/^(fatal|error|remote): /, '');
}

/**
 * `flower-tui doctor`: everything flower-tui depends on, one line each, with the fix. Exit 1 when
 * something flower-tui needs is broken (git, the sandbox under sandbox.mode "required", the socket
 * directory); warnings (no tmux, an agent CLI missing) keep exit 0.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import { probeBwrap } from '../../core/sandbox/bwrap-probe.js';
import { socketDir } from '../../core/store/private-dir.js';
import { resolveCommand } from '../../core/agents/command-path.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';
import { jemallocPath } from '../../protocol/server-allocator.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string | null;
}

function version(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return null;
  return (r.stdout || r.stderr).trim().split('\n')[0] ?? '';
}

function readNumber(file: string): number | null {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
}

export function runChecks(env: NodeJS.ProcessEnv = process.env, sandboxMode: 'auto' | 'required' | 'off' = 'auto'): Check[] {
  const checks: Check[] = [];
  const node = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'node', status: node >= 20 ? 'ok' : 'fail', detail: `v${process.versions.node}`, fix: node >= 20 ? null : 'install Node.js 20 or newer' });

  const git = version('git', ['--version']);
  const gv = /(\d+)\.(\d+)/.exec(git ?? '');
  const gitOk = gv ? Number(gv[1]) > 2 || (Number(gv[1]) === 2 && Number(gv[2]) >= 38) : false;
  checks.push({
    name: 'git',
    status: gitOk ? 'ok' : 'fail',
    detail: git ?? 'not found on PATH',
    fix: gitOk ? null : 'install git 2.38 or newer (merge previews use git merge-tree --write-tree)',
  });

  const bw = probeBwrap(env.PATH, { fresh: true });
  const bad = sandboxMode === 'required' ? 'fail' : 'warn';
  checks.push(
    bw.ok
      ? { name: 'sandbox', status: sandboxMode === 'off' ? 'warn' : 'ok', detail: `bubblewrap works (${bw.path}${sandboxMode === 'off' ? '; but sandbox.mode is "off"' : ''})`, fix: sandboxMode === 'off' ? 'set sandbox.mode to "auto" to protect MAIN' : null }
      : { name: 'sandbox', status: sandboxMode === 'off' ? 'warn' : bad, detail: `${bw.reason}: agents would run UNSANDBOXED`, fix: bw.fix },
  );
  if (bw.ok && process.getuid?.() === 0) {
    // Root's sandboxes need their own user namespace for a bwrap inside them (Codex's, Claude Code's).
    checks.push({
      name: 'nested sandboxes',
      status: bw.userns ? 'ok' : 'warn',
      detail: bw.userns
        ? "running as root: agents run as an ordinary uid mapped to root in the sandbox's own user namespace, so their own sandboxes nest"
        : "running as root without user namespaces: an agent's own sandbox (Codex's, Claude Code's /sandbox) fails inside flower-tui's",
      fix: bw.userns ? null : 'allow user namespaces, or turn the agent\'s own sandbox off (flower-tui\'s still protects MAIN)',
    });
  }
  const userns = readNumber('/proc/sys/user/max_user_namespaces');
  const clone = readNumber('/proc/sys/kernel/unprivileged_userns_clone');
  const nsOk = userns !== 0 && clone !== 0;
  checks.push({
    name: 'user namespaces',
    status: nsOk ? 'ok' : process.getuid?.() === 0 ? 'ok' : 'warn',
    detail: `max_user_namespaces=${userns ?? '?'}${clone !== null ? ` unprivileged_userns_clone=${clone}` : ''}`,
    fix: nsOk ? null : 'sysctl -w user.max_user_namespaces=15000 kernel.unprivileged_userns_clone=1',
  });

  const watches = readNumber('/proc/sys/fs/inotify/max_user_watches');
  const instances = readNumber('/proc/sys/fs/inotify/max_user_instances');
  const inotifyOk = (watches ?? 0) >= 8192 && (instances ?? 0) >= 128;
  checks.push({
    name: 'inotify',
    status: watches === null ? 'warn' : inotifyOk ? 'ok' : 'warn',
    detail: `max_user_watches=${watches ?? '?'} max_user_instances=${instances ?? '?'}`,
    fix: inotifyOk ? null : 'sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 (else git is polled every 3 s)',
  });

  const tmux = version('tmux', ['-V']);
  checks.push({ name: 'tmux', status: tmux ? 'ok' : 'warn', detail: tmux ?? 'not found (needed for the e2e tests and npm run bench only)', fix: tmux ? null : 'apt-get install tmux' });

  const jemalloc = jemallocPath(env);
  const systemMalloc = env.FLOWER_ALLOCATOR === 'system';
  checks.push({
    name: 'allocator',
    status: jemalloc || systemMalloc ? 'ok' : 'warn',
    detail: jemalloc ? `the server runs on jemalloc (${jemalloc})` : systemMalloc ? "glibc's malloc (FLOWER_ALLOCATOR=system)" : "glibc's malloc: the server keeps much of the memory a burst of output churned through",
    fix: jemalloc || systemMalloc ? null : 'apt-get install libjemalloc2',
  });

  for (const [cli, pkg] of [['claude', '@anthropic-ai/claude-code'], ['codex', '@openai/codex']] as const) {
    const file = resolveCommand(cli, env.PATH, process.cwd());
    const v = file ? version(file, ['--version']) : null;
    checks.push({ name: cli, status: v ? 'ok' : 'warn', detail: v ? `${v} (${file})` : file ? `${file} does not answer --version` : 'not on PATH', fix: v ? null : `npm install -g ${pkg}` });
  }

  const dir = socketDir(env);
  try {
    const st = lstatSync(dir);
    const mine = st.uid === process.getuid?.();
    const ok = st.isDirectory() && mine && (st.mode & 0o077) === 0;
    checks.push({ name: 'socket dir', status: ok ? 'ok' : 'fail', detail: `${dir} ${st.isDirectory() ? (st.mode & 0o777).toString(8) : 'not a directory'}${mine ? '' : ` owned by uid ${st.uid}`}`, fix: ok ? null : `remove ${dir} (flower-tui recreates it 0700)` });
  } catch {
    checks.push({ name: 'socket dir', status: 'ok', detail: `${dir} (created 0700 on first start)`, fix: null });
  }
  return checks;
}

export function formatChecks(checks: Check[]): string {
  const w = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map((c) => `${c.status === 'ok' ? 'ok  ' : c.status === 'warn' ? 'warn' : 'FAIL'}  ${c.name.padEnd(w)}  ${c.detail}${c.fix ? `  — fix: ${c.fix}` : ''}`)
    .join('\n');
}

export async function doctorCommand(args: { repo?: string; config?: string; json?: boolean }): Promise<number> {
  let mode: 'auto' | 'required' | 'off' = 'auto';
  try {
    // The repository's sandbox.mode decides whether a missing bubblewrap is a failure.
    const { locateRepo } = await import('../../core/git/repo.js');
    const { loadConfig } = await import('../../config/config.js');
    const repo = await locateRepo(args.repo ?? process.cwd());
    mode = loadConfig({ file: args.config, mainRoot: repo.mainRoot }).sandbox.mode;
  } catch {
    /* outside a repository, or a config problem (`config check` reports it): the default */
  }
  const checks = runChecks(process.env, mode);
  process.stdout.write((args.json ? JSON.stringify(checks, null, 2) : cleanForTerminal(formatChecks(checks), { keepNewlines: true })) + '\n');
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

// Integration-test helper for the sandbox: a real repository (MAIN with a .env, two lanes), a real
// supervisor whose agents run under real bwrap, a script run as an agent in a lane, and a
// byte-for-byte fingerprint of everything of MAIN's that must never change.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { makeRepo, git, type TestRepo } from './git-repo.js';
import { waitUntil } from './wait-until.js';
import { parseConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import type { AgentInfo } from '../../src/core/types.js';

export const MAIN_SECRET = 'sk-live-main-4f9d2c7e1b';

/** What agents inherit: this process's env minus what would change how node behaves in them. */
export function agentEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD']) delete env[k];
  return env;
}

export interface SandboxLab {
  repo: TestRepo;
  sup: Supervisor;
  lane: string;
  other: string;
  stateDir: string;
  /** Run a shell script as an agent in `worktree` (a real pty, the real spawn path) and wait for it to end. */
  runScript(worktree: string, script: string): Promise<AgentInfo>;
  /** What an agent's screen shows (scrollback included), for failure messages. */
  screenText(id: string): string;
  close(): Promise<void>;
}

export async function sandboxLab(opts: { sandbox?: Record<string, unknown>; env?: NodeJS.ProcessEnv; laneKind?: 'served' | 'code-only' } = {}): Promise<SandboxLab> {
  const repo = makeRepo({ worktrees: ['lane-a', 'lane-b'] });
  writeFileSync(path.join(repo.mainRoot, '.env'), `API_KEY=${MAIN_SECRET}\n`);
  writeFileSync(path.join(repo.mainRoot, '.gitignore'), '.env\n');
  git(repo.mainRoot, ['add', '.gitignore']);
  git(repo.mainRoot, ['commit', '--quiet', '-m', 'Ignore .env']);
  writeFileSync(path.join(repo.mainRoot, '.git', 'hooks', 'post-merge'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  // flower-tui's own state and trace, as a server would have left them.
  const stateDir = path.join(repo.commonDir, 'flower');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, 'state.json'), '{"version":1}\n');
  writeFileSync(path.join(stateDir, 'trace.jsonl'), '{"ts":"2026-01-01T00:00:00Z","action":"merge"}\n');
  const env = opts.env ?? agentEnv();
  const config = parseConfig(
    { profiles: { script: { command: '/bin/sh', args: [] } }, agents: { killGraceMs: 300 }, sandbox: opts.sandbox ?? {} },
    'sandbox-test',
    env,
  );
  const sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, env, pollMs: 0 });
  if (opts.laneKind) sup.rememberLane('lane-a', { ...(sup.stateWorktrees()['lane-a'] ?? { lane: 'standing' }), kind: opts.laneKind });
  // What flower-tui itself writes once (the empty file bound over secrets) is there before any fingerprint.
  sup.sandboxFor('lane-a', repo.worktreePaths['lane-a']!);
  let n = 0;
  return {
    repo,
    sup,
    lane: repo.worktreePaths['lane-a']!,
    other: repo.worktreePaths['lane-b']!,
    stateDir,
    async runScript(worktree, script) {
      const info = sup.spawn(worktree, 'script', { name: `run-${++n}`, args: ['-c', script] });
      return waitUntil(
        () => {
          const a = sup.snapshot().agents.find((x) => x.id === info.id);
          return a && (a.state.kind === 'exited' || a.state.kind === 'failed') ? a : null;
        },
        { timeoutMs: 60_000, what: `${info.id} to end` },
      );
    },
    screenText(id) {
      const b = sup.screen(id)?.term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; b && i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
      return lines.join('\n').trimEnd();
    },
    async close() {
      await sup.shutdown();
      repo.cleanup();
    },
  };
}

/**
 * Everything of MAIN's a lane must never change, as one string: the working tree (contents, modes,
 * symlinks), HEAD, index, config, packed-refs, hooks/, info/, MAIN's branch ref, and flower-tui's
 * state dir (its sessions/ excepted: each agent's hook writes its own file there).
 */
export function fingerprintMain(repo: TestRepo): string {
  const lines: string[] = [];
  const visit = (abs: string, rel: string, skip: (rel: string) => boolean) => {
    if (skip(rel)) return;
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      lines.push(`${rel} absent`);
      return;
    }
    if (st.isSymbolicLink()) lines.push(`${rel} link ${readlinkSync(abs)}`);
    else if (st.isDirectory()) {
      lines.push(`${rel}/ ${st.mode.toString(8)}`);
      for (const e of readdirSync(abs).sort()) visit(path.join(abs, e), rel ? `${rel}/${e}` : e, skip);
    } else lines.push(`${rel} ${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
  };
  visit(repo.mainRoot, '', (rel) => rel === '.git');
  const gitDir = repo.commonDir;
  for (const f of ['HEAD', 'index', 'config', 'packed-refs', 'hooks', 'info', 'refs/heads/main', 'flower'])
    visit(path.join(gitDir, f), `.git/${f}`, (rel) => rel === '.git/flower/sessions');
  return lines.join('\n');
}

/** Lines "name rc" a script wrote with its `try` helper. */
export function readResults(file: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(file)) return out;
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+) (\d+)$/.exec(l);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** A shell prelude: `try NAME CMD…` runs CMD, records "NAME rc" in $RESULTS. */
export function tryPrelude(results: string): string {
  return `RESULTS='${results}'; : > "$RESULTS"; try() { n=$1; shift; ( "$@" ) >/dev/null 2>&1; echo "$n $?" >> "$RESULTS"; }\n`;
}

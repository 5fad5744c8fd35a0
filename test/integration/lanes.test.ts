/**
 * Worktree lanes for real: the built CLI (`flower-tui worktree add|rm|ls|setup`) against real git
 * repositories, through the repository's real server, with setup commands run in real ptys. Every
 * test stops its server in cleanup (`server stop`), so no server or agent outlives the suite.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git as runGit, makeRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';
import { locateRepo } from '../../src/core/git/repo.js';
import type { AgentInfo, Snapshot } from '../../src/core/types.js';
import type { TraceEntry } from '../../src/core/store/trace.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';
import { connectOrStartServer } from '../../src/client/server-process.js';
import { serverLocation, type ServerLocation } from '../../src/protocol/server-location.js';
import { cleanupsAfterAll } from '../helpers/cleanups.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'flower-tui.js');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');

/** Values in MAIN's .env that must never reach a code-only lane, the trace or the server log. */
const SECRET = { API_KEY: 'sk-live-4f9d2c7e1b', DB_PASSWORD: 'hunter2-xyzzy', STRIPE_SECRET: 'whsec_8a7b6c5d' };

const cleanups = cleanupsAfterAll();

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface LsRow {
  name: string;
  path: string;
  branch: string | null;
  lane: string;
  kind: string | null;
  port: number | null;
  ahead: number | null;
  behind: number | null;
  dirty: number | null;
  agents: number;
  setup: string;
  missing: boolean;
}

interface Lab {
  repo: TestRepo;
  config: string;
  loc: ServerLocation;
  /** Run the built CLI with --repo and --config. */
  cli(args: string[]): CliResult;
  /** `worktree ls --json`. */
  ls(): LsRow[];
  /** `status --json` (the server must be running). */
  status(): Snapshot & { server: { pid: number } };
  trace(): TraceEntry[];
  lanePath(name: string): string;
  branches(): string[];
  worktreePaths(): string[];
}

/**
 * A repository whose MAIN has untracked files a lane needs (.env with secrets, a .worktreeinclude
 * naming more), a .gitignore for them (as a real project has), and a config with echo agents.
 */
async function lab(lanes: Record<string, unknown> = {}): Promise<Lab> {
  const repo = makeRepo();
  // With retries: a server that is stopping may still be writing its state into the repository.
  cleanups.push(() => rmSync(repo.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }));
  const m = repo.mainRoot;
  writeFileSync(path.join(m, '.gitignore'), ['.env', '.env.*', 'secrets/', 'config/local.yml', 'READY', 'setup-*.txt', ''].join('\n'));
  writeFileSync(path.join(m, '.worktreeinclude'), ['# untracked files every lane needs', '', 'secrets/dev.json', 'config/local.yml', '.env.local', ''].join('\n'));
  repo.git(['add', '.gitignore', '.worktreeinclude']);
  repo.git(['commit', '--quiet', '-m', 'Ignore local files']);
  writeFileSync(path.join(m, '.env'), [`API_KEY=${SECRET.API_KEY}`, `export DB_PASSWORD="${SECRET.DB_PASSWORD}"`, 'PORT=3000', 'APP_URL=http://localhost:3000', 'LOG_LEVEL=debug', ''].join('\n'));
  writeFileSync(path.join(m, '.env.local'), [`STRIPE_SECRET=${SECRET.STRIPE_SECRET}`, 'FEATURE_FLAGS=a,b', ''].join('\n'));
  mkdirSync(path.join(m, 'secrets'));
  writeFileSync(path.join(m, 'secrets', 'dev.json'), '{"dev":true}\n');
  mkdirSync(path.join(m, 'config'));
  writeFileSync(path.join(m, 'config', 'local.yml'), 'local: yes\n');
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      profiles: {
        echo: { command: process.execPath, args: [ECHO, '--raw'] },
        second: { command: process.execPath, args: [ECHO, '--raw', 'second'] },
      },
      lanes: { agents: ['echo'], ...lanes },
    }),
  );
  const loc = serverLocation(await locateRepo(m));
  // Registered after the repo's cleanup, so it runs before it: the server stops, then its files go.
  cleanups.push(() => stopServer(m));
  const cli = (args: string[]): CliResult => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--repo', m, '--config', config], { encoding: 'utf8', timeout: 120_000, cwd: repo.dir });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = <T>(args: string[]): T => {
    const r = cli([...args, '--json']);
    assert.equal(r.status, 0, `${args.join(' ')} --json failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  return {
    repo,
    config,
    loc,
    cli,
    ls: () => json<LsRow[]>(['worktree', 'ls']),
    status: () => json<Snapshot & { server: { pid: number } }>(['status']),
    trace: () => {
      const f = path.join(repo.commonDir, 'flower', 'trace.jsonl');
      return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TraceEntry) : [];
    },
    lanePath: (name) => path.join(repo.dir, `repo-${name}`),
    branches: () => repo.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']).split('\n').filter(Boolean).sort(),
    worktreePaths: () =>
      repo
        .git(['worktree', 'list', '--porcelain'])
        .split('\n')
        .filter((l) => l.startsWith('worktree '))
        .map((l) => l.slice('worktree '.length)),
  };
}

/** `server stop`, then wait until the server process is really gone (it flushes state on its way out). */
async function stopServer(mainRoot: string): Promise<void> {
  const r = spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', mainRoot, '--json'], { encoding: 'utf8', timeout: 60_000 });
  let pid = 0;
  try {
    pid = (JSON.parse(r.stdout) as { pid: number }).pid;
  } catch {
    return; // no server was running
  }
  await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 15_000, what: `server ${pid} to exit` }).catch(() => {});
}

function ok(r: CliResult, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function row(rows: LsRow[], name: string): LsRow {
  const r = rows.find((x) => x.name === name);
  assert.ok(r, `worktree ls lists ${name}: ${rows.map((x) => x.name).join(', ')}`);
  return r;
}

function agentsOf(s: Snapshot, worktree: string): AgentInfo[] {
  return s.agents.filter((a) => a.worktree === worktree);
}

async function mirror(l: Lab): Promise<RemoteBackend> {
  const b = await RemoteBackend.open((await connectOrStartServer(l.loc, 'tui', { config: l.config })).client, { scrollback: 2000 });
  cleanups.push(() => b.close());
  return b;
}

function screenOf(b: RemoteBackend, id: string): string {
  return b.agent(id)?.screen.visibleText().join('\n') ?? '';
}

// ---------------------------------------------------------------------------------------------------
describe('worktree add / rm', () => {
  test('standing: branch from MAIN HEAD beside MAIN, listed, then removed with its agents; the branch stays', async () => {
    const l = await lab();
    const head = l.repo.git(['rev-parse', 'HEAD']).trim();
    const out = ok(l.cli(['worktree', 'add', 'feat']), 'worktree add feat');
    const p = l.lanePath('feat');
    assert.match(out, new RegExp(`created feat: branch feat at ${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(out, /started feat\/echo/);
    assert.equal(git(p, ['rev-parse', 'HEAD']), head, "the lane starts at MAIN's HEAD");
    assert.equal(git(p, ['rev-parse', '--abbrev-ref', 'HEAD']), 'feat');
    assert.ok(l.worktreePaths().includes(p), 'git lists the worktree');
    const r = row(l.ls(), 'feat');
    assert.equal(r.lane, 'standing');
    assert.equal(r.kind, 'code-only', 'the default kind');
    assert.equal(r.path, p);
    assert.equal(r.ahead, 0);
    assert.equal(r.behind, 0);
    const agent = await waitUntil(() => agentsOf(l.status(), 'feat').find((a) => a.id === 'feat/echo' && a.state.kind === 'running'), { timeoutMs: 30_000, what: 'feat/echo running' });
    assert.ok(agent.cwd === p, `the agent runs in the lane: ${agent.cwd}`);

    const rm = ok(l.cli(['worktree', 'rm', 'feat']), 'worktree rm feat');
    assert.match(rm, /removed feat, stopped feat\/echo/);
    assert.doesNotMatch(rm, /deleted branch/);
    assert.ok(!existsSync(p), 'the worktree directory is gone');
    assert.ok(!l.worktreePaths().includes(p), 'git no longer lists it');
    assert.ok(l.branches().includes('feat'), 'a standing lane keeps its branch');
    const s = l.status();
    assert.deepEqual(agentsOf(s, 'feat'), [], 'its agents are gone');
    assert.ok(!s.worktrees.some((w) => w.name === 'feat'), 'the server no longer shows it');
  });

  test('ephemeral: listed as ephemeral; rm deletes its branch too', async () => {
    const l = await lab({ agents: [] });
    ok(l.cli(['worktree', 'add', 'spike', '--lane', 'ephemeral']), 'add ephemeral');
    assert.equal(row(l.ls(), 'spike').lane, 'ephemeral');
    assert.ok(l.branches().includes('spike'));
    const rm = ok(l.cli(['worktree', 'rm', 'spike']), 'rm ephemeral');
    assert.match(rm, /deleted branch spike/);
    assert.deepEqual(l.branches(), ['main'], 'the ephemeral branch is deleted');
    assert.ok(!existsSync(l.lanePath('spike')));
  });

  test('--base: the worktree HEAD is that commit; an unknown base creates nothing', async () => {
    const l = await lab({ agents: [] });
    const first = l.repo.git(['rev-list', '--max-parents=0', 'HEAD']).trim();
    ok(l.cli(['worktree', 'add', 'old', '--base', first]), 'add --base <sha>');
    assert.equal(git(l.lanePath('old'), ['rev-parse', 'HEAD']), first);
    const r = row(l.ls(), 'old');
    assert.equal(r.behind, 2, 'two commits behind MAIN');
    ok(l.cli(['worktree', 'add', 'prev', '--base', 'main~1']), 'add --base main~1');
    assert.equal(git(l.lanePath('prev'), ['rev-parse', 'HEAD']), l.repo.git(['rev-parse', 'main~1']).trim());
    const bad = l.cli(['worktree', 'add', 'nowhere', '--base', 'no-such-ref']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /^flower-tui: no such commit or branch: no-such-ref\n$/);
    assert.ok(!existsSync(l.lanePath('nowhere')), 'no directory');
    assert.ok(!l.branches().includes('nowhere'), 'no branch');
  });

  test('refuses to lose work: unmerged commits and uncommitted changes are listed (exit 1); --force removes anyway', async () => {
    const l = await lab({ agents: [] });
    ok(l.cli(['worktree', 'add', 'work']), 'add work');
    const wp = l.lanePath('work');
    writeFileSync(path.join(wp, 'feature.txt'), 'the feature\n');
    git(wp, ['add', 'feature.txt']);
    git(wp, ['commit', '--quiet', '-m', 'Add the login form']);
    const sha = git(wp, ['rev-parse', '--short', 'HEAD']);
    let r = l.cli(['worktree', 'rm', 'work']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^flower-tui: refusing to remove work: it has 1 commit not in MAIN \(/);
    assert.ok(r.stderr.includes(`${sha} Add the login form`), `the commit is listed: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.ok(existsSync(path.join(wp, 'feature.txt')), 'nothing removed');
    assert.ok(l.worktreePaths().includes(wp));

    ok(l.cli(['worktree', 'add', 'dirty']), 'add dirty');
    const dp = l.lanePath('dirty');
    writeFileSync(path.join(dp, 'app.txt'), 'version 2 (unsaved work)\n');
    writeFileSync(path.join(dp, 'notes.txt'), 'ideas\n');
    r = l.cli(['worktree', 'rm', 'dirty']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /2 uncommitted changes \(app\.txt, notes\.txt\)/);
    assert.match(r.stderr, /use --force/);
    assert.equal(readFileSync(path.join(dp, 'app.txt'), 'utf8'), 'version 2 (unsaved work)\n', 'the change is still there');

    const refused = l.trace().filter((e) => e.action === 'worktree.rm' && e.outcome === 'refused').map((e) => e.target);
    assert.deepEqual(refused, ['work', 'dirty'], 'refusals are traced');

    r = l.cli(['worktree', 'rm', 'work', '--force']);
    assert.match(ok(r, 'rm --force work'), /removed work.*discarded 1 unmerged commit/);
    assert.ok(!existsSync(wp));
    assert.ok(l.branches().includes('work'), 'a standing lane keeps its branch even when forced: the commit survives there');
    assert.match(ok(l.cli(['worktree', 'rm', 'dirty', '--force']), 'rm --force dirty'), /discarded 0 unmerged commit\(s\), 2 change\(s\)/);
    assert.ok(!existsSync(dp));
  });

  test('an ephemeral lane with an unmerged commit: refused; forced removal deletes the branch (-D)', async () => {
    const l = await lab({ agents: [] });
    ok(l.cli(['worktree', 'add', 'tmp', '--lane', 'ephemeral']), 'add');
    const p = l.lanePath('tmp');
    writeFileSync(path.join(p, 'x.txt'), 'x\n');
    git(p, ['add', 'x.txt']);
    git(p, ['commit', '--quiet', '-m', 'Throwaway experiment']);
    const r = l.cli(['worktree', 'rm', 'tmp']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Throwaway experiment/);
    assert.ok(l.branches().includes('tmp'), 'refused: branch kept');
    assert.match(ok(l.cli(['worktree', 'rm', 'tmp', '--force']), 'rm --force'), /deleted branch tmp/);
    assert.deepEqual(l.branches(), ['main']);
  });

  test('MAIN can never be removed, by name or by path, even with --force', async () => {
    const l = await lab({ agents: [] });
    for (const args of [['MAIN'], ['MAIN', '--force'], [l.repo.mainRoot], [l.repo.mainRoot, '--force']]) {
      const r = l.cli(['worktree', 'rm', ...args]);
      assert.equal(r.status, 1, `rm ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^flower-tui: MAIN can never be removed\n$/);
    }
    assert.ok(existsSync(path.join(l.repo.mainRoot, 'README.md')), 'MAIN is intact');
    assert.equal(l.repo.git(['status', '--porcelain']).trim(), '', 'MAIN has no tracked change');
  });

  test('rm of an unknown worktree: a clear error', async () => {
    const l = await lab({ agents: [] });
    const r = l.cli(['worktree', 'rm', 'ghost']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no worktree "ghost"/);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('provisioning', () => {
  test('served lanes: .env overrides with {name}/{port}, unique ports kept in state across restarts, freed on rm; exhausted range refused', async () => {
    const l = await lab({
      agents: [],
      served: { env: { PORT: '{port}', APP_URL: 'http://{name}.localhost:{port}', DB_NAME: 'shop_{name}' }, portRange: [8300, 8302] },
      setup: ['printf "%s %s\\n" {name} {port} > setup-info.txt'],
    });
    const out = ok(l.cli(['worktree', 'add', 's1', '--served']), 'add s1');
    assert.match(out, /port 8300/);
    assert.match(out, /set PORT, APP_URL, DB_NAME for this lane/);
    ok(l.cli(['worktree', 'add', 's2', '--served']), 'add s2');
    const env1 = readFileSync(path.join(l.lanePath('s1'), '.env'), 'utf8');
    assert.equal(
      env1,
      [`API_KEY=${SECRET.API_KEY}`, `export DB_PASSWORD="${SECRET.DB_PASSWORD}"`, 'PORT=8300', 'APP_URL=http://s1.localhost:8300', 'LOG_LEVEL=debug', 'DB_NAME=shop_s1', ''].join('\n'),
      'overrides in place, new keys appended, secrets kept (a served lane runs the app)',
    );
    const env2 = readFileSync(path.join(l.lanePath('s2'), '.env'), 'utf8');
    assert.match(env2, /^PORT=8301$/m);
    assert.match(env2, /^APP_URL=http:\/\/s2\.localhost:8301$/m);
    assert.equal(readFileSync(path.join(l.lanePath('s1'), 'setup-info.txt'), 'utf8'), 's1 8300\n', 'setup got {name} and {port}');
    assert.equal(readFileSync(path.join(l.lanePath('s2'), 'setup-info.txt'), 'utf8'), 's2 8301\n');
    assert.match(readFileSync(path.join(l.repo.mainRoot, '.env'), 'utf8'), /^PORT=3000$/m, "MAIN's .env untouched");
    let rows = l.ls();
    assert.deepEqual([row(rows, 's1').kind, row(rows, 's1').port, row(rows, 's2').kind, row(rows, 's2').port], ['served', 8300, 'served', 8301]);

    ok(l.cli(['worktree', 'rm', 's1']), 'rm s1');
    ok(l.cli(['worktree', 'add', 's3', '--served']), 'add s3');
    assert.match(readFileSync(path.join(l.lanePath('s3'), '.env'), 'utf8'), /^PORT=8300$/m, "s1's port was freed and handed out again");

    // Ports are kept in state: a restarted server hands out neither again.
    ok(l.cli(['server', 'stop']), 'server stop');
    rows = l.ls();
    assert.deepEqual([row(rows, 's2').port, row(rows, 's3').port], [8301, 8300], 'ports survive a server restart');
    assert.match(ok(l.cli(['worktree', 'add', 's4', '--served']), 'add s4'), /port 8302/);
    const full = l.cli(['worktree', 'add', 's5', '--served']);
    assert.equal(full.status, 2, full.stderr);
    assert.match(full.stderr, /no free port left in lanes\.served\.portRange 8300–8302/);
    assert.ok(!existsSync(l.lanePath('s5')) && !l.branches().includes('s5'), 'nothing created when no port is left');
    // A code-only lane needs no port.
    ok(l.cli(['worktree', 'add', 'c1', '--code-only']), 'code-only with every port taken');
    assert.equal(row(l.ls(), 'c1').port, null);
    const both = l.cli(['worktree', 'add', 'c2', '--served', '--code-only']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--served and --code-only cannot be used together/);
  });

  test('code-only lanes: secret values emptied in every copied .env, other keys kept, .worktreeinclude files copied', async () => {
    const l = await lab({ agents: [] });
    const out = ok(l.cli(['worktree', 'add', 'co']), 'add co (code-only by default)');
    assert.match(out, /copied \.env, secrets\/dev\.json, config\/local\.yml, \.env\.local/);
    assert.match(out, /emptied secrets \.env:API_KEY, \.env:DB_PASSWORD, \.env\.local:STRIPE_SECRET \(code-only lane\)/);
    const p = l.lanePath('co');
    assert.equal(readFileSync(path.join(p, '.env'), 'utf8'), ['API_KEY=', 'export DB_PASSWORD=', 'PORT=3000', 'APP_URL=http://localhost:3000', 'LOG_LEVEL=debug', ''].join('\n'));
    assert.equal(readFileSync(path.join(p, '.env.local'), 'utf8'), 'STRIPE_SECRET=\nFEATURE_FLAGS=a,b\n');
    assert.equal(readFileSync(path.join(p, 'secrets', 'dev.json'), 'utf8'), '{"dev":true}\n', 'listed in .worktreeinclude: copied');
    assert.equal(readFileSync(path.join(p, 'config', 'local.yml'), 'utf8'), 'local: yes\n');
    for (const v of Object.values(SECRET)) assert.ok(!walkText(p).includes(v), `secret ${v} found in the code-only lane`);
    assert.match(readFileSync(path.join(l.repo.mainRoot, '.env'), 'utf8'), new RegExp(SECRET.API_KEY), "MAIN's .env keeps its secrets");
    const r = row(l.ls(), 'co');
    assert.equal(r.kind, 'code-only');
    assert.equal(r.port, null);
    assert.equal(r.dirty, 0, 'ignored copies do not make the lane dirty');
  });
});

/** Every regular file's text under `dir` (without .git), for "is this value anywhere?" checks. */
function walkText(dir: string): string {
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out += walkText(p);
    else if (e.isFile()) out += readFileSync(p, 'utf8');
  }
  return out;
}

/** git in a worktree (argv array, the tests' git environment), output trimmed. */
function git(cwd: string, args: string[]): string {
  return runGit(cwd, args).trim();
}

// ---------------------------------------------------------------------------------------------------
describe('setup', () => {
  test('success: the steps run in the lane, then the agents start; the setup agent is removed', async () => {
    const l = await lab({ setup: ['echo SETUP-HELLO-{name}', 'sleep 1', 'pwd > setup-pwd.txt'] });
    const out = ok(l.cli(['worktree', 'add', 'good']), 'add good');
    assert.match(out, /setup done/);
    assert.match(out, /started good\/echo/);
    const p = l.lanePath('good');
    assert.equal(readFileSync(path.join(p, 'setup-pwd.txt'), 'utf8').trim(), p, 'setup ran in the worktree');
    const s = l.status();
    assert.deepEqual(agentsOf(s, 'good').map((a) => a.id), ['good/echo'], 'the setup agent is gone, the lane agent is there');
    assert.equal(row(l.ls(), 'good').setup, 'done');
    const t = l.trace();
    const setupOk = t.findIndex((e) => e.action === 'worktree.setup' && e.target === 'good' && e.outcome === 'ok');
    const spawn = t.findIndex((e) => e.action === 'spawn' && e.target === 'good/echo');
    assert.ok(setupOk !== -1 && spawn > setupOk, `the agent started after the setup finished (setup ok at ${setupOk}, spawn at ${spawn})`);
    const started = t.find((e) => e.action === 'worktree.setup' && e.outcome === 'started');
    const finished = t[setupOk]!;
    assert.ok(Date.parse(finished.ts) - Date.parse(started!.ts) >= 900, 'the add waited for the whole setup (sleep 1)');
  });

  test('failure: exit 1, worktree and output kept, ls shows "setup failed"; worktree setup retries after the fix and starts the agents', async () => {
    // The pause lets the first lines reach the screen before the step that fails.
    const l = await lab({ setup: ['echo CHECKING-FOR-READY', 'sleep 1', 'test -f READY', 'touch setup-after.txt'] });
    const r = l.cli(['worktree', 'add', 'flaky']);
    assert.equal(r.status, 1, `a failed setup fails the add: ${r.stderr}`);
    assert.match(r.stderr, /setup failed in flaky: the worktree is kept with its output; retry with: flower-tui worktree setup flaky/);
    const p = l.lanePath('flaky');
    assert.ok(existsSync(path.join(p, 'README.md')), 'the worktree is kept');
    assert.ok(!existsSync(path.join(p, 'setup-after.txt')), 'the step after the failure did not run');
    assert.equal(row(l.ls(), 'flaky').setup, 'setup failed');
    let s = l.status();
    const setupAgent = agentsOf(s, 'flaky');
    assert.deepEqual(setupAgent.map((a) => a.id), ['flaky/setup'], 'only the setup agent: the lane agents did not start');
    assert.deepEqual(setupAgent[0]!.state, { kind: 'exited', code: 1, signal: null });
    const wt = s.worktrees.find((w) => w.name === 'flaky');
    assert.equal(wt?.lane?.setup?.state, 'failed');
    assert.equal(wt?.lane?.setup?.exitCode, 1);
    assert.ok(l.trace().some((e) => e.action === 'worktree.setup' && e.target === 'flaky' && e.outcome === 'error'), 'the failure is traced');

    // The output is kept: a cockpit attaching now still sees it.
    const b = await mirror(l);
    await waitUntil(() => screenOf(b, 'flaky/setup').includes('▶ [2/4] sleep 1'), { timeoutMs: 15_000, what: () => `the output in the setup pane: ${screenOf(b, 'flaky/setup')}` });
    const screen = screenOf(b, 'flaky/setup');
    assert.match(screen, /▶ \[1\/4\] echo CHECKING-FOR-READY/);
    assert.match(screen, /^CHECKING-FOR-READY$/m);
    await b.close();

    // Still failing: the retry says so, and changes nothing else.
    const again = l.cli(['worktree', 'setup', 'flaky']);
    assert.equal(again.status, 1, again.stderr);
    assert.match(again.stderr, /setup failed again in flaky/);

    writeFileSync(path.join(p, 'READY'), '');
    const retry = ok(l.cli(['worktree', 'setup', 'flaky']), 'worktree setup flaky');
    assert.match(retry, /flaky: setup done/);
    assert.ok(existsSync(path.join(p, 'setup-after.txt')), 'all steps ran');
    s = l.status();
    assert.deepEqual(agentsOf(s, 'flaky').map((a) => a.id), ['flaky/echo'], 'setup agent removed, the lane agent started');
    assert.equal(row(l.ls(), 'flaky').setup, 'done');
  });

  test(
    'a failed setup names the step that failed, even when the step before it printed a lot',
    async () => {
      const l = await lab({ setup: ['seq 1 1000000', 'false'] });
      const r = l.cli(['worktree', 'add', 'noisy']);
      assert.equal(r.status, 1, r.stderr);
      const setup = l.status().worktrees.find((w) => w.name === 'noisy')?.lane?.setup;
      assert.deepEqual([setup?.step, setup?.command, setup?.exitCode], [2, 'false', 1], `reported: ${JSON.stringify(setup)}`);
      const fail = l.trace().find((e) => e.action === 'worktree.setup' && e.outcome === 'error');
      assert.equal(fail?.error, '"false" exited 1');
    },
  );

  test(
    'a failed setup always ends its pane with the failure line, even after a lot of output',
    async () => {
      const l = await lab({ setup: ['seq 1 1000000', 'false'] });
      const r = l.cli(['worktree', 'add', 'tail']);
      assert.equal(r.status, 1, r.stderr);
      const b = await mirror(l);
      await waitUntil(() => screenOf(b, 'tail/setup').includes('✗ [2/2] failed (exit 1)'), {
        timeoutMs: 15_000,
        what: () => `the failure line in tail/setup: ${screenOf(b, 'tail/setup').split('\n').filter(Boolean).slice(-3).join(' | ')}`,
      });
    },
  );

  test(
    'worktree setup on a lane whose setup already succeeded does not start its agents a second time',
    async () => {
      const l = await lab({ setup: ['true'] });
      ok(l.cli(['worktree', 'add', 'twice']), 'add');
      ok(l.cli(['worktree', 'setup', 'twice']), 'setup again');
      assert.deepEqual(agentsOf(l.status(), 'twice').map((a) => a.id), ['twice/echo']);
    },
  );

  test('worktrees.<name>.agents: worktree add starts them with their names and args, also after a retried setup', async () => {
    const configured = { feat: { agents: [{ profile: 'echo', name: 'review', args: ['ARG-FROM-CONFIG'] }, 'second'] } };
    const withWorktrees = async (lanes: Record<string, unknown>) => {
      const l = await lab({ agents: [], ...lanes });
      writeFileSync(l.config, JSON.stringify({ ...(JSON.parse(readFileSync(l.config, 'utf8')) as object), worktrees: configured }));
      return l;
    };
    const check = (l: Lab) => {
      const agents = agentsOf(l.status(), 'feat');
      assert.deepEqual(agents.map((a) => a.id).sort(), ['feat/review', 'feat/second'], 'the configured name, not the profile');
      assert.equal(agents.find((a) => a.id === 'feat/review')?.args.at(-1), 'ARG-FROM-CONFIG', 'the configured args after the profile\'s');
    };
    const first = await withWorktrees({});
    assert.match(ok(first.cli(['worktree', 'add', 'feat']), 'add feat'), /started feat\/review, feat\/second/);
    check(first);
    const b = await mirror(first);
    await waitUntil(() => /ARGS .*ARG-FROM-CONFIG/.test(screenOf(b, 'feat/review')), { timeoutMs: 15_000, what: () => `the args reach the agent: ${screenOf(b, 'feat/review')}` });

    // A failed setup: the retry starts the same agents (state keeps profiles only, the config the rest).
    const retried = await withWorktrees({ setup: ['test -f READY'] });
    assert.equal(retried.cli(['worktree', 'add', 'feat']).status, 1, 'setup fails first');
    writeFileSync(path.join(retried.lanePath('feat'), 'READY'), '');
    assert.match(ok(retried.cli(['worktree', 'setup', 'feat']), 'worktree setup feat'), /setup done/);
    check(retried);
  });

  test('--prompt-file: delivered to the first agent only, once it is ready', async () => {
    const l = await lab({ setup: ['echo preparing'] });
    const promptFile = path.join(l.repo.dir, 'task.md');
    writeFileSync(promptFile, 'Implement the login form PROMPT-4711\n');
    const out = ok(l.cli(['worktree', 'add', 'task', '--agents', 'echo,second', '--prompt-file', promptFile]), 'add with a prompt');
    assert.match(out, /started task\/echo, task\/second \(prompt delivered to the first\)/);
    const b = await mirror(l);
    await waitUntil(() => screenOf(b, 'task/echo').includes('ECHO: Implement the login form PROMPT-4711'), {
      timeoutMs: 20_000,
      what: () => `the prompt echoed by the first agent: ${screenOf(b, 'task/echo')}`,
    });
    await waitUntil(() => screenOf(b, 'task/second').includes('READY'), { timeoutMs: 20_000, what: 'the second agent ready' });
    assert.ok(!screenOf(b, 'task/second').includes('PROMPT-4711'), 'the second agent got no prompt');
    const send = l.trace().filter((e) => e.action === 'send');
    assert.deepEqual(send.map((e) => e.target), ['task/echo'], 'one send, to the first agent');
    const missing = l.cli(['worktree', 'add', 'task2', '--prompt-file', path.join(l.repo.dir, 'nope.md')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read --prompt-file .*nope\.md: ENOENT/);
    assert.ok(!existsSync(l.lanePath('task2')), 'nothing created when the prompt file is unreadable');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('names and collisions', () => {
  const HOSTILE = ['; rm -rf x', '--help', '../x', 'a..b', '-x', 'has space', '$(touch pwned)', '`touch pwned`', 'x.lock', '.hidden', 'a/b', 'MAIN', ''];

  test('malicious or invalid names are rejected before anything is created (CLI and raw requests)', async () => {
    const l = await lab({ agents: [], setup: ['touch setup-ran.txt'] });
    const canary = path.join(l.repo.mainRoot, 'x');
    writeFileSync(canary, 'still here\n');
    const before = { branches: l.branches(), worktrees: l.worktreePaths(), dir: readdirSync(l.repo.dir).sort() };
    for (const name of ['; rm -rf x', '../x', 'a..b', 'has space', '$(touch pwned)', '`touch pwned`', 'x.lock', '.hidden']) {
      const r = l.cli(['worktree', 'add', name]);
      assert.equal(r.status, 2, `${JSON.stringify(name)}: exit ${r.status} ${r.stderr}`);
      assert.match(r.stderr, /^flower-tui: invalid worktree name /, `${JSON.stringify(name)}: ${r.stderr}`);
    }
    // Names the CLI's own parser would take for options reach the server through a raw request.
    const { client } = await connectOrStartServer(l.loc, 'cli', { config: l.config });
    try {
      for (const name of HOSTILE) {
        await assert.rejects(client.request({ type: 'addWorktree', name }), (e: Error) => /invalid worktree name|already exists/.test(e.message), `${JSON.stringify(name)} accepted`);
      }
    } finally {
      client.close();
    }
    assert.deepEqual(l.branches(), before.branches, 'no branch created');
    assert.deepEqual(l.worktreePaths(), before.worktrees, 'no worktree created');
    assert.deepEqual(readdirSync(l.repo.dir).sort(), before.dir, 'no directory created beside MAIN');
    assert.equal(readFileSync(canary, 'utf8'), 'still here\n', 'the canary survived');
    for (const d of [l.repo.dir, l.repo.mainRoot, ROOT, path.dirname(l.repo.dir)]) assert.ok(!existsSync(path.join(d, 'pwned')), `pwned created in ${d}`);
    const errors = l.trace().filter((e) => e.action === 'worktree.add');
    assert.ok(errors.length >= HOSTILE.length && errors.every((e) => e.outcome === 'error'), 'every rejection is traced as an error');
  });

  test('an existing branch or an existing path: a clear error, nothing changed', async () => {
    const l = await lab({ agents: [] });
    l.repo.git(['branch', 'taken']);
    let r = l.cli(['worktree', 'add', 'taken']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^flower-tui: branch "taken" already exists/);
    assert.ok(!existsSync(l.lanePath('taken')), 'no worktree for an existing branch');

    const busy = l.lanePath('busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'mine.txt'), 'do not touch\n');
    r = l.cli(['worktree', 'add', 'busy']);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, `flower-tui: path already exists: ${busy}\n`);
    assert.ok(!l.branches().includes('busy'), 'no branch created');
    assert.deepEqual(readdirSync(busy), ['mine.txt'], 'the directory is untouched');

    ok(l.cli(['worktree', 'add', 'dup']), 'add dup');
    r = l.cli(['worktree', 'add', 'dup']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /a worktree named "dup" already exists/);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('worktrees made with plain git', () => {
  test('appear and disappear in the server within seconds (it watches git\'s files)', async () => {
    const l = await lab({ agents: [] });
    ok(l.cli(['worktree', 'ls']), 'start the server');
    const p = l.lanePath('outside');
    const names = () => l.status().worktrees.map((w) => w.name);
    let t0 = Date.now();
    l.repo.git(['worktree', 'add', '--quiet', '-b', 'outside', p]);
    await waitUntil(() => names().includes('outside'), { timeoutMs: 9000, intervalMs: 250, what: () => `outside in status: ${names().join(', ')}` });
    const seen = Date.now() - t0;
    const r = row(l.ls(), 'outside');
    assert.equal(r.lane, 'standing', 'an outside worktree is a standing lane');
    assert.equal(r.port, null);
    t0 = Date.now();
    l.repo.git(['worktree', 'remove', p]);
    await waitUntil(() => !names().includes('outside'), { timeoutMs: 9000, intervalMs: 250, what: () => `outside gone from status: ${names().join(', ')}` });
    const gone = Date.now() - t0;
    assert.ok(seen < 9000 && gone < 9000, `seen after ${seen} ms, gone after ${gone} ms`);
  });

  test('a worktree made with plain git can be removed with worktree rm', async () => {
    const l = await lab({ agents: [] });
    ok(l.cli(['worktree', 'ls']), 'start the server');
    const p = l.lanePath('manual');
    l.repo.git(['worktree', 'add', '--quiet', '-b', 'manual', p]);
    await waitUntil(() => l.status().worktrees.some((w) => w.name === 'manual'), { timeoutMs: 9000, intervalMs: 250, what: 'manual seen' });
    ok(l.cli(['worktree', 'rm', 'manual']), 'rm manual');
    assert.ok(!existsSync(p));
    assert.ok(l.branches().includes('manual'), 'standing by default: branch kept');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('trace', () => {
  test('worktree.add / provision / setup / rm are traced, with file and key names but no secret value', async () => {
    const l = await lab({ setup: ['echo "configuring $FLOWER_LANE"'], served: { env: { PORT: '{port}' }, portRange: [8400, 8410] } });
    ok(l.cli(['worktree', 'add', 'traced']), 'add code-only');
    ok(l.cli(['worktree', 'add', 'served1', '--served']), 'add served');
    ok(l.cli(['worktree', 'rm', 'traced']), 'rm');
    const t = l.trace().filter((e) => e.target === 'traced');
    const steps = t.filter((e) => e.action.startsWith('worktree.')).map((e) => `${e.action}:${e.outcome}`);
    assert.deepEqual(steps, ['worktree.add:ok', 'worktree.provision:ok', 'worktree.setup:started', 'worktree.setup:ok', 'worktree.rm:ok']);
    assert.ok(t.every((e) => e.actor === 'cli'), 'actor is the CLI');
    const prov = t.find((e) => e.action === 'worktree.provision')!;
    assert.deepEqual(prov.details?.stripped, ['.env:API_KEY', '.env:DB_PASSWORD', '.env.local:STRIPE_SECRET'], 'key names are traced');
    const add = t.find((e) => e.action === 'worktree.add')!;
    assert.equal(add.details?.branch, 'traced');
    const rm = t.find((e) => e.action === 'worktree.rm')!;
    assert.deepEqual(rm.details?.agentsStopped, ['traced/echo']);
    const servedProv = l.trace().find((e) => e.action === 'worktree.provision' && e.target === 'served1');
    assert.deepEqual(servedProv?.details?.overridden, ['PORT', 'APP_URL'], 'APP_URL pointed at MAIN\'s port: moved to the lane\'s');
    ok(l.cli(['server', 'stop']), 'stop (flushes everything)');
    const traceText = readFileSync(path.join(l.repo.commonDir, 'flower', 'trace.jsonl'), 'utf8');
    const logText = existsSync(l.loc.log) ? readFileSync(l.loc.log, 'utf8') : '';
    for (const v of Object.values(SECRET)) {
      assert.ok(!traceText.includes(v), `secret ${v} in the trace`);
      assert.ok(!logText.includes(v), `secret ${v} in the server log`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
describe('races and configuration', () => {
  test(
    'two served lanes added at the same moment get different ports',
    async () => {
      const l = await lab({ agents: [], served: { env: { PORT: '{port}' }, portRange: [8500, 8510] } });
      ok(l.cli(['worktree', 'ls']), 'start the server');
      const c1 = (await connectOrStartServer(l.loc, 'cli', { config: l.config })).client;
      const c2 = (await connectOrStartServer(l.loc, 'cli', { config: l.config })).client;
      try {
        const [a, b] = (await Promise.all([
          c1.request({ type: 'addWorktree', name: 'p1', kind: 'served' }),
          c2.request({ type: 'addWorktree', name: 'p2', kind: 'served' }),
        ])) as unknown as { port: number }[];
        assert.notEqual(a!.port, b!.port, `both lanes got port ${a!.port}`);
      } finally {
        c1.close();
        c2.close();
      }
    },
  );

  test(
    'a git poll running while a lane is added does not wipe its record (kind, port, ephemeral)',
    async () => {
      const l = await lab({ agents: [], served: { env: { PORT: '{port}' }, portRange: [8700, 8799] } });
      // A worktree whose `git status` is slow (an fsmonitor hook that sleeps) makes every refresh take
      // seconds, and the hook adds a file each time, so every refresh has a change to record.
      const slow = l.lanePath('slow');
      l.repo.git(['worktree', 'add', '--quiet', '-b', 'slow', slow]);
      const hook = path.join(l.repo.dir, 'slow-fsmonitor.sh');
      writeFileSync(hook, '#!/bin/sh\nsleep 0.5\ntouch "junk-$$"\nexit 1\n', { mode: 0o755 });
      l.repo.git(['config', 'extensions.worktreeConfig', 'true']);
      git(slow, ['config', '--worktree', 'core.fsmonitor', hook]);
      ok(l.cli(['worktree', 'ls']), 'start the server');
      const c1 = (await connectOrStartServer(l.loc, 'cli', { config: l.config })).client;
      const c2 = (await connectOrStartServer(l.loc, 'cli', { config: l.config })).client;
      const lost: string[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          // A refresh lists the worktrees now, then spends seconds in the slow worktree's status…
          const refresh = c1.request({ type: 'refreshWorktrees' });
          await new Promise((r) => setTimeout(r, 100));
          // …while this lane is created and recorded.
          const added = (await c2.request({ type: 'addWorktree', name: `r${i}`, kind: 'served', lane: 'ephemeral' })) as unknown as { port: number };
          await refresh;
          await c1.request({ type: 'refreshWorktrees' });
          const st = (await c1.request({ type: 'status' })) as { snapshot: Snapshot };
          const lane = st.snapshot.worktrees.find((w) => w.name === `r${i}`)?.lane;
          if (lane?.port !== added.port || lane?.lane !== 'ephemeral' || lane?.kind !== 'served') lost.push(`r${i}: ${JSON.stringify(lane)}`);
        }
      } finally {
        c1.close();
        c2.close();
      }
      assert.deepEqual(lost, [], 'lane records lost to a concurrent refresh');
    },
  );

  test(
    'the --prompt-file of an add whose setup failed is delivered after the retry succeeds',
    async () => {
      const l = await lab({ setup: ['test -f READY'] });
      const promptFile = path.join(l.repo.dir, 'task.md');
      writeFileSync(promptFile, 'Fix the flaky test PROMPT-RETRY-99\n');
      const r = l.cli(['worktree', 'add', 'later', '--prompt-file', promptFile]);
      assert.equal(r.status, 1, r.stderr);
      writeFileSync(path.join(l.lanePath('later'), 'READY'), '');
      ok(l.cli(['worktree', 'setup', 'later']), 'retry');
      const b = await mirror(l);
      await waitUntil(() => screenOf(b, 'later/echo').includes('ECHO: Fix the flaky test PROMPT-RETRY-99'), {
        timeoutMs: 8000,
        what: () => `the prompt in later/echo: ${screenOf(b, 'later/echo')}`,
      });
    },
  );

  test(
    'lanes.branchPrefix: the branch is prefix+name and the lane is set up, provisioned and started',
    async () => {
      const l = await lab({ branchPrefix: 'lane/', setup: ['true'], defaultKind: 'served', served: { env: { PORT: '{port}' }, portRange: [8600, 8610] } });
      const r = l.cli(['worktree', 'add', 'pre']);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(l.branches().includes('lane/pre'), 'branch lane/pre');
      assert.equal(git(l.lanePath('pre'), ['rev-parse', '--abbrev-ref', 'HEAD']), 'lane/pre');
      const wt = l.status().worktrees.find((w) => w.path === l.lanePath('pre'));
      assert.equal(wt?.lane?.port, 8600, 'its port is recorded');
      assert.ok(l.status().agents.some((a) => a.cwd === l.lanePath('pre') && a.profile === 'echo'), 'its agent started');
      ok(l.cli(['worktree', 'rm', 'pre']), 'rm by lane name');
    },
  );
});

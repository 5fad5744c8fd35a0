/**
 * Context usage and refresh end to end: an in-process Supervisor on a real repository, running the
 * fake Claude Code and Codex CLIs (test/fixtures/fake-claude.mjs, fake-codex.mjs) in real ptys, with a
 * temp HOME / CLAUDE_CONFIG_DIR / CODEX_HOME. The tests type prompts, then check AgentInfo.usage
 * against what the fixtures wrote, and drive refreshes (manual and by policy) through the trace.
 *
 * Every supervisor is shut down in a finally; every pid ever seen is SIGKILLed in after() as a last
 * resort. Waits are condition polls with generous timeouts (a loaded 2-core machine).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { parseConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { TraceWriter, readTrace, type TraceEntry } from '../../src/core/store/trace.js';
import { formatUsage } from '../../src/core/usage/usage-level.js';
import { findClaudeTranscript } from '../../src/core/usage/transcript-locator.js';
import type { AgentInfo, SupervisorEvent } from '../../src/core/types.js';
import { makeRepo, makeTempDir, git, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { supervisorCleanup } from '../helpers/supervisor-harness.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const NODE = process.execPath;
const FAKE_CLAUDE = fixture('fake-claude.mjs');
const FAKE_CODEX = fixture('fake-codex.mjs');
const ECHO = fixture('echo-agent.mjs');
const T = 45_000; // a generous wait for anything a fake agent does

/** What agents inherit: this process's env minus what would change a fixture node or point at real homes. */
const BASE_ENV: NodeJS.ProcessEnv = { ...process.env };
for (const k of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'FLOWER_SESSION_FILE']) delete BASE_ENV[k];

// ---- harness -------------------------------------------------------------------------------

const { seenPids, liveSupervisors, cleanups } = supervisorCleanup<Supervisor>('usage.test');

interface Ctx {
  repo: TestRepo;
  wt: string;
  home: string;
  claudeDir: string;
  codexHome: string;
  /** The fake Claude's usage control file (FAKE_CLAUDE_USAGE_FILE). */
  usageFile: string;
  codexUsageFile: string;
  /** While this file exists, the fake Claude exits at once (FAKE_CLAUDE_FAIL_FILE). */
  failFile: string;
  traceDir: string;
  sup: Supervisor;
  events: SupervisorEvent[];
}

type RefreshCfg = { warnAt?: number; refreshAt?: number; mode?: 'manual' | 'auto'; action?: 'respawn' | 'command' | 'notify'; cooldownMs?: number; maxPerHour?: number; command?: string; briefFile?: string };

function claudeProfile(c: Pick<Ctx, 'usageFile' | 'failFile'>, refresh: RefreshCfg = {}, extraEnv: Record<string, string> = {}) {
  return {
    command: NODE,
    args: [FAKE_CLAUDE],
    env: { FAKE_CLAUDE_USAGE_FILE: c.usageFile, FAKE_CLAUDE_FAIL_FILE: c.failFile, ...extraEnv },
    session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] },
    usage: { source: 'claude', window: 200_000 },
    refresh: { warnAt: 0.5, refreshAt: 0.8, mode: 'manual', action: 'notify', cooldownMs: 0, maxPerHour: 10, ...refresh },
  };
}

function codexProfile(c: Pick<Ctx, 'codexUsageFile'>, extraEnv: Record<string, string> = {}) {
  return {
    command: NODE,
    args: [FAKE_CODEX],
    env: { FAKE_CODEX_USAGE_FILE: c.codexUsageFile, ...extraEnv },
    session: { resumeArgs: ['resume', '{sessionId}'] },
    usage: { source: 'codex' },
    refresh: { warnAt: 0.5, refreshAt: 0.8, mode: 'manual', action: 'notify' },
  };
}

type Paths = Omit<Ctx, 'sup' | 'events'>;

/** A repository with lane `wt`, temp homes, and the profiles `makeProfiles` returns. */
async function open(makeProfiles: (p: Paths) => Record<string, unknown>, prepare?: (p: Paths) => void): Promise<Ctx> {
  const repo = makeRepo({ worktrees: ['wt'] });
  cleanups.push(() => repo.cleanup());
  const home = makeTempDir('flower-usage-home-');
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const p: Paths = {
    repo,
    wt: repo.worktreePaths.wt!,
    home,
    claudeDir: path.join(home, 'claude-config'),
    codexHome: path.join(home, 'codex-home'),
    usageFile: path.join(home, 'claude-usage.json'),
    codexUsageFile: path.join(home, 'codex-usage.json'),
    failFile: path.join(home, 'fail-now'),
    traceDir: path.join(home, 'trace'),
  };
  mkdirSync(p.traceDir);
  prepare?.(p);
  const config = parseConfig({ profiles: makeProfiles(p), agents: { killGraceMs: 300 } }, 'usage-test', BASE_ENV);
  const env = { ...BASE_ENV, HOME: home, CLAUDE_CONFIG_DIR: p.claudeDir, CODEX_HOME: p.codexHome };
  const sup = await Supervisor.open({ repo: await locateRepo(repo.mainRoot), config, env, pollMs: 0, trace: new TraceWriter(p.traceDir) });
  liveSupervisors.add(sup);
  const events: SupervisorEvent[] = [];
  sup.on('event', (e: SupervisorEvent) => {
    events.push(e);
    if (e.type === 'snapshot') for (const a of e.snapshot.agents) if (a.pid) seenPids.add(a.pid);
  });
  return { ...p, sup, events };
}

async function withCtx(makeProfiles: (p: Paths) => Record<string, unknown>, fn: (c: Ctx) => Promise<void>, prepare?: (p: Paths) => void): Promise<void> {
  const c = await open(makeProfiles, prepare);
  try {
    await fn(c);
  } finally {
    await c.sup.shutdown();
    liveSupervisors.delete(c.sup);
  }
}

function spawn(c: Ctx, profile: string, opts: { name?: string; resumeSessionId?: string } = {}): AgentInfo {
  const info = c.sup.spawn('wt', profile, opts);
  if (info.pid) seenPids.add(info.pid);
  return info;
}

function info(c: Ctx, id: string): AgentInfo {
  const a = c.sup.agent(id);
  assert.ok(a, `agent ${id} exists`);
  if (a.info.pid) seenPids.add(a.info.pid);
  return a.info;
}

const screenText = (c: Ctx, id: string) => c.sup.screen(id)?.visibleText().join('\n') ?? '';

function waitScreen(c: Ctx, id: string, re: RegExp, timeoutMs = T): Promise<RegExpExecArray> {
  return waitUntil(() => re.exec(screenText(c, id)), { timeoutMs, intervalMs: 50, what: () => `${id} screen to match ${re}; screen:\n${screenText(c, id)}` });
}

function waitInfo(c: Ctx, id: string, pred: (i: AgentInfo) => boolean, what: string, timeoutMs = T): Promise<AgentInfo> {
  return waitUntil(() => (pred(info(c, id)) ? info(c, id) : null), { timeoutMs, intervalMs: 50, what: () => `${id}: ${what}; info: ${JSON.stringify({ usage: info(c, id).usage, activity: info(c, id).activity, state: info(c, id).state, sessionId: info(c, id).sessionId })}` });
}

/** Context = input 100 + cache creation 1000 + cache read (tokens − 1100). */
function setUsage(c: Ctx, tokens: number, extra: Record<string, number> = {}): void {
  writeFileSync(c.usageFile, JSON.stringify({ input_tokens: 100, cache_creation_input_tokens: 1000, cache_read_input_tokens: tokens - 1100, output_tokens: 50, ...extra }));
}

async function send(c: Ctx, id: string, text: string): Promise<void> {
  await c.sup.dispatch({ type: 'send', agent: id, text, enter: true, timeoutMs: T });
}

/** Type a prompt and wait until the fake has answered it and the usage shows `tokens`. */
async function exchange(c: Ctx, id: string, tokens: number, prompt = `prompt ${randomUUID().slice(0, 6)}`): Promise<AgentInfo> {
  setUsage(c, tokens);
  const answers = (screenText(c, id).match(new RegExp(`assistant: ok \\(ctx ${tokens}\\)`, 'g')) ?? []).length;
  await send(c, id, prompt);
  await waitUntil(() => (screenText(c, id).match(new RegExp(`assistant: ok \\(ctx ${tokens}\\)`, 'g')) ?? []).length > answers, { timeoutMs: T, intervalMs: 50, what: () => `answer with ctx ${tokens}; screen:\n${screenText(c, id)}` });
  return waitInfo(c, id, (i) => i.usage.tokens === tokens, `usage.tokens ${tokens}`);
}

const refreshTrace = (c: Ctx, id: string): TraceEntry[] => readTrace(c.traceDir, { action: 'refresh', agent: id });
const attentions = (c: Ctx, id: string, re: RegExp) => c.events.filter((e): e is Extract<SupervisorEvent, { type: 'attention' }> => e.type === 'attention' && e.agent === id && re.test(e.reason));

/**
 * When the slow turn's tool call started and when its final answer (end_turn) was written, from the
 * transcript's own timestamps: "mid-turn" is what the transcript says, not when the screen caught up.
 */
function turnTimes(file: string): { toolAt: number; endAt: number } {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type?: string; isSidechain?: boolean; timestamp?: string; message?: { stop_reason?: string | null; model?: string } });
  const main = lines.filter((l) => l.type === 'assistant' && !l.isSidechain && l.message?.model !== '<synthetic>');
  const tool = main.find((l) => l.message?.stop_reason === 'tool_use');
  const end = main.find((l) => l.message?.stop_reason === 'end_turn');
  assert.ok(tool?.timestamp && end?.timestamp, `a tool call and an end_turn in ${file}`);
  return { toolAt: Date.parse(tool.timestamp), endAt: Date.parse(end.timestamp) };
}

// ---- Claude Code ------------------------------------------------------------------------------

describe('Claude Code usage from its transcript', () => {
  test('usage follows the transcript exactly: tokens, window, percent, ok/warn/rot; noise ignored', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        const sid = a.sessionId;
        assert.ok(sid, 'a session id was chosen');
        assert.ok(a.args.includes('--session-id') && a.args.includes(sid), `--session-id passed: ${a.args.join(' ')}`);
        assert.ok(a.args.includes('--settings'), 'the SessionStart hook is passed with --settings');
        await waitScreen(c, a.id, new RegExp(`fake-claude session ${sid} \\(startup\\)`));
        assert.equal(info(c, a.id).usage.tokens, null, 'no transcript yet: no figure');
        assert.equal(info(c, a.id).usage.level, 'unknown', 'no transcript yet: level unknown');

        const u1 = (await exchange(c, a.id, 41_100, 'hello')).usage;
        assert.equal(u1.window, 200_000, 'configured window');
        assert.equal(u1.percent, 20.6, 'percent');
        assert.equal(u1.level, 'ok', 'level ok');
        assert.equal(u1.compacted, false, 'not compacted');
        assert.equal(u1.source, 'claude', 'source');
        assert.equal(u1.file, findClaudeTranscript(c.claudeDir, sid), 'the transcript of its own session');
        assert.equal(formatUsage(u1), 'ctx 41.1k/200k 21%', 'header text');
        assert.ok(existsSync(path.join(path.dirname(u1.file!), sid, 'subagents', 'agent-x.jsonl')), 'the fake wrote a (huge) subagent transcript, ignored');

        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting after the answer');
        await waitUntil(() => attentions(c, a.id, /waiting for input/).length > 0, { timeoutMs: T, what: 'an attention event for waiting' });

        const u2 = (await exchange(c, a.id, 120_000)).usage;
        assert.deepEqual([u2.percent, u2.level], [60, 'warn'], 'warn at 60%');
        const u3 = (await exchange(c, a.id, 170_000)).usage;
        assert.deepEqual([u3.percent, u3.level], [85, 'rot'], 'rot at 85%');
        // Manual mode: crossing the threshold refreshes nothing.
        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting after the rot answer');
        await sleep(1500);
        assert.deepEqual(refreshTrace(c, a.id), [], 'manual mode: no refresh by policy');
        // Over 200k on a 200k Claude window: the window is at least 1M.
        const u4 = (await exchange(c, a.id, 250_000)).usage;
        assert.deepEqual([u4.window, u4.percent, u4.level], [1_000_000, 25, 'ok'], '>200k observed: 1M window');
      },
    );
  });

  test('a transcript that appears after a long quiet is found at once (the locator backs off, a watch wakes it)', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session \S+ \(startup\)/);
        // Long enough for the locator's backoff (1.5 s doubling) to wait over 10 s between looks.
        await sleep(11_000);
        setUsage(c, 41_100);
        await send(c, a.id, 'hello after a while');
        await waitScreen(c, a.id, /assistant: ok \(ctx 41100\)/);
        const t0 = Date.now();
        await waitInfo(c, a.id, (i) => i.usage.tokens === 41_100, 'usage from the new transcript', 5000);
        assert.ok(Date.now() - t0 < 5000);
      },
    );
  });

  test('/clear is followed to the new session and its new file via the SessionStart hook', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        const s1 = a.sessionId!;
        await waitScreen(c, a.id, /fake-claude session/);
        const first = (await exchange(c, a.id, 41_100)).usage.file;
        assert.ok(first?.endsWith(`${s1}.jsonl`), `first file is session 1's: ${first}`);
        await send(c, a.id, '/clear');
        const s2 = (await waitScreen(c, a.id, /cleared: new session (\S+)/))[1]!;
        assert.notEqual(s2, s1, 'a new session id');
        await waitInfo(c, a.id, (i) => i.sessionId === s2, 'sessionId follows the hook to session 2');
        const u = (await exchange(c, a.id, 60_000)).usage;
        assert.ok(u.file?.endsWith(`${s2}.jsonl`), `now reading session 2's file: ${u.file}`);
        assert.equal(u.file, findClaudeTranscript(c.claudeDir, s2), 'the file the glob finds');
        assert.ok(existsSync(first!), 'the old transcript is still there');
      },
    );
  });

  test('after /clear, the previous conversation’s figure is not shown for the new one', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 170_000);
        await send(c, a.id, '/clear');
        const s2 = (await waitScreen(c, a.id, /cleared: new session (\S+)/))[1]!;
        await waitInfo(c, a.id, (i) => i.sessionId === s2, 'sessionId follows the hook');
        await waitInfo(c, a.id, (i) => i.usage.tokens === null && i.usage.level !== 'rot', 'the old 170k figure dropped', 10_000);
      },
    );
  });

  test('compaction: compacted with postTokens until the next answer', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 170_000);
        assert.equal(info(c, a.id).usage.level, 'rot', 'rot before');
        setUsage(c, 170_000, { postTokens: 15_000 });
        await send(c, a.id, '/compact');
        await waitScreen(c, a.id, /compacted \(pre 170000, post 15000\)/);
        const u = (await waitInfo(c, a.id, (i) => i.usage.compacted && i.usage.tokens === 15_000, 'compacted, postTokens')).usage;
        assert.equal(u.level, 'ok', 'postTokens is ok again');
        assert.equal(info(c, a.id).sessionId, a.sessionId, '/compact keeps the session');
        const after = (await exchange(c, a.id, 20_000)).usage;
        assert.equal(after.compacted, false, 'the next answer clears the mark');
        assert.equal(after.file, u.file, 'same file');
      },
    );
  });

  test('an agent spawned again under the same name does not show the removed one’s session', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 170_000);
        await c.sup.dispatch({ type: 'remove', agent: a.id });
        const b = spawn(c, 'claude');
        assert.equal(b.id, a.id, 'same id again');
        const fresh = b.args[b.args.indexOf('--session-id') + 1]!;
        assert.ok(fresh && fresh !== a.sessionId, 'started with a fresh --session-id');
        assert.equal(b.sessionId, fresh, `the spawned agent reports the session it was started with, not the removed agent's ${a.sessionId}`);
        await waitScreen(c, b.id, new RegExp(`fake-claude session ${fresh}`));
        await sleep(4000); // two probe cycles
        const i = info(c, b.id);
        assert.equal(i.sessionId, fresh, `session id is the one it was started with (the removed agent's was ${a.sessionId})`);
        assert.equal(i.usage.tokens, null, `no figure before the first exchange (shows ${i.usage.tokens} from ${i.usage.file})`);
      },
    );
  });

  test('a 200 MB transcript is attached by reading only its tail', async () => {
    const sid = randomUUID();
    let big = '';
    await withCtx(
      (p) => ({ claude: claudeProfile(p) }),
      async (c) => {
        // Spy on every readSync of the big file (src imports node:fs by name: builtin exports are live).
        const fsCjs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
        const orig = fsCjs.readSync;
        let bytes = 0;
        let calls = 0;
        fsCjs.readSync = function (this: unknown, fd: number, ...rest: unknown[]) {
          const n = (orig as (...a: unknown[]) => number).call(this, fd, ...rest);
          try {
            if (readlinkSync(`/proc/self/fd/${fd}`) === big) {
              bytes += n;
              calls++;
            }
          } catch {
            /* not a file */
          }
          return n;
        } as typeof orig;
        syncBuiltinESMExports();
        try {
          const started = Date.now();
          const a = spawn(c, 'claude', { resumeSessionId: sid });
          assert.ok(a.args.includes('--resume') && a.args.includes(sid), 'resumed with --resume');
          const i = await waitInfo(c, a.id, (x) => x.usage.tokens === 123_456, 'the last line of the 200 MB file', 30_000);
          const took = Date.now() - started;
          assert.equal(i.usage.file, big, 'reading the big file');
          assert.ok(calls > 0, 'the spy saw the reads');
          assert.ok(bytes <= 4 * 1024 * 1024 + 128 * 1024, `read only the tail: ${bytes} bytes of ${200 * 1024 * 1024}`);
          assert.ok(took < 20_000, `attached quickly (${took} ms)`);
          await waitScreen(c, a.id, new RegExp(`fake-claude session ${sid} \\(resume\\)`));
          const before = bytes;
          await exchange(c, a.id, 130_000);
          assert.equal(info(c, a.id).usage.file, big, 'the resumed session appends to the same file');
          assert.ok(bytes - before < 256 * 1024, `then only what was appended is read (${bytes - before} bytes)`);
        } finally {
          fsCjs.readSync = orig;
          syncBuiltinESMExports();
        }
      },
      (p) => {
        const dir = path.join(p.claudeDir, 'projects', realpathSync(p.wt).replace(/[^A-Za-z0-9]/g, '-'));
        mkdirSync(dir, { recursive: true });
        big = path.join(dir, `${sid}.jsonl`);
        // The head: an answer that would be the reading if the head were what counted.
        writeFileSync(big, JSON.stringify({ type: 'assistant', isSidechain: false, uuid: randomUUID(), message: { id: 'msg_head', model: 'head-model', role: 'assistant', content: [], stop_reason: 'end_turn', usage: { input_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 } } }) + '\n');
        truncateSync(big, 200 * 1024 * 1024 - 2 * 1024 * 1024); // a sparse middle, instant to make
        const lines: string[] = [''];
        for (let k = 0; k < 4000; k++) {
          const cr = k === 3999 ? 123_456 - 1100 : 50_000 + k;
          lines.push(JSON.stringify({ parentUuid: null, isSidechain: false, type: 'assistant', uuid: randomUUID(), sessionId: sid, timestamp: new Date().toISOString(), message: { id: `msg_${k}`, model: 'claude-opus-4-8', role: 'assistant', content: [{ type: 'text', text: 'x'.repeat(300) }], stop_reason: 'end_turn', usage: { input_tokens: 100, cache_creation_input_tokens: 1000, cache_read_input_tokens: cr, output_tokens: 5 } } }));
        }
        const fd = openSync(big, 'a');
        writeSync(fd, lines.join('\n') + '\n');
        closeSync(fd);
      },
    );
  });
});

// ---- Codex ------------------------------------------------------------------------------------

function setCodexUsage(c: Ctx, tokens: number, window = 258_400): void {
  writeFileSync(c.codexUsageFile, JSON.stringify({ total_tokens: tokens, window }));
}

async function codexTurn(c: Ctx, id: string, tokens: number, window = 258_400): Promise<AgentInfo> {
  setCodexUsage(c, tokens, window);
  const n = (screenText(c, id).match(new RegExp(`codex: ok \\(ctx ${tokens}\\)`, 'g')) ?? []).length;
  await send(c, id, `prompt ${randomUUID().slice(0, 6)}`);
  await waitUntil(() => (screenText(c, id).match(new RegExp(`codex: ok \\(ctx ${tokens}\\)`, 'g')) ?? []).length > n, { timeoutMs: T, intervalMs: 50, what: () => `codex answer ${tokens}; screen:\n${screenText(c, id)}` });
  return waitInfo(c, id, (i) => i.usage.tokens === tokens, `codex usage ${tokens}`);
}

describe('Codex usage from its rollout', () => {
  test('last_token_usage with the reported window; the helper session and the cumulative total ignored; session id learnt', async () => {
    await withCtx(
      (p) => ({ codex: codexProfile(p) }),
      async (c) => {
        const a = spawn(c, 'codex');
        assert.equal(a.sessionId, null, 'no id up front');
        await waitScreen(c, a.id, /fake-codex session new/);
        const i = await codexTurn(c, a.id, 41_100);
        const rid = (await waitScreen(c, a.id, /fake-codex rollout (\S+)/))[1]!;
        assert.equal(i.usage.window, 258_400, 'window reported by the rollout');
        assert.equal(i.usage.percent, 15.9, 'percent of the reported window');
        assert.equal(i.usage.level, 'ok', 'ok');
        assert.ok(i.usage.file?.endsWith(`-${rid}.jsonl`), `our rollout, not the helper's: ${i.usage.file}`);
        await waitInfo(c, a.id, (x) => x.sessionId === rid, 'session id learnt from session_meta');
        const j = await codexTurn(c, a.id, 200_000, 400_000);
        assert.deepEqual([j.usage.window, j.usage.percent, j.usage.level], [400_000, 50, 'warn'], 'window and level follow the latest token_count');
        await sleep(3500); // the helper session keeps being written after ours: it must never be picked
        assert.equal(info(c, a.id).usage.tokens, 200_000, 'still our figure (not the helper’s 90%, not the cumulative total)');
      },
    );
  });

  test('/new: the new rollout is followed', async () => {
    await withCtx(
      (p) => ({ codex: codexProfile(p) }),
      async (c) => {
        const a = spawn(c, 'codex');
        await waitScreen(c, a.id, /fake-codex session new/);
        await codexTurn(c, a.id, 41_100);
        const r1 = (await waitScreen(c, a.id, /fake-codex rollout (\S+)/))[1]!;
        await send(c, a.id, '/new');
        await waitScreen(c, a.id, /new session/);
        setCodexUsage(c, 77_000);
        await send(c, a.id, 'after new');
        const r2 = (await waitScreen(c, a.id, new RegExp(`fake-codex rollout (?!${r1})(\\S+)`)))[1]!;
        await waitInfo(c, a.id, (i) => i.usage.tokens === 77_000 && !!i.usage.file?.endsWith(`-${r2}.jsonl`), 'reading the new rollout');
        await waitInfo(c, a.id, (i) => i.sessionId === r2, 'session id of the new rollout');
      },
    );
  });

  test('/new after a long quiet: the new rollout is found at once (a watch on the date folder wakes the locator)', async () => {
    await withCtx(
      (p) => ({ codex: codexProfile(p) }),
      async (c) => {
        const a = spawn(c, 'codex');
        await waitScreen(c, a.id, /fake-codex session new/);
        await codexTurn(c, a.id, 41_100);
        const r1 = (await waitScreen(c, a.id, /fake-codex rollout (\S+)/))[1]!;
        await sleep(11_000); // the locator has backed off to looking every 12 s or so
        await send(c, a.id, '/new');
        await waitScreen(c, a.id, /new session/);
        setCodexUsage(c, 77_000);
        await send(c, a.id, 'after new');
        const r2 = (await waitScreen(c, a.id, new RegExp(`fake-codex rollout (?!${r1})(\\S+)`)))[1]!;
        await waitInfo(c, a.id, (i) => i.usage.tokens === 77_000 && !!i.usage.file?.endsWith(`-${r2}.jsonl`), 'reading the new rollout', 5000);
      },
    );
  });

  test('/new: the probe stays on the new rollout (no flipping back to the old one)', async () => {
    await withCtx(
      (p) => ({ codex: codexProfile(p) }),
      async (c) => {
        const a = spawn(c, 'codex');
        await waitScreen(c, a.id, /fake-codex session new/);
        await codexTurn(c, a.id, 41_100);
        await send(c, a.id, '/new');
        await waitScreen(c, a.id, /new session/);
        await codexTurn(c, a.id, 77_000);
        const file = info(c, a.id).usage.file;
        const seen = new Set<string>();
        for (const end = Date.now() + 6000; Date.now() < end; ) {
          const u = info(c, a.id).usage;
          seen.add(`${u.tokens} ${u.file}`);
          await sleep(100);
        }
        assert.deepEqual([...seen], [`77000 ${file}`], 'one reading throughout');
      },
    );
  });

  test("a session started before midnight: the rollout in yesterday's date folder is found", async () => {
    await withCtx(
      (p) => ({ codex: codexProfile(p, { FAKE_CODEX_YESTERDAY: '1' }) }),
      async (c) => {
        const a = spawn(c, 'codex');
        await waitScreen(c, a.id, /fake-codex session new/);
        const i = await codexTurn(c, a.id, 52_000);
        const y = new Date(Date.now() - 86_400_000);
        const folder = `${y.getFullYear()}/${String(y.getMonth() + 1).padStart(2, '0')}/${String(y.getDate()).padStart(2, '0')}`;
        assert.ok(i.usage.file?.includes(`/sessions/${folder}/`), `read from yesterday's folder: ${i.usage.file}`);
      },
    );
  });

  test('a resumed session days old: `codex resume` appends to its old rollout, which is read', async () => {
    const rid = randomUUID();
    await withCtx(
      (p) => ({ codex: codexProfile(p) }),
      async (c) => {
        const a = spawn(c, 'codex', { resumeSessionId: rid });
        assert.ok(a.args.includes('resume') && a.args.includes(rid), 'resume args');
        await waitScreen(c, a.id, new RegExp(`fake-codex session ${rid}`));
        setCodexUsage(c, 66_000);
        await send(c, a.id, 'continue');
        await waitScreen(c, a.id, /codex: ok \(ctx 66000\)/);
        await waitInfo(c, a.id, (i) => i.usage.tokens === 66_000, 'usage of the resumed rollout', 10_000);
      },
      (p) => {
        const d = new Date(Date.now() - 3 * 86_400_000);
        const pad = (n: number) => String(n).padStart(2, '0');
        const dir = path.join(p.codexHome, 'sessions', `${d.getFullYear()}`, pad(d.getMonth() + 1), pad(d.getDate()));
        mkdirSync(dir, { recursive: true });
        const f = path.join(dir, `rollout-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10-00-00-${rid}.jsonl`);
        appendFileSync(f, JSON.stringify({ timestamp: d.toISOString(), type: 'session_meta', payload: { id: rid, cwd: realpathSync(p.wt), originator: 'codex_cli_rs', source: 'cli' } }) + '\n');
      },
    );
  });
});

// ---- screen patterns ----------------------------------------------------------------------------

describe('usage read off the screen', () => {
  test('percent-left and token patterns over the rendered rows; unknown window shows "?"', async () => {
    await withCtx(
      () => ({
        gem: { command: NODE, args: [ECHO], usage: { source: 'screen', pattern: '(\\d+)% context left', window: 100_000 }, refresh: { warnAt: 0.5, refreshAt: 0.8 }, promptPattern: '^READY' },
        aider: { command: NODE, args: [ECHO], usage: { source: 'screen', pattern: 'Tokens: ([\\d.,]+[kKmM]?) sent', patternKind: 'tokens' } },
      }),
      async (c) => {
        const g = spawn(c, 'gem');
        const ai = spawn(c, 'aider');
        await waitScreen(c, g.id, /READY/);
        await waitScreen(c, ai.id, /READY/);
        await send(c, g.id, '30% context left');
        const gi = await waitInfo(c, g.id, (i) => i.usage.tokens === 70_000, '70% used of 100k');
        assert.deepEqual([gi.usage.window, gi.usage.percent, gi.usage.level], [100_000, 70, 'warn'], 'window, percent, level');
        await send(c, g.id, '15% context left');
        await waitInfo(c, g.id, (i) => i.usage.tokens === 85_000 && i.usage.level === 'rot', 'the newest (lowest) status line wins');
        await waitInfo(c, g.id, (i) => i.activity === 'waiting', 'prompt pattern visible and quiet: waiting');

        await send(c, ai.id, 'Tokens: 18k sent, 2.1k cache write, 14k cache hit, 612 received.');
        const ii = await waitInfo(c, ai.id, (i) => i.usage.tokens === 18_000, 'aider tokens');
        assert.equal(ii.usage.window, null, 'no window configured or reported');
        assert.equal(ii.usage.percent, null, 'no percentage guessed');
        assert.equal(formatUsage(ii.usage), 'ctx 18k/? ?', 'header says "?"');
      },
    );
  });
});

// ---- refresh ------------------------------------------------------------------------------------

function refreshOutcomes(c: Ctx, id: string): string[] {
  return refreshTrace(c, id).map((e) => `${e.outcome}${e.error ? `:${e.error}` : ''}`);
}

describe('refresh', () => {
  test('manual respawn: hand-off written and excluded from git, new session, hand-off prompt, verified pickup, traced', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { action: 'respawn', mode: 'manual' }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        const s1 = a.sessionId!;
        await waitScreen(c, a.id, /fake-claude session/);
        const before = await exchange(c, a.id, 170_000);
        assert.equal(before.usage.level, 'rot', 'rot');
        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting');
        const oldFile = before.usage.file!;

        const res = await c.sup.dispatch({ type: 'refresh', agent: a.id });
        assert.ok(res && 'id' in res, 'refresh returns the agent');
        const now = info(c, a.id);
        const s2 = now.sessionId!;
        assert.ok(s2 && s2 !== s1, `a NEW session id (${s1} → ${s2})`);
        assert.equal(now.refreshCount, 1, 'refreshCount');
        assert.ok(now.args.includes(s2) && !now.args.includes(s1) && !now.args.includes('--resume'), `fresh args: ${now.args.join(' ')}`);

        // The hand-off.
        const handoff = path.join(c.wt, '.flower', 'handoff-claude.md');
        const text = readFileSync(handoff, 'utf8');
        assert.ok(text.includes('Paint the widget blue.'), `brief included:\n${text}`);
        assert.ok(text.includes('(BRIEF.md)'), 'brief file named');
        assert.ok(/## Branch\n\nwt\n/.test(text), 'branch');
        assert.ok(text.includes('Lane work: blue widget'), 'commits on the branch not in MAIN');
        assert.ok(!text.includes('Add app'), "MAIN's own commits are not listed");
        assert.ok(text.includes('?? wip.txt'), 'uncommitted changes');
        assert.ok(text.includes('assistant: ok (ctx 170000)'), 'the last screen');
        assert.ok(text.includes('ctx 170k/200k 85%'), 'the usage that triggered it');
        // .flower/ is excluded via info/exclude, never a tracked .gitignore.
        assert.ok(!git(c.wt, ['status', '--short']).includes('.flower'), 'hand-off not in git status');
        const exclude = git(c.wt, ['rev-parse', '--path-format=absolute', '--git-path', 'info/exclude']).trim();
        assert.ok(readFileSync(exclude, 'utf8').split('\n').includes('.flower/'), 'in info/exclude');
        assert.ok(!existsSync(path.join(c.wt, '.gitignore')), 'no .gitignore written');

        // The new session got the prompt; its transcript exists; the probe follows it.
        await waitScreen(c, a.id, new RegExp(`fake-claude session ${s2} \\(startup\\)`));
        await waitScreen(c, a.id, /you: Your context was just refreshed\. First read \.flower\/handoff-/);
        const newFile = findClaudeTranscript(c.claudeDir, s2);
        assert.ok(newFile && newFile !== oldFile, 'a new transcript');
        assert.ok(readFileSync(newFile, 'utf8').includes('.flower/handoff-claude.md'), 'the hand-off prompt is in the new transcript');
        await waitInfo(c, a.id, (i) => i.usage.file === newFile, 'usage follows the new transcript');

        const tr = refreshTrace(c, a.id);
        assert.deepEqual(tr.map((e) => e.outcome), ['started', 'ok'], `trace: ${JSON.stringify(tr)}`);
        for (const e of tr) {
          assert.equal(e.actor, 'operator', 'actor');
          assert.deepEqual([e.details?.trigger, e.details?.action, e.details?.tokens, e.details?.window, e.details?.percent, e.details?.level], ['manual', 'respawn', 170_000, 200_000, 85, 'rot'], `numbers in ${JSON.stringify(e)}`);
        }
        assert.ok(String(tr[1]!.details?.result).includes(s2), `result names the new session: ${tr[1]!.details?.result}`);
        assert.ok(c.events.some((e) => e.type === 'notice' && e.notice.text.includes('refreshed')), 'a notice');
      },
      (p) => {
        writeFileSync(path.join(p.wt, 'BRIEF.md'), '# Lane brief\n\nPaint the widget blue.\n');
        git(p.wt, ['add', 'BRIEF.md']);
        git(p.wt, ['commit', '--quiet', '-m', 'Lane work: blue widget']);
        writeFileSync(path.join(p.wt, 'wip.txt'), 'half done\n');
      },
    );
  });

  test('respawn whose new session fails to start: outcome error in the trace', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { action: 'respawn' }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 170_000);
        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting');
        writeFileSync(c.failFile, 'x');
        await assert.rejects(c.sup.dispatch({ type: 'refresh', agent: a.id }), (e: Error) => /refresh of wt\/claude failed/.test(e.message), 'the refresh reports failure');
        await waitInfo(c, a.id, (i) => i.state.kind === 'exited', 'the new process exited');
        assert.equal(info(c, a.id).state.kind === 'exited' && (info(c, a.id).state as { code: number }).code, 3, 'exit code of the failing start');
        const tr = refreshTrace(c, a.id);
        assert.deepEqual(tr.map((e) => e.outcome), ['started', 'error'], `trace: ${JSON.stringify(tr)}`);
        assert.ok(tr[1]!.error && tr[1]!.error.length > 0, `an error message: ${tr[1]!.error}`);
        assert.equal(tr[1]!.details?.action, 'respawn', 'action');
      },
    );
  });

  test('action "command" types /compact: the transcript shows the compaction', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { action: 'command' }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 170_000);
        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting');
        setUsage(c, 170_000, { postTokens: 9_000 });
        await c.sup.dispatch({ type: 'refresh', agent: a.id });
        await waitScreen(c, a.id, /you: \/compact/);
        await waitInfo(c, a.id, (i) => i.usage.compacted && i.usage.tokens === 9_000, 'compacted');
        assert.equal(info(c, a.id).sessionId, a.sessionId, 'same session');
        const tr = refreshTrace(c, a.id);
        assert.deepEqual(tr.map((e) => e.outcome), ['started', 'ok'], 'traced');
        assert.equal(tr[1]!.details?.result, 'typed /compact', 'result');
      },
    );
  });

  test('action "notify" emits an attention event; manual bypasses the thresholds', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { action: 'notify' }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        await exchange(c, a.id, 41_100);
        await waitInfo(c, a.id, (i) => i.activity === 'waiting', 'waiting');
        await c.sup.dispatch({ type: 'refresh', agent: a.id });
        const att = attentions(c, a.id, /time to refresh/);
        assert.equal(att.length, 1, 'one attention event');
        assert.ok(att[0]!.reason.includes('ctx 41.1k/200k 21%'), `reason carries the usage: ${att[0]!.reason}`);
        const tr = refreshTrace(c, a.id);
        assert.deepEqual(tr.map((e) => e.outcome), ['started', 'ok'], 'traced');
        assert.equal(tr[0]!.details?.level, 'ok', 'below the thresholds, by hand');
        assert.equal(info(c, a.id).sessionId, a.sessionId, 'nothing restarted');
      },
    );
  });

  test('manual refresh of a busy agent is queued and runs once it is waiting', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { action: 'notify' }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        setUsage(c, 60_000, { delayMs: 6000 });
        await send(c, a.id, 'slow one');
        await waitScreen(c, a.id, /assistant: running a tool/);
        await waitInfo(c, a.id, (i) => i.activity === 'working', 'working mid-turn');
        await c.sup.dispatch({ type: 'refresh', agent: a.id });
        assert.deepEqual(refreshOutcomes(c, a.id), ['queued:agent is mid-turn: refreshing when it is idle'], 'queued, not run');
        assert.equal(attentions(c, a.id, /time to refresh/).length, 0, 'nothing done yet');
        await waitScreen(c, a.id, /assistant: ok \(ctx 60000\)/);
        await waitUntil(() => refreshOutcomes(c, a.id).includes('ok'), { timeoutMs: T, what: () => `the queued refresh to run: ${refreshOutcomes(c, a.id)}` });
        const started = refreshTrace(c, a.id).find((e) => e.outcome === 'started')!;
        const { toolAt, endAt } = turnTimes(info(c, a.id).usage.file!);
        assert.ok(endAt - toolAt >= 5000, `the turn really was slow (${endAt - toolAt} ms)`);
        assert.ok(Date.parse(started.ts) >= endAt, `ran after the turn ended (started ${started.ts}, end_turn ${new Date(endAt).toISOString()})`);
        assert.equal(attentions(c, a.id, /time to refresh/).length, 1, 'then notified');
      },
    );
  });

  test('auto: never mid-turn; after the turn a respawn by policy; then the cool-down holds', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { mode: 'auto', action: 'respawn', cooldownMs: 3_600_000, maxPerHour: 3 }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        const s1 = a.sessionId!;
        await waitScreen(c, a.id, /fake-claude session/);
        // The answer starts with a tool call already at 85%, and the turn ends 6 s later.
        setUsage(c, 170_000, { delayMs: 6000 });
        await send(c, a.id, 'long task');
        await waitScreen(c, a.id, /assistant: running a tool \(ctx 170000\)/);
        await waitInfo(c, a.id, (i) => i.usage.level === 'rot' && i.activity === 'working', 'rot while mid-turn');
        const oldFile = info(c, a.id).usage.file!;
        await waitScreen(c, a.id, /assistant: ok \(ctx 170000\)/);
        await waitUntil(() => refreshOutcomes(c, a.id).includes('ok'), { timeoutMs: 2 * T, what: () => `the policy refresh: ${refreshOutcomes(c, a.id)}` });
        const tr = refreshTrace(c, a.id);
        assert.deepEqual(tr.slice(0, 2).map((e) => e.outcome), ['started', 'ok'], 'started, ok');
        // Mid-turn (tool call written → end_turn written, 6 s): nothing started, however long it took.
        const { toolAt, endAt } = turnTimes(oldFile);
        assert.ok(endAt - toolAt >= 5000, `the turn really was slow (${endAt - toolAt} ms)`);
        assert.ok(Date.parse(tr[0]!.ts) >= endAt, `started only after the turn ended (started ${tr[0]!.ts}, end_turn ${new Date(endAt).toISOString()})`);
        for (const e of tr.slice(0, 2)) {
          assert.equal(e.actor, 'policy', 'by policy');
          assert.deepEqual([e.details?.trigger, e.details?.action, e.details?.tokens, e.details?.level], ['policy', 'respawn', 170_000, 'rot'], `numbers: ${JSON.stringify(e.details)}`);
        }
        const s2 = info(c, a.id).sessionId;
        assert.ok(s2 && s2 !== s1, 'a new session');
        // The fresh session answers the hand-off (slowly) at 85% again: the cool-down stops a treadmill.
        await waitScreen(c, a.id, new RegExp(`fake-claude session ${s2}`));
        await waitUntil(() => refreshOutcomes(c, a.id).includes('skipped:cooldown'), { timeoutMs: 2 * T, what: () => `a cool-down skip: ${refreshOutcomes(c, a.id)}` });
        assert.equal(info(c, a.id).sessionId, s2, 'not refreshed again');
        assert.equal(refreshOutcomes(c, a.id).filter((o) => o === 'started').length, 1, 'one refresh only');
      },
    );
  });

  test('auto: the cap per hour', async () => {
    await withCtx(
      (p) => ({ claude: claudeProfile(p, { mode: 'auto', action: 'notify', cooldownMs: 0, maxPerHour: 2 }) }),
      async (c) => {
        const a = spawn(c, 'claude');
        await waitScreen(c, a.id, /fake-claude session/);
        for (let k = 1; k <= 3; k++) {
          await exchange(c, a.id, 170_000 + k);
          await waitUntil(() => refreshTrace(c, a.id).filter((e) => e.outcome !== 'started').length >= k, { timeoutMs: T, what: () => `refresh decision ${k}: ${refreshOutcomes(c, a.id)}` });
        }
        assert.deepEqual(refreshOutcomes(c, a.id).filter((o) => o !== 'started'), ['ok', 'ok', 'skipped:cap'], 'two, then the cap');
        assert.equal(attentions(c, a.id, /time to refresh/).length, 2, 'two notifications');
        const last = refreshTrace(c, a.id).at(-1)!;
        assert.deepEqual([last.details?.trigger, last.details?.tokens, last.details?.level], ['policy', 170_003, 'rot'], 'the skipped one has its numbers too');
      },
    );
  });
});

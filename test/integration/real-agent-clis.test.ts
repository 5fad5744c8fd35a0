// The real Claude Code and Codex CLIs, offline: each runs in a pty against a mock model server on
// 127.0.0.1 (which is also its HTTP(S) proxy, refusing and recording any other host), answers a
// typed prompt, and writes a real transcript whose usage numbers are the ones this test chose.
// The CLIs are installed into a cache outside the repo (test/helpers/agent-cli-cache.ts); every
// test skips when that is impossible here. Every process started is killed, including detached
// helpers, which are found by a marker variable in their environment.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { agentCliCommand, DEFAULT_AGENT_CLI_VERSIONS, ensureAgentCli, whyNoAgentCli } from '../helpers/agent-cli-cache.js';
import { startMockAnthropic, type AnthropicUsage, type MockAnthropic } from '../helpers/mock-anthropic.js';
import { startMockOpenAI, type MockOpenAI, type ResponsesUsage } from '../helpers/mock-openai.js';
import { makeClaudeHome, makeCodexHome, MOCK_CODEX_MODEL } from '../helpers/claude-home.js';
import { waitUntil } from '../helpers/wait-until.js';
import { isProcessAlive } from '../helpers/processes.js';

const { Terminal } = xtermHeadless;
const MARK_VAR = 'FLOWER_REAL_AGENT_TEST_MARK';

// ------------------------------------------------------------------------------------------------
// A small pty driver: the program's output goes through a headless xterm, whose replies (cursor
// position reports, device attributes) go back to the program, as a real terminal would do.

class PtyAgent {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  readonly mark = randomUUID();
  readonly startedAt = Date.now();
  exit: { exitCode: number; signal?: number } | null = null;
  private stopped: Promise<number[]> | null = null;

  constructor(file: string, args: string[], opts: { cwd: string; env: Record<string, string>; cols?: number; rows?: number }) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 40;
    this.term = new Terminal({ cols, rows, scrollback: 2000, allowProposedApi: true, logLevel: 'off' });
    this.proc = pty.spawn(file, args, { name: 'xterm-256color', cwd: opts.cwd, env: { ...opts.env, [MARK_VAR]: this.mark }, cols, rows, encoding: 'utf8' });
    this.proc.onData((d) => this.term.write(d));
    this.term.onData((d) => {
      if (!this.exit) this.proc.write(d);
    });
    this.proc.onExit((e) => {
      this.exit = e;
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** The visible rows, after everything received so far has been parsed. */
  async screen(): Promise<string> {
    await new Promise<void>((resolve) => this.term.write('', resolve));
    const b = this.term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < this.term.rows; i++) rows.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return rows.join('\n');
  }

  async waitForScreen(re: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
    let last = '';
    return waitUntil(
      async () => {
        if (this.exit) throw new Error(`exited (${JSON.stringify(this.exit)}) while waiting for ${what}`);
        last = await this.screen();
        return re.test(last) ? last : null;
      },
      { timeoutMs, intervalMs: 50, what: () => `${what} (${re}) on screen; screen was:\n${compact(last)}` },
    );
  }

  /** Type text, wait until it shows on screen (so no key is lost to a UI that is still starting), then Enter. */
  async submit(text: string): Promise<void> {
    this.proc.write(text);
    await this.waitForScreen(new RegExp(escapeRe(text)), `the typed "${text}"`, 10_000);
    this.proc.write('\r');
  }

  key(data: string): void {
    this.proc.write(data);
  }

  /** TERM the process group, then KILL it; then KILL anything else that carries this run's marker. Idempotent. */
  stop(): Promise<number[]> {
    this.stopped ??= this.doStop();
    return this.stopped;
  }

  private async doStop(): Promise<number[]> {
    const pid = this.proc.pid;
    if (!this.exit) {
      signalGroup(pid, 'SIGTERM');
      await waitUntil(() => this.exit !== null, { timeoutMs: 3000, what: 'exit after SIGTERM' }).catch(() => signalGroup(pid, 'SIGKILL'));
    }
    signalGroup(pid, 'SIGKILL'); // whatever of the group is left
    // A killed process stays in /proc until it is reaped, which on a loaded machine takes a moment:
    // only what outlives the group's kill by 2 s (a daemon in its own session) is a leftover.
    await waitUntil(() => processesWithMark(this.mark).length === 0, { timeoutMs: 2000, intervalMs: 50, what: 'the group to be gone' }).catch(() => {});
    const leftovers = processesWithMark(this.mark);
    for (const p of leftovers) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await waitUntil(() => processesWithMark(this.mark).length === 0, { timeoutMs: 5000, what: 'marked processes to die' });
    try {
      this.proc.kill();
    } catch {
      /* already closed */
    }
    return leftovers;
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, sig);
    } catch {
      /* gone */
    }
  }
}

/** Live processes whose environment carries `mark` (finds daemons that left the session too). */
function processesWithMark(mark: string): number[] {
  const needle = `${MARK_VAR}=${mark}`;
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/environ`, 'utf8').split('\0').includes(needle) && isProcessAlive(Number(e))) out.push(Number(e));
    } catch {
      /* exited or not ours */
    }
  }
  return out;
}

function compact(screen: string): string {
  return screen.split('\n').filter((l) => l.trim()).join('\n');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function gitProject(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

function readJsonl(file: string): any[] {
  const out: any[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* a line being written */
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Claude Code transcripts

const CLAUDE_USAGE: Record<number, AnthropicUsage> = {
  1: { input_tokens: 100, cache_creation_input_tokens: 1000, cache_read_input_tokens: 40000, output_tokens: 50 },
  2: { input_tokens: 120, cache_creation_input_tokens: 2500, cache_read_input_tokens: 66000, output_tokens: 80 },
  3: { input_tokens: 30, cache_creation_input_tokens: 4000, cache_read_input_tokens: 0, output_tokens: 20 }, // after /clear
};
const CLAUDE_SIDE_USAGE: AnthropicUsage = { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 };

/** `projects/*\/<id>.jsonl` under the config dir: never compute the slug. */
function findClaudeTranscript(claudeDir: string, sessionId: string): string | null {
  const projects = path.join(claudeDir, 'projects');
  if (!existsSync(projects)) return null;
  for (const slug of readdirSync(projects)) {
    const f = path.join(projects, slug, `${sessionId}.jsonl`);
    if (existsSync(f)) return f;
  }
  return null;
}

function claudeTranscripts(claudeDir: string): string[] {
  const projects = path.join(claudeDir, 'projects');
  if (!existsSync(projects)) return [];
  return readdirSync(projects).flatMap((slug) =>
    readdirSync(path.join(projects, slug)).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(projects, slug, f)),
  );
}

/** The latest main-chain assistant line's usage (the rule in agent-usage.md). */
function latestClaudeUsage(file: string): (AnthropicUsage & { model: string; id: string }) | null {
  let found: (AnthropicUsage & { model: string; id: string }) | null = null;
  for (const o of readJsonl(file)) {
    if (o.type !== 'assistant' || o.isSidechain === true || o.isApiErrorMessage || o.message?.model === '<synthetic>') continue;
    const u = o.message?.usage;
    if (!u) continue;
    const cur = {
      input_tokens: u.input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens,
      cache_read_input_tokens: u.cache_read_input_tokens, output_tokens: u.output_tokens,
      model: o.message.model, id: o.message.id,
    };
    // One response may be written as several lines with one message.id: keep the largest output.
    if (found && found.id === cur.id) cur.output_tokens = Math.max(found.output_tokens, cur.output_tokens);
    found = cur;
  }
  return found;
}

const pick = (u: AnthropicUsage): AnthropicUsage => ({
  input_tokens: u.input_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens,
  cache_read_input_tokens: u.cache_read_input_tokens, output_tokens: u.output_tokens,
});
const claudeContext = (u: AnthropicUsage): number => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;

async function waitForClaudeUsage(file: () => string | null, want: AnthropicUsage, what: string): Promise<string> {
  let last: unknown = null;
  return waitUntil(
    () => {
      const f = file();
      if (!f) return null;
      const u = latestClaudeUsage(f);
      last = u;
      return u && JSON.stringify(pick(u)) === JSON.stringify(want) ? f : null;
    },
    { timeoutMs: 15_000, what: () => `${what}: usage ${JSON.stringify(want)} in the transcript; latest was ${JSON.stringify(last)}` },
  );
}

describe('real Claude Code CLI against a mock Anthropic API', () => {
  const version = DEFAULT_AGENT_CLI_VERSIONS['@anthropic-ai/claude-code'];
  let bin: string | null = null;
  const cleanups: Array<() => unknown> = [];

  before(async () => {
    bin = await ensureAgentCli('@anthropic-ai/claude-code', version);
  }, { timeout: 10 * 60_000 });

  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function setup(t: TestContext, opts: { nonessentialTraffic: boolean }) {
    if (!bin) {
      t.skip(`@anthropic-ai/claude-code@${version} cannot be installed here: ${whyNoAgentCli('@anthropic-ai/claude-code', version)}`);
      return null;
    }
    const mock: MockAnthropic = await startMockAnthropic({
      usage: (n) => CLAUDE_USAGE[n] ?? CLAUDE_USAGE[3]!,
      reply: (n) => `Mock reply number ${n}.`,
      sideUsage: () => CLAUDE_SIDE_USAGE,
    });
    cleanups.push(() => mock.close());
    const projectDir = gitProject('flower-claude-proj-');
    cleanups.push(() => rmSync(projectDir, { recursive: true, force: true }));
    const home = makeClaudeHome({ projectDir, version });
    cleanups.push(() => home.cleanup());
    const env: Record<string, string> = { ...home.env({ baseUrl: mock.url }), ...mock.proxyEnv() };
    if (opts.nonessentialTraffic) {
      // As a user's machine would run it: title generation and telemetry on (the proxy refuses the latter).
      delete env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC;
      delete env.DISABLE_TELEMETRY;
      delete env.DISABLE_ERROR_REPORTING;
    }
    const sessionId = randomUUID();
    const cmd = agentCliCommand(bin);
    const agent = new PtyAgent(cmd.file, [...cmd.args, '--session-id', sessionId], { cwd: projectDir, env });
    cleanups.push(() => agent.stop());
    return { mock, home, projectDir, agent, sessionId };
  }

  test('usage in the transcript is the mock\'s, grows with the next exchange, and /clear starts a new file', { timeout: 90_000 }, async (t) => {
    const s = await setup(t, { nonessentialTraffic: false });
    if (!s) return;
    const { mock, home, agent, sessionId } = s;

    // Start: the input box, with no dialog in the way.
    const screen = await agent.waitForScreen(/^❯\s/m, 'the input prompt');
    t.diagnostic(`claude ${version} showed its prompt after ${Date.now() - agent.startedAt} ms`);
    assert.doesNotMatch(screen, /trust this folder|Choose the text style|API key|Select login/i);
    assert.equal(findClaudeTranscript(home.claudeDir, sessionId), null, 'no transcript before the first exchange');

    // First exchange.
    await agent.submit('first question');
    await agent.waitForScreen(/Mock reply number 1\./, 'the first reply');
    const file = await waitForClaudeUsage(() => findClaudeTranscript(home.claudeDir, sessionId), CLAUDE_USAGE[1]!, 'first exchange');
    assert.equal(path.basename(path.dirname(path.dirname(file))), 'projects');
    assert.equal(mock.mainRequests()[0]?.sessionId, sessionId, 'x-claude-code-session-id names the session');

    // Second exchange: the latest usage grows accordingly.
    await agent.submit('second question');
    await agent.waitForScreen(/Mock reply number 2\./, 'the second reply');
    await waitForClaudeUsage(() => file, CLAUDE_USAGE[2]!, 'second exchange');
    assert.ok(claudeContext(latestClaudeUsage(file)!) > claudeContext(CLAUDE_USAGE[1]!));

    // /clear: a new session id and a new file in the same folder, at once (before the next exchange).
    await agent.submit('/clear');
    const newFile = await waitUntil(
      () => claudeTranscripts(home.claudeDir).find((f) => f !== file) ?? null,
      { timeoutMs: 15_000, what: 'a second transcript after /clear' },
    );
    const newId = path.basename(newFile, '.jsonl');
    assert.notEqual(newId, sessionId);
    assert.match(newId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(path.dirname(newFile), path.dirname(file));
    assert.equal(latestClaudeUsage(newFile), null, 'the new file has no usage before its first exchange');
    t.diagnostic(`/clear: ${sessionId} -> ${newId} (random; file created by /clear itself)`);
    // ~/.claude/sessions/<pid>.json follows the live session id of the process.
    const live = await waitUntil(() => {
      const j = JSON.parse(readFileSync(path.join(home.claudeDir, 'sessions', `${agent.pid}.json`), 'utf8'));
      return j.sessionId === newId ? j : null;
    }, { timeoutMs: 10_000, what: `sessions/${agent.pid}.json to name ${newId}` });
    assert.equal(live.cwd, s.projectDir);

    await agent.submit('third question');
    await agent.waitForScreen(/Mock reply number 3\./, 'the third reply');
    await waitForClaudeUsage(() => newFile, CLAUDE_USAGE[3]!, 'after /clear');
    assert.deepEqual(pick(latestClaudeUsage(file)!), CLAUDE_USAGE[2], 'the old file is left as it was');
    assert.equal(mock.mainRequests().at(-1)?.sessionId, newId);

    // Nothing else was asked of the network, and no side request happened in this configuration.
    assert.deepEqual(mock.external, []);
    assert.deepEqual(mock.requests.filter((r) => r.kind !== 'main').map((r) => `${r.method} ${r.path}`), []);

    const leftovers = await agent.stop();
    assert.deepEqual(leftovers, [], 'claude left no process behind');
  });

  test('side requests (title generation) never reach the transcript', { timeout: 60_000 }, async (t) => {
    const s = await setup(t, { nonessentialTraffic: true });
    if (!s) return;
    const { mock, home, agent, sessionId } = s;
    await agent.waitForScreen(/^❯\s/m, 'the input prompt');
    await agent.submit('a question for the title');
    await agent.waitForScreen(/Mock reply number 1\./, 'the reply');
    const file = await waitForClaudeUsage(() => findClaudeTranscript(home.claudeDir, sessionId), CLAUDE_USAGE[1]!, 'main exchange');
    const side = await waitUntil(() => mock.requests.filter((r) => r.kind === 'side'), { what: 'a side request' });
    t.diagnostic(`side requests: ${side.map((r) => `${r.purpose} model=${r.model} tools=${r.body?.tools?.length}`).join(', ')}`);
    assert.ok(side.some((r) => r.purpose === 'title'));
    assert.ok(side.every((r) => r.model === mock.mainRequests()[0]!.model), 'same model as the main conversation in 2.1.330');
    // No line anywhere carries the side usage.
    for (const f of claudeTranscripts(home.claudeDir)) {
      for (const o of readJsonl(f)) {
        const u = o.message?.usage;
        if (u) assert.notDeepEqual(pick(u), CLAUDE_SIDE_USAGE, `${path.basename(f)} has a side request's usage`);
      }
    }
    assert.deepEqual(pick(latestClaudeUsage(file)!), CLAUDE_USAGE[1]);
    // With nonessential traffic on it tries other hosts; the proxy refused them (all on 127.0.0.1).
    t.diagnostic(`refused external hosts: ${[...new Set(mock.external)].join(', ') || 'none'}`);
    assert.ok(mock.external.every((h) => /^(api\.anthropic\.com|raw\.githubusercontent\.com|statsig\.anthropic\.com|[a-z0-9.-]*\.anthropic\.com|[a-z0-9.-]*\.claude\.ai|github\.com|[a-z0-9.-]*sentry\.io):443$/.test(h)), mock.external.join(','));
    assert.deepEqual(await agent.stop(), []);
  });
});

// ------------------------------------------------------------------------------------------------
// Codex rollouts

const CODEX_USAGE: Record<number, ResponsesUsage> = {
  1: { input_tokens: 21000, cached_input_tokens: 15000, output_tokens: 300, reasoning_output_tokens: 0 },
  2: { input_tokens: 34000, cached_input_tokens: 30000, output_tokens: 450, reasoning_output_tokens: 120 },
  3: { input_tokens: 9000, cached_input_tokens: 0, output_tokens: 100, reasoning_output_tokens: 0 }, // after /new
};
const CODEX_SIDE_USAGE: ResponsesUsage = { input_tokens: 9, cached_input_tokens: 0, output_tokens: 4, reasoning_output_tokens: 0 };

const codexLast = (u: ResponsesUsage) => ({ ...u, total_tokens: u.input_tokens + u.output_tokens });
const pickCodex = (u: any) => ({
  input_tokens: u.input_tokens, cached_input_tokens: u.cached_input_tokens, output_tokens: u.output_tokens,
  reasoning_output_tokens: u.reasoning_output_tokens, total_tokens: u.total_tokens,
});

function localDay(d: Date): string[] {
  return [String(d.getFullYear()), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')];
}

/** Rollouts of this cwd started since `since` (today's and yesterday's local-date folders). */
function codexRollouts(codexHome: string, cwd: string, since: number): Array<{ file: string; id: string }> {
  const out: Array<{ file: string; id: string }> = [];
  for (const day of [new Date(), new Date(Date.now() - 86_400_000)]) {
    const dir = path.join(codexHome, 'sessions', ...localDay(day));
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => /^rollout-.*\.jsonl$/.test(n)).sort()) {
      const meta = readJsonl(path.join(dir, f)).find((o) => o.type === 'session_meta')?.payload;
      if (!meta || meta.cwd !== cwd || meta.source !== 'cli') continue;
      if (Date.parse(meta.timestamp) < since - 2000) continue;
      out.push({ file: path.join(dir, f), id: meta.id });
    }
  }
  return out;
}

function codexTokenCounts(file: string): any[] {
  return readJsonl(file).filter((o) => o.type === 'event_msg' && o.payload?.type === 'token_count' && o.payload.info).map((o) => o.payload.info);
}

async function waitForCodexUsage(file: () => string | null, want: ResponsesUsage, what: string): Promise<any> {
  let last: unknown = null;
  return waitUntil(
    () => {
      const f = file();
      if (!f) return null;
      const info = codexTokenCounts(f).at(-1);
      last = info?.last_token_usage;
      return info && JSON.stringify(pickCodex(info.last_token_usage)) === JSON.stringify(codexLast(want)) ? info : null;
    },
    { timeoutMs: 15_000, what: () => `${what}: last_token_usage ${JSON.stringify(codexLast(want))}; latest was ${JSON.stringify(last)}` },
  );
}

describe('real Codex CLI against a mock Responses API', () => {
  const version = DEFAULT_AGENT_CLI_VERSIONS['@openai/codex'];
  let bin: string | null = null;
  const cleanups: Array<() => unknown> = [];

  before(async () => {
    bin = await ensureAgentCli('@openai/codex', version);
  }, { timeout: 10 * 60_000 });

  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('token_count in the rollout is the mock\'s, grows with the next turn, and /new starts a new file', { timeout: 90_000 }, async (t) => {
    if (!bin) {
      t.skip(`@openai/codex@${version} cannot be installed here: ${whyNoAgentCli('@openai/codex', version)}`);
      return;
    }
    const mock: MockOpenAI = await startMockOpenAI({
      usage: (n) => CODEX_USAGE[n] ?? CODEX_USAGE[3]!,
      reply: (n) => `Mock codex reply number ${n}.`,
      sideUsage: () => CODEX_SIDE_USAGE,
    });
    cleanups.push(() => mock.close());
    const projectDir = gitProject('flower-codex-proj-');
    cleanups.push(() => rmSync(projectDir, { recursive: true, force: true }));
    const home = makeCodexHome({ projectDir, baseUrl: mock.url });
    cleanups.push(() => home.cleanup());
    const cmd = agentCliCommand(bin);
    const agent = new PtyAgent(cmd.file, cmd.args, { cwd: projectDir, env: { ...home.env(), ...mock.proxyEnv() } });
    cleanups.push(() => agent.stop());

    // Ready once the status line under the composer names the model (the "›" shows earlier, while "loading").
    await agent.waitForScreen(new RegExp(`${escapeRe(MOCK_CODEX_MODEL)}\\b.*·`), 'the composer status line');
    t.diagnostic(`codex ${version} ready after ${Date.now() - agent.startedAt} ms`);
    assert.deepEqual(codexRollouts(home.codexHome, projectDir, agent.startedAt), [], 'no rollout before the first turn');

    await agent.submit('first codex question');
    await agent.waitForScreen(/Mock codex reply number 1\./, 'the first reply');
    const first = await waitUntil(() => codexRollouts(home.codexHome, projectDir, agent.startedAt)[0] ?? null, { timeoutMs: 15_000, what: 'the rollout' });
    const info1 = await waitForCodexUsage(() => first.file, CODEX_USAGE[1]!, 'first turn');
    assert.deepEqual(pickCodex(info1.total_token_usage), codexLast(CODEX_USAGE[1]!));
    assert.equal(typeof info1.model_context_window, 'number');
    t.diagnostic(`model_context_window for ${MOCK_CODEX_MODEL}: ${info1.model_context_window}`);

    await agent.submit('second codex question');
    await agent.waitForScreen(/Mock codex reply number 2\./, 'the second reply');
    const info2 = await waitForCodexUsage(() => first.file, CODEX_USAGE[2]!, 'second turn');
    assert.ok(info2.last_token_usage.total_tokens > info1.last_token_usage.total_tokens);
    // total_token_usage is cumulative billing, not the context.
    assert.equal(info2.total_token_usage.total_tokens, codexLast(CODEX_USAGE[1]!).total_tokens + codexLast(CODEX_USAGE[2]!).total_tokens);

    // /new: in a git repo 0.169 first asks where the new conversation should run; Enter keeps the
    // current worktree. The new rollout appears with the next turn.
    await agent.submit('/new');
    const after = await agent.waitForScreen(/Where should the new conversation run|›\s+Ask Codex/, 'the /new worktree question or an empty composer');
    if (/Where should the new conversation run/.test(after)) {
      agent.key('\r');
      await agent.waitForScreen(/›\s+Ask Codex/, 'the empty composer');
    }
    await agent.submit('third codex question');
    await agent.waitForScreen(/Mock codex reply number 3\./, 'the third reply');
    const second = await waitUntil(() => codexRollouts(home.codexHome, projectDir, agent.startedAt).find((r) => r.file !== first.file) ?? null, {
      timeoutMs: 15_000, what: 'a second rollout after /new',
    });
    assert.notEqual(second.id, first.id);
    await waitForCodexUsage(() => second.file, CODEX_USAGE[3]!, 'after /new');
    assert.deepEqual(pickCodex(codexTokenCounts(first.file).at(-1).last_token_usage), codexLast(CODEX_USAGE[2]!), 'the old rollout is left as it was');
    t.diagnostic(`/new: ${first.id} -> ${second.id}`);

    // Helper requests (thread naming) are not counted in token_count.
    for (const r of [first, second]) {
      for (const info of codexTokenCounts(r.file)) assert.notEqual(info.last_token_usage.input_tokens, CODEX_SIDE_USAGE.input_tokens);
    }
    // The only host it tries besides the mock is the announcement tip (no setting turns that off in
    // 0.169); the proxy refused it.
    assert.ok(mock.external.every((h) => h === 'raw.githubusercontent.com:443'), mock.external.join(','));

    const leftovers = await agent.stop();
    assert.deepEqual(leftovers, [], 'codex left no process behind (no app-server daemon)');
  });
});

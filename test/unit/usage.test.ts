/**
 * Context usage, the pure parts (src/core/usage/*): transcript and rollout readers fed the exact line
 * shapes of reference/agent-usage.md, screen patterns, levels and windows, the refresh policy,
 * activity, the hand-off text, and the transcript locators against temp dirs. One test runs the
 * fake Claude Code fixture without a pty, so the fixture and the reader are checked against each other.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaudeTranscriptReader } from '../../src/core/usage/claude-transcript.js';
import { CodexRolloutReader, isOurRollout } from '../../src/core/usage/codex-rollout.js';
import { parseTokenCount, readScreenUsage } from '../../src/core/usage/screen-usage.js';
import { compact, effectiveWindow, formatUsage, thresholdTokens, usageLevel } from '../../src/core/usage/usage-level.js';
import { decideRefresh, type RefreshPolicy } from '../../src/core/usage/refresh-policy.js';
import { activityOf, IDLE_AFTER_MS, OUTPUT_QUIET_MS } from '../../src/core/usage/activity.js';
import { handoffPath, renderHandoff } from '../../src/core/usage/handoff.js';
import { claudeConfigDir, codexHome, dateFolder, findClaudeTranscript, findCodexRollout } from '../../src/core/usage/transcript-locator.js';

const tmpDirs: string[] = [];
after(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'flower-usage-unit-')));
  tmpDirs.push(d);
  return d;
}

// ---- line builders: the shapes the real CLIs write ------------------------------------------

const SESSION = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
let uuidN = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++uuidN).padStart(12, '0')}`;

function userLine(content: unknown = 'hello', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ parentUuid: null, isSidechain: false, userType: 'external', cwd: '/w', sessionId: SESSION, version: '2.1.197', gitBranch: 'main', type: 'user', message: { role: 'user', content }, uuid: uuid(), timestamp: '2026-01-01T00:00:00.000Z', ...extra });
}

interface U {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}
const U41: U = { input_tokens: 100, cache_creation_input_tokens: 1000, cache_read_input_tokens: 40000, output_tokens: 50 };

function assistantLine(opts: { id?: string; usage?: U; stop?: string | null; content?: unknown[]; model?: string; extra?: Record<string, unknown>; ts?: string }): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/w',
    sessionId: SESSION,
    version: '2.1.197',
    type: 'assistant',
    uuid: uuid(),
    timestamp: opts.ts ?? '2026-01-01T00:00:01.000Z',
    requestId: 'req_1',
    message: {
      model: opts.model ?? 'claude-opus-4-8',
      id: opts.id ?? 'msg_1',
      type: 'message',
      role: 'assistant',
      content: opts.content ?? [{ type: 'text', text: 'ok' }],
      stop_reason: opts.stop === undefined ? 'end_turn' : opts.stop,
      stop_sequence: null,
      usage: opts.usage ?? U41,
    },
    ...(opts.extra ?? {}),
  });
}

function feedAll(r: { feed(l: string): boolean }, lines: string[]): boolean[] {
  return lines.map((l) => r.feed(l));
}

// ---- Claude Code transcripts ------------------------------------------------------------------

describe('ClaudeTranscriptReader', () => {
  test('one response over several lines sharing message.id: input side counts, output does not', () => {
    const r = new ClaudeTranscriptReader();
    feedAll(r, [
      userLine(),
      assistantLine({ id: 'msg_A', usage: { ...U41, output_tokens: 1 }, stop: null, content: [{ type: 'thinking', thinking: 'hmm' }] }),
      assistantLine({ id: 'msg_A', usage: { ...U41, output_tokens: 25 }, stop: null }),
      assistantLine({ id: 'msg_A', usage: U41, stop: 'end_turn' }),
    ]);
    const u = r.usage();
    assert.equal(u.tokens, 41_100, 'context = input + cache creation + cache read (41 100), never + output');
    assert.equal(u.compacted, false, 'not compacted');
    assert.equal(u.model, 'claude-opus-4-8', 'model remembered');
    assert.equal(u.turn, 'waiting', 'end_turn on the last line: waiting for the operator');
  });

  test('the latest main-chain response wins: context grows and shrinks with it', () => {
    const r = new ClaudeTranscriptReader();
    r.feed(assistantLine({ id: 'msg_1', usage: U41 }));
    r.feed(assistantLine({ id: 'msg_2', usage: { ...U41, cache_read_input_tokens: 150_000 } }));
    assert.equal(r.usage().tokens, 151_100, 'second response counted');
    r.feed(assistantLine({ id: 'msg_3', usage: { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 9_000, output_tokens: 5 } }));
    assert.equal(r.usage().tokens, 9_005, 'a smaller context is reported as is');
  });

  test('sidechain lines (inline subagents) are excluded, however big', () => {
    const r = new ClaudeTranscriptReader();
    r.feed(assistantLine({ id: 'msg_1', usage: U41 }));
    const changed = r.feed(assistantLine({ id: 'msg_side', usage: { input_tokens: 1, cache_creation_input_tokens: 300_000, cache_read_input_tokens: 600_000, output_tokens: 9 }, extra: { isSidechain: true }, model: 'claude-haiku-4-5' }));
    assert.equal(changed, false, 'a sidechain line changes nothing');
    assert.equal(r.usage().tokens, 41_100, 'still the main chain figure');
    assert.equal(r.usage().model, 'claude-opus-4-8', 'the sidechain model is not taken');
  });

  test('synthetic and API-error lines are excluded (model "<synthetic>", or isApiErrorMessage alone)', () => {
    const r = new ClaudeTranscriptReader();
    r.feed(assistantLine({ id: 'msg_1', usage: U41 }));
    const zero = { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
    assert.equal(r.feed(assistantLine({ id: 'x1', usage: zero, model: '<synthetic>', stop: 'stop_sequence' })), false, 'synthetic line ignored');
    assert.equal(r.feed(assistantLine({ id: 'x2', usage: zero, extra: { isApiErrorMessage: true } })), false, 'API error line ignored even with a real model');
    assert.equal(r.usage().tokens, 41_100, 'the real figure stays');
  });

  test('bookkeeping lines, attachments, torn and foreign lines change nothing', () => {
    const r = new ClaudeTranscriptReader();
    r.feed(assistantLine({ id: 'msg_1' }));
    const before = JSON.stringify(r.usage());
    const noise = [
      JSON.stringify({ type: 'queue-operation', operation: 'enqueue', sessionId: SESSION, timestamp: 't' }),
      JSON.stringify({ type: 'file-history-snapshot', messageId: 'm', snapshot: {}, isSnapshotUpdate: false }),
      JSON.stringify({ type: 'summary', summary: 's', leafUuid: 'u' }),
      JSON.stringify({ type: 'ai-title', title: 't' }),
      JSON.stringify({ type: 'permission-mode', permissionMode: 'default' }),
      JSON.stringify({ type: 'system', subtype: 'informational', content: 'x', uuid: uuid() }),
      '{"type":"assistant","message":{"usage":{"input_tok',
      'not json at all',
      '42',
      'null',
      '[]',
    ];
    for (const l of noise) assert.equal(r.feed(l), false, `no change from ${l.slice(0, 40)}`);
    assert.equal(JSON.stringify(r.usage()), before, 'state unchanged');
  });

  test('compaction: postTokens (or "compacted" with no figure) until the next response', () => {
    const r = new ClaudeTranscriptReader();
    r.feed(userLine());
    r.feed(assistantLine({ id: 'msg_1', usage: { ...U41, cache_read_input_tokens: 170_000 } }));
    assert.equal(r.usage().tokens, 171_100, 'before compaction');
    r.feed(JSON.stringify({ parentUuid: null, isSidechain: false, type: 'system', subtype: 'compact_boundary', content: 'Conversation compacted', compactMetadata: { trigger: 'manual', preTokens: 171_150, postTokens: 12_000 }, uuid: uuid(), timestamp: '2026-01-01T00:01:00.000Z' }));
    assert.equal(r.usage().tokens, 12_000, 'postTokens shown');
    assert.equal(r.usage().compacted, true, 'compacted');
    r.feed(userLine('This session is being continued from a previous conversation…', { isCompactSummary: true, isVisibleInTranscriptOnly: true }));
    assert.equal(r.usage().compacted, true, 'the summary line keeps the compacted mark');
    assert.equal(r.usage().tokens, 12_000, 'the summary line does not change the figure');
    assert.equal(r.usage().turn, 'waiting', 'the summary line is not a prompt: the turn stays as it was');
    r.feed(userLine('next'));
    r.feed(assistantLine({ id: 'msg_2', usage: { ...U41, cache_read_input_tokens: 15_000 } }));
    assert.equal(r.usage().compacted, false, 'a new response clears the mark');
    assert.equal(r.usage().tokens, 16_100, 'fresh figure');

    const r2 = new ClaudeTranscriptReader();
    r2.feed(assistantLine({ id: 'msg_1' }));
    r2.feed(JSON.stringify({ type: 'system', subtype: 'compact_boundary', compactMetadata: { trigger: 'auto', preTokens: 41_150 }, uuid: uuid() }));
    assert.equal(r2.usage().tokens, null, 'no postTokens: unknown, not the stale figure');
    assert.equal(r2.usage().compacted, true, 'still marked compacted');
  });

  test('turn state: prompt → working; tool use → working; tool result → working; end_turn → waiting', () => {
    const r = new ClaudeTranscriptReader();
    assert.equal(r.usage().turn, 'unknown', 'nothing read yet');
    r.feed(userLine('do it'));
    assert.equal(r.usage().turn, 'working', 'prompt sent');
    r.feed(assistantLine({ id: 'msg_1', stop: 'tool_use', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] }));
    assert.equal(r.usage().turn, 'working', 'a tool call in flight');
    r.feed(userLine([{ type: 'tool_result', tool_use_id: 't1', content: 'done' }]));
    assert.equal(r.usage().turn, 'working', 'tool result went back to the model');
    r.feed(assistantLine({ id: 'msg_2', stop: null }));
    assert.equal(r.usage().turn, 'working', 'a streamed line without stop reason: still working');
    r.feed(assistantLine({ id: 'msg_2', stop: 'end_turn' }));
    assert.equal(r.usage().turn, 'waiting', 'final answer');
    r.feed(userLine('meta', { isMeta: true }));
    assert.equal(r.usage().turn, 'waiting', 'isMeta user lines are not prompts');
    r.feed(assistantLine({ id: 'msg_3', stop: 'end_turn', content: [{ type: 'text', text: 'x' }, { type: 'tool_use', id: 't2', name: 'Read', input: {} }] }));
    assert.equal(r.usage().turn, 'working', 'a tool_use block means more to come even with end_turn');
  });

  test('feed reports changes only: a repeated identical line is not a change', () => {
    const r = new ClaudeTranscriptReader();
    const l = assistantLine({ id: 'msg_1', ts: '2026-01-01T00:00:05.000Z' });
    assert.equal(r.feed(l), true, 'first sight changes');
    assert.equal(r.feed(l), false, 'same line again changes nothing');
    assert.equal(r.usage().lastTimestamp, '2026-01-01T00:00:05.000Z', 'timestamp kept');
  });

  test("the fake Claude Code fixture's transcript reads as the reference says (41 100, not the noise)", () => {
    const dir = tempDir();
    const cwd = path.join(dir, 'proj');
    mkdirSync(cwd);
    const sessionFile = path.join(dir, 'hook.json');
    const settings = JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'cat > "$FLOWER_SESSION_FILE"' }] }] } });
    const env: NodeJS.ProcessEnv = { ...process.env, CLAUDE_CONFIG_DIR: path.join(dir, 'cfg'), FLOWER_SESSION_FILE: sessionFile };
    delete env.NODE_OPTIONS;
    const fixture = fileURLToPath(new URL('../fixtures/fake-claude.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [fixture, '--session-id', SESSION, '--settings', settings], { cwd, env, input: 'hello\nagain\n', encoding: 'utf8', timeout: 30_000 });
    assert.match(r.stdout, /assistant: ok \(ctx 41100\)/, `fixture answered: ${r.stdout} ${r.stderr}`);
    const hook = JSON.parse(readFileSync(sessionFile, 'utf8')) as { session_id: string; transcript_path: string; source: string };
    assert.equal(hook.session_id, SESSION, 'hook got the session id');
    assert.equal(hook.source, 'startup', 'hook source startup');
    assert.equal(findClaudeTranscript(path.join(dir, 'cfg'), SESSION), hook.transcript_path, 'the hook names the file the glob finds');
    const reader = new ClaudeTranscriptReader();
    const lines = readFileSync(hook.transcript_path, 'utf8').split('\n').filter(Boolean);
    for (const l of lines) reader.feed(l);
    assert.equal(reader.usage().tokens, 41_100, 'main-chain context only');
    assert.equal(reader.usage().turn, 'waiting', 'answered');
    const ids = lines.map((l) => JSON.parse(l) as { type?: string; isSidechain?: boolean; message?: { id?: string; model?: string } }).filter((l) => l.type === 'assistant' && !l.isSidechain && l.message?.model !== '<synthetic>').map((l) => l.message!.id);
    assert.equal(ids.length, 6, 'two answers, three lines each');
    assert.equal(new Set(ids).size, 2, 'each answer shares one message.id');
    assert.ok(lines.some((l) => l.includes('"isSidechain":true')), 'the noise is there: sidechain');
    assert.ok(lines.some((l) => l.includes('<synthetic>')), 'the noise is there: synthetic');
  });
});

// ---- Codex rollouts ---------------------------------------------------------------------------

const CODEX_ID = '11111111-2222-4333-8444-555555555555';
function metaLine(cwd: string, source: unknown = 'cli', id = CODEX_ID): string {
  return JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', type: 'session_meta', payload: { id, timestamp: '2026-01-01T00:00:00.000Z', cwd, originator: 'codex_cli_rs', cli_version: '0.58.0', source, model_provider: 'openai' } });
}
function usageOf(total: number) {
  return { input_tokens: total - 100, cached_input_tokens: Math.floor(total / 2), output_tokens: 100, reasoning_output_tokens: 50, total_tokens: total };
}
function tokenCountLine(last: number | null, window = 258_400, cumulative = 900_000): string {
  return JSON.stringify({ timestamp: '2026-01-01T00:00:01.000Z', type: 'event_msg', payload: { type: 'token_count', info: last === null ? null : { total_token_usage: usageOf(cumulative), last_token_usage: usageOf(last), model_context_window: window }, rate_limits: null } });
}
const event = (type: string) => JSON.stringify({ timestamp: 't', type: 'event_msg', payload: { type } });

describe('CodexRolloutReader', () => {
  test('session_meta: id, cwd, interactive source', () => {
    const r = new CodexRolloutReader();
    r.feed(metaLine('/work/wt'));
    const u = r.usage();
    assert.equal(u.sessionId, CODEX_ID, 'id');
    assert.equal(u.cwd, '/work/wt', 'cwd');
    assert.equal(u.source, 'cli', 'source');
    assert.equal(u.tokens, null, 'no usage yet');
    const h = new CodexRolloutReader();
    h.feed(metaLine('/work/wt', { subagent: 'review' }));
    assert.equal(h.usage().source, 'subagent', 'a helper session is named for what it is');
  });

  test('info null is skipped; last_token_usage is the context, never the cumulative total; the window is reported', () => {
    const r = new CodexRolloutReader();
    r.feed(metaLine('/w'));
    assert.equal(r.feed(tokenCountLine(null)), false, 'info null: nothing to read');
    assert.equal(r.usage().tokens, null, 'still unknown');
    r.feed(tokenCountLine(41_100, 258_400, 1_234_567));
    assert.equal(r.usage().tokens, 41_100, 'last_token_usage.total_tokens');
    assert.equal(r.usage().window, 258_400, 'model_context_window');
    assert.equal(r.feed(tokenCountLine(41_100, 258_400, 1_234_567)), false, 'an identical repeated event changes nothing');
    r.feed(tokenCountLine(null));
    assert.equal(r.usage().tokens, 41_100, 'a later info null keeps the figure');
    r.feed(tokenCountLine(60_000, 258_400, 2_000_000));
    assert.equal(r.usage().tokens, 60_000, 'follows the latest');
  });

  test('compaction marks compacted until the fresh token_count; turn from task events', () => {
    const r = new CodexRolloutReader();
    r.feed(metaLine('/w'));
    r.feed(event('task_started'));
    assert.equal(r.usage().turn, 'working', 'task started');
    r.feed(tokenCountLine(200_000));
    r.feed(event('agent_message'));
    assert.equal(r.usage().turn, 'working', 'an agent message is not the end of the task');
    r.feed(event('task_complete'));
    assert.equal(r.usage().turn, 'waiting', 'task complete');
    r.feed(JSON.stringify({ timestamp: 't', type: 'compacted', payload: { message: 's' } }));
    assert.equal(r.usage().compacted, true, 'compacted');
    r.feed(event('context_compacted'));
    r.feed(tokenCountLine(20_000));
    assert.equal(r.usage().compacted, false, 'fresh figure clears the mark');
    assert.equal(r.usage().tokens, 20_000, 'post-compaction context');
  });

  test('torn and foreign lines are skipped', () => {
    const r = new CodexRolloutReader();
    r.feed(tokenCountLine(1000));
    for (const l of ['{"type":"event_msg","payload":{"type":"token_co', 'garbage', '{}', '{"type":"response_item"}', 'null']) assert.equal(r.feed(l), false, `ignored: ${l}`);
    assert.equal(r.usage().tokens, 1000, 'unchanged');
  });

  test('isOurRollout: same cwd and interactive only', () => {
    assert.equal(isOurRollout(metaLine('/a/b'), '/a/b'), true, 'ours');
    assert.equal(isOurRollout(metaLine('/a/b', { subagent: 'review' }), '/a/b'), false, 'helper session skipped');
    assert.equal(isOurRollout(metaLine('/a/b', 'exec'), '/a/b'), false, 'a non-interactive source skipped');
    assert.equal(isOurRollout(metaLine('/a/c'), '/a/b'), false, 'another cwd');
    assert.equal(isOurRollout(metaLine('/a/b', undefined), '/a/b'), true, 'an older rollout without source is accepted');
    assert.equal(isOurRollout('{"type":"session_meta","payload":{"cwd":"/a/', '/a/b'), false, 'torn first line');
    assert.equal(isOurRollout(tokenCountLine(5), '/a/b'), false, 'not a session_meta line');
  });
});

// ---- screen patterns --------------------------------------------------------------------------

describe('screen usage', () => {
  test('parseTokenCount', () => {
    const cases: [string, number | null][] = [
      ['18k', 18_000],
      ['2.1k', 2_100],
      ['110K', 110_000],
      ['1.2M', 1_200_000],
      ['1m', 1_000_000],
      ['41,100', 41_100],
      ['612', 612],
      [' 18k ', 18_000],
      ['', null],
      ['abc', null],
      ['1.2.3', null],
      ['12 tokens', null],
    ];
    for (const [s, want] of cases) assert.equal(parseTokenCount(s), want, `parseTokenCount(${JSON.stringify(s)})`);
  });

  test('the lowest match on screen wins; out-of-range percentages are ignored; no match is null', () => {
    const re = /\((\d+)% context left\)/;
    const rows = ['old status (90% context left)', 'work…', 'new status (37% context left)', ''];
    assert.deepEqual(readScreenUsage(rows, re, 'percentLeft'), { tokens: null, percentLeft: 37 }, 'newest (lowest) wins');
    assert.deepEqual(readScreenUsage(['x (150% context left)', 'y (20% context left)', 'z (150% context left)'], re, 'percentLeft'), { tokens: null, percentLeft: 20 }, '150% is not a percentage left');
    assert.equal(readScreenUsage(['nothing here'], re, 'percentLeft'), null, 'no match');
    assert.equal(readScreenUsage([], re, 'percentLeft'), null, 'empty screen');
  });

  test('tokens kind: aider and Codex status lines', () => {
    const aider = /Tokens: ([\d.,]+[kKmM]?) sent/;
    assert.deepEqual(readScreenUsage(['Tokens: 18k sent, 2.1k cache write, 14k cache hit, 612 received.'], aider, 'tokens'), { tokens: 18_000, percentLeft: null }, 'aider "sent"');
    const codex = /\((\d+[kKmM]?) used \//;
    assert.deepEqual(readScreenUsage(['  62% left (110K used / 258K)'], codex, 'tokens'), { tokens: 110_000, percentLeft: null }, 'Codex used');
    assert.deepEqual(readScreenUsage(['  62% left (110K used / 258K)'], /(\d+)% left/, 'percentLeft'), { tokens: null, percentLeft: 62 }, 'Codex percent left');
    assert.equal(readScreenUsage(['Tokens: lots sent'], /Tokens: (\S+) sent/, 'tokens'), null, 'an unparsable number is no reading');
  });
});

// ---- levels, windows, formatting ------------------------------------------------------------

describe('usage level', () => {
  test('thresholds: fractions of the window or absolute tokens', () => {
    assert.equal(thresholdTokens(0.8, 200_000), 160_000, 'fraction of the window');
    assert.equal(thresholdTokens(1, 200_000), 200_000, '1 is the whole window');
    assert.equal(thresholdTokens(150_000, 200_000), 150_000, 'absolute');
    assert.equal(thresholdTokens(150_000, null), 150_000, 'absolute needs no window');
    assert.equal(thresholdTokens(0.8, null), null, 'a fraction of an unknown window is unknown');
    assert.equal(thresholdTokens(undefined, 200_000), null, 'none configured');
  });

  test('effectiveWindow: configured, reported, Claude default, >200k ⇒ 1M, else unknown', () => {
    assert.equal(effectiveWindow(41_100, 200_000, null, true), 200_000, 'configured');
    assert.equal(effectiveWindow(250_000, 200_000, null, true), 1_000_000, 'observed over a configured Claude 200k: 1M');
    assert.equal(effectiveWindow(250_000, 200_000, null, false), 200_000, 'not Claude: the configured window stands');
    assert.equal(effectiveWindow(41_100, undefined, 258_400, false), 258_400, 'reported by the agent (Codex)');
    assert.equal(effectiveWindow(41_100, 400_000, 258_400, false), 400_000, 'configuration beats the report');
    assert.equal(effectiveWindow(41_100, undefined, null, true), 200_000, 'Claude default');
    assert.equal(effectiveWindow(200_000, undefined, null, true), 200_000, 'exactly 200k still fits');
    assert.equal(effectiveWindow(200_001, undefined, null, true), 1_000_000, 'over 200k on a default window: 1M');
    assert.equal(effectiveWindow(null, undefined, null, true), 200_000, 'Claude default before any reading');
    assert.equal(effectiveWindow(41_100, undefined, null, false), null, 'nobody says: unknown');
  });

  test('usageLevel: ok / warn / rot by fraction and by tokens; unknown window gives no percent', () => {
    const p = { warnAt: 0.5, refreshAt: 0.8 };
    assert.deepEqual(usageLevel(41_100, 200_000, p), { tokens: 41_100, window: 200_000, percent: 20.6, level: 'ok' }, 'ok');
    assert.equal(usageLevel(100_000, 200_000, p).level, 'warn', 'warn at exactly 50%');
    assert.equal(usageLevel(159_999, 200_000, p).level, 'warn', 'just under refreshAt');
    assert.equal(usageLevel(160_000, 200_000, p).level, 'rot', 'rot at exactly 80%');
    assert.equal(usageLevel(150_000, null, { warnAt: 100_000, refreshAt: 140_000 }).level, 'rot', 'absolute thresholds work without a window');
    assert.equal(usageLevel(120_000, 1_000_000, { warnAt: 100_000, refreshAt: 0.8 }).level, 'warn', 'mixed: absolute warn, fractional rot');
    const unknownWindow = usageLevel(41_100, null, p);
    assert.equal(unknownWindow.percent, null, 'no window: no percentage, never a guess');
    assert.equal(usageLevel(null, 200_000, p).level, 'unknown', 'no reading: unknown');
    assert.equal(usageLevel(41_100, 200_000, {}).level, 'ok', 'no thresholds: ok');
  });

  test('formatUsage: what a header has room for', () => {
    const f = (tokens: number | null, window: number | null) => formatUsage(usageLevel(tokens, window, {}));
    assert.equal(f(41_100, 200_000), 'ctx 41.1k/200k 21%', 'the reference example');
    assert.equal(f(412_000, 1_000_000), 'ctx 412k/1M 41%', '1M window');
    assert.equal(f(12_000, null), 'ctx 12k/? ?', 'unknown window: "?" percent');
    assert.equal(f(null, 200_000), 'ctx ?', 'no reading');
    assert.equal(f(500, 200_000), 'ctx 500/200k 0%', 'small counts as is');
    assert.equal(f(160_000, 200_000), 'ctx 160k/200k 80%', 'round');
    assert.equal(compact(1_500), '1.5k', '1.5k');
    assert.equal(compact(2_500_000), '2.5M', '2.5M');
    assert.equal(compact(1_048_576), '1M', 'Gemini window');
    assert.equal(compact(258_400), '258k', '258k');
  });
});

// ---- refresh policy ---------------------------------------------------------------------------

describe('decideRefresh', () => {
  const auto: RefreshPolicy = { mode: 'auto', action: 'respawn', cooldownMs: 600_000, maxPerHour: 3 };
  const now = 10_000_000;
  const base = { level: 'rot' as const, activity: 'waiting' as const, policy: auto, history: [] as number[], now, manual: false };

  test('auto: only when rotten, idle or waiting', () => {
    assert.deepEqual(decideRefresh(base), { go: true }, 'rot + waiting');
    assert.deepEqual(decideRefresh({ ...base, activity: 'idle' }), { go: true }, 'rot + idle');
    assert.deepEqual(decideRefresh({ ...base, activity: 'unknown' }), { go: true }, 'rot + unknown activity');
    assert.deepEqual(decideRefresh({ ...base, level: 'warn' }), { go: false, reason: 'not-rotten' }, 'warn is not enough');
    assert.deepEqual(decideRefresh({ ...base, level: 'ok' }), { go: false, reason: 'not-rotten' }, 'ok');
    assert.deepEqual(decideRefresh({ ...base, level: 'unknown' }), { go: false, reason: 'not-rotten' }, 'unknown usage never refreshes by policy');
    assert.deepEqual(decideRefresh({ ...base, policy: { ...auto, mode: 'manual' } }), { go: false, reason: 'manual' }, 'manual mode: policy never fires');
  });

  test('never while working, never when exited', () => {
    assert.deepEqual(decideRefresh({ ...base, activity: 'working' }), { go: false, reason: 'busy' }, 'mid-turn');
    assert.deepEqual(decideRefresh({ ...base, activity: 'exited' }), { go: false, reason: 'not-running' }, 'exited');
  });

  test('cool-down and cap per hour', () => {
    assert.deepEqual(decideRefresh({ ...base, history: [now - 60_000] }), { go: false, reason: 'cooldown' }, 'one minute ago');
    assert.deepEqual(decideRefresh({ ...base, history: [now - 600_000] }), { go: true }, 'exactly the cool-down ago');
    const p = { ...auto, cooldownMs: 0 };
    assert.deepEqual(decideRefresh({ ...base, policy: p, history: [now - 3_000_000, now - 2_000_000, now - 1_000_000] }), { go: false, reason: 'cap' }, 'three in the last hour');
    assert.deepEqual(decideRefresh({ ...base, policy: p, history: [now - 3_700_000, now - 2_000_000, now - 1_000_000] }), { go: true }, 'one of them over an hour ago');
    assert.deepEqual(decideRefresh({ ...base, policy: { ...p, maxPerHour: 1 }, history: [now - 1000] }), { go: false, reason: 'cap' }, 'cap of one');
  });

  test('manual bypasses thresholds, mode, cool-down and cap, but not the busy gate', () => {
    const m = { ...base, manual: true, policy: { ...auto, mode: 'manual' as const } };
    assert.deepEqual(decideRefresh({ ...m, level: 'ok' }), { go: true }, 'below thresholds');
    assert.deepEqual(decideRefresh({ ...m, level: 'unknown' }), { go: true }, 'unknown usage');
    assert.deepEqual(decideRefresh({ ...m, history: [now - 1000, now - 2000, now - 3000] }), { go: true }, 'cool-down and cap');
    assert.deepEqual(decideRefresh({ ...m, activity: 'working' }), { go: false, reason: 'busy' }, 'busy gate holds');
    assert.deepEqual(decideRefresh({ ...m, activity: 'exited' }), { go: false, reason: 'not-running' }, 'not running');
  });
});

// ---- activity ---------------------------------------------------------------------------------

describe('activityOf', () => {
  const now = 1_000_000_000;
  const quiet = now - OUTPUT_QUIET_MS - 1;
  const printing = now - 100;
  const longAgo = now - IDLE_AFTER_MS - 1;
  const a = (o: Partial<Parameters<typeof activityOf>[0]>) => activityOf({ live: true, now, lastOutputAt: quiet, turn: 'unknown', promptVisible: null, ...o });

  test('transcript turn state first', () => {
    assert.equal(a({ live: false, turn: 'working' }), 'exited', 'not live');
    assert.equal(a({ turn: 'working' }), 'working', 'mid-turn, quiet (a long tool call)');
    assert.equal(a({ turn: 'working', lastOutputAt: longAgo }), 'working', 'mid-turn for ages is still working');
    assert.equal(a({ turn: 'waiting' }), 'waiting', 'answered and quiet');
    assert.equal(a({ turn: 'waiting', lastOutputAt: printing }), 'working', 'answered but still printing');
    assert.equal(a({ turn: 'waiting', lastOutputAt: longAgo }), 'idle', 'waiting for a long time');
  });

  test('then the prompt pattern, then output timing', () => {
    assert.equal(a({ promptVisible: true }), 'waiting', 'prompt shown, quiet');
    assert.equal(a({ promptVisible: true, lastOutputAt: printing }), 'working', 'prompt shown but printing');
    assert.equal(a({ promptVisible: true, lastOutputAt: longAgo }), 'idle', 'prompt for ages');
    assert.equal(a({ promptVisible: false }), 'unknown', 'no prompt, quiet: honestly unknown');
    assert.equal(a({ promptVisible: false, lastOutputAt: longAgo }), 'unknown', 'no prompt, quiet for ages: still unknown');
    assert.equal(a({ lastOutputAt: printing }), 'working', 'no evidence but printing');
    assert.equal(a({}), 'unknown', 'no evidence, quiet');
    assert.equal(a({ lastOutputAt: longAgo }), 'idle', 'no evidence, silent for ages');
  });
});

// ---- hand-off -----------------------------------------------------------------------------------

describe('renderHandoff', () => {
  const base = {
    agent: 'feat/claude',
    branch: 'feat',
    brief: '# Brief\n\nMake the widget blue.\n',
    briefFile: 'BRIEF.md',
    log: 'abc1234 Paint the widget\n',
    status: ' M app.txt\n?? notes.md\n',
    screen: ['> make it blue', 'assistant: ok (ctx 41100)', '> ', '   '],
    usage: 'ctx 170k/200k 85%',
    when: '2026-01-01T00:00:00.000Z',
  };

  test('everything the fresh session needs, in order', () => {
    const t = renderHandoff(base);
    assert.match(t, /^# Hand-off for feat\/claude/, 'title');
    assert.ok(t.includes('ctx 170k/200k 85%'), 'why: the usage');
    assert.ok(t.includes('2026-01-01T00:00:00.000Z'), 'when');
    assert.ok(t.includes("## The lane's brief (BRIEF.md)") && t.includes('Make the widget blue.'), 'brief');
    assert.ok(t.includes('## Branch\n\nfeat'), 'branch');
    assert.ok(t.includes('abc1234 Paint the widget'), 'commits not in MAIN');
    assert.ok(t.includes('app.txt') && t.includes('?? notes.md'), 'uncommitted changes');
    assert.ok(t.includes('assistant: ok (ctx 41100)'), 'last screen');
    assert.ok(!/> \s+\n```\n*$/.test(t), 'trailing blank screen rows trimmed');
    const order = ['brief', 'Branch', 'Commits on this branch', 'Uncommitted changes', 'last screen'].map((s) => t.indexOf(s));
    assert.deepEqual([...order].sort((x, y) => x - y), order, `sections in order: ${order}`);
  });

  test('git status --short keeps its two status columns (" M" is unstaged, "M " is staged)', () => {
    const t = renderHandoff(base);
    assert.ok(t.includes('```\n M app.txt\n?? notes.md\n```'), `status verbatim:\n${t}`);
  });

  test('missing pieces are said, not left blank', () => {
    const t = renderHandoff({ ...base, brief: null, branch: null, log: '', status: '  \n', screen: [] });
    assert.ok(t.includes('(no BRIEF.md in this worktree)'), 'no brief');
    assert.ok(t.includes('(detached HEAD)'), 'no branch');
    assert.ok(t.includes('```\n(none)\n```'), 'no commits');
    assert.ok(t.includes('```\n(clean)\n```'), 'clean tree');
  });

  test('handoffPath is .flower/handoff-<name>.md in the worktree', () => {
    assert.equal(handoffPath('/w/repo-feat', 'claude'), '/w/repo-feat/.flower/handoff-claude.md', 'path');
  });
});

// ---- locating transcripts -------------------------------------------------------------------------

describe('transcript locators', () => {
  test('config dirs come from the agent env', () => {
    assert.equal(claudeConfigDir({ CLAUDE_CONFIG_DIR: '/c', HOME: '/h' }), '/c', 'CLAUDE_CONFIG_DIR');
    assert.equal(claudeConfigDir({ HOME: '/h' }), '/h/.claude', 'HOME/.claude');
    assert.equal(claudeConfigDir({ CLAUDE_CONFIG_DIR: '', HOME: '/h' }), '/h/.claude', 'empty means unset');
    assert.equal(codexHome({ CODEX_HOME: '/x', HOME: '/h' }), '/x', 'CODEX_HOME');
    assert.equal(codexHome({ HOME: '/h' }), '/h/.codex', 'HOME/.codex');
  });

  test('findClaudeTranscript globs projects/*/<id>.jsonl (never computes the slug)', () => {
    const cfg = path.join(tempDir(), 'cfg');
    assert.equal(findClaudeTranscript(cfg, SESSION), null, 'no projects dir');
    mkdirSync(path.join(cfg, 'projects', '-tmp-other'), { recursive: true });
    writeFileSync(path.join(cfg, 'projects', '-tmp-other', 'aaaaaaaa-0000-4000-8000-000000000000.jsonl'), '');
    // A long cwd's slug is truncated and hashed in a version-dependent way: whatever the dir is called.
    const slug = `-${'x'.repeat(200)}-3f9ab2`;
    const sub = path.join(cfg, 'projects', slug, SESSION, 'subagents');
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, 'agent-x.jsonl'), '');
    assert.equal(findClaudeTranscript(cfg, SESSION), null, 'the subagent dir named like the session is not the transcript');
    const f = path.join(cfg, 'projects', slug, `${SESSION}.jsonl`);
    writeFileSync(f, '');
    assert.equal(findClaudeTranscript(cfg, SESSION), f, 'found under an arbitrary slug');
  });

  test('dateFolder is local time', () => {
    const d = new Date(2026, 0, 2, 0, 30); // 00:30 local on 2 January
    assert.equal(dateFolder(d), '2026/01/02', 'local date, zero-padded');
  });

  function codexSetup() {
    const dir = tempDir();
    const home = path.join(dir, 'codex');
    const cwd = path.join(dir, 'wt');
    mkdirSync(cwd);
    const write = (day: Date, name: string, first: string, mtime?: number): string => {
      const folder = path.join(home, 'sessions', dateFolder(day));
      mkdirSync(folder, { recursive: true });
      const f = path.join(folder, name);
      writeFileSync(f, `${first}\n${tokenCountLine(41_100)}\n`);
      if (mtime !== undefined) utimesSync(f, mtime / 1000, mtime / 1000);
      return f;
    };
    return { dir, home, cwd, write };
  }
  const rollout = (id: string) => `rollout-2026-01-01T10-00-00-${id}.jsonl`;

  test('findCodexRollout: ours in today’s folder; others’ cwd, helpers, claimed and old files skipped', () => {
    const { home, cwd, write } = codexSetup();
    const now = new Date();
    const since = Date.now() - 10_000;
    assert.equal(findCodexRollout(home, cwd, since, new Set()), null, 'no sessions dir');
    write(now, rollout('a0000000-0000-4000-8000-000000000001'), metaLine('/elsewhere'));
    write(now, rollout('a0000000-0000-4000-8000-000000000002'), metaLine(cwd, { subagent: 'review' }), Date.now() + 2000);
    write(now, rollout('a0000000-0000-4000-8000-000000000003'), metaLine(cwd), since - 60_000);
    write(now, 'not-a-rollout.jsonl', metaLine(cwd));
    assert.equal(findCodexRollout(home, cwd, since, new Set()), null, 'nothing of ours (other cwd, helper, before spawn, foreign name)');
    const ours = write(now, rollout('a0000000-0000-4000-8000-000000000004'), metaLine(cwd));
    assert.equal(findCodexRollout(home, cwd, since, new Set()), ours, 'ours found');
    assert.equal(findCodexRollout(home, cwd, since, new Set([ours])), null, 'claimed by another agent: skipped');
  });

  test('findCodexRollout: within 2 s of clock slack before the spawn still counts', () => {
    const { home, cwd, write } = codexSetup();
    const since = Date.now();
    const f = write(new Date(), rollout('b0000000-0000-4000-8000-000000000001'), metaLine(cwd), since - 1500);
    assert.equal(findCodexRollout(home, cwd, since, new Set()), f, '1.5 s before the spawn: ours');
    utimesSync(f, (since - 2500) / 1000, (since - 2500) / 1000);
    assert.equal(findCodexRollout(home, cwd, since, new Set()), null, '2.5 s before: an older session');
  });

  test("findCodexRollout: yesterday's folder (a session started before midnight), newest first", () => {
    const { home, cwd, write } = codexSetup();
    const now = new Date(2026, 0, 2, 0, 5); // five past midnight, local
    const yesterday = new Date(2026, 0, 1, 23, 58);
    const since = Date.now() - 10_000;
    const older = write(yesterday, rollout('c0000000-0000-4000-8000-000000000001'), metaLine(cwd), Date.now() - 5000);
    assert.equal(findCodexRollout(home, cwd, since, new Set(), now), older, "found in yesterday's folder");
    const newer = write(now, rollout('c0000000-0000-4000-8000-000000000002'), metaLine(cwd), Date.now() - 1000);
    assert.equal(findCodexRollout(home, cwd, since, new Set(), now), newer, 'the newest of ours first');
    const twoDaysAgo = new Date(2026, 0, 0, 12, 0);
    write(twoDaysAgo, rollout('c0000000-0000-4000-8000-000000000003'), metaLine(cwd), Date.now());
    assert.equal(findCodexRollout(home, cwd, since, new Set([newer, older]), now), null, 'two days back is not scanned for new sessions');
  });

  test('findCodexRollout: a symlinked worktree path matches the realpath in session_meta', () => {
    const { dir, home, cwd, write } = codexSetup();
    const link = path.join(dir, 'link');
    symlinkSync(cwd, link);
    const f = write(new Date(), rollout('d0000000-0000-4000-8000-000000000001'), metaLine(cwd));
    assert.equal(findCodexRollout(home, link, Date.now() - 10_000, new Set()), f, 'realpath compared');
  });

  test('findCodexRollout: a long session_meta line (big instructions) is still recognised', () => {
    const { home, cwd } = codexSetup();
    const folder = path.join(home, 'sessions', dateFolder(new Date()));
    mkdirSync(folder, { recursive: true });
    const meta = JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { id: CODEX_ID, cwd, originator: 'codex_cli_rs', source: 'cli', base_instructions: { text: 'x'.repeat(80 * 1024) } } });
    const f = path.join(folder, rollout(CODEX_ID));
    writeFileSync(f, `${meta}\n`);
    assert.equal(findCodexRollout(home, cwd, Date.now() - 10_000, new Set()), f, 'found despite the long first line');
  });
});

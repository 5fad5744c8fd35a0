/**
 * The real Claude Code CLI driven through flower-tui, offline: a mock Messages API on 127.0.0.1 reports
 * the usage numbers this test chooses; flower-tui must read them from the real transcript, show them
 * exactly in the pane header, and refresh the agent (hand-off + fresh session) at the threshold.
 * Skips when the CLI cannot be installed here.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { startMockAnthropic, type AnthropicUsage } from '../helpers/mock-anthropic.js';
import { realClaudeLane } from '../helpers/claude-home.js';
import { waitUntil } from '../helpers/wait-until.js';
import { parseConfig } from '../../src/config/config.js';
import { locateRepo } from '../../src/core/git/repo.js';
import { Supervisor } from '../../src/core/supervisor/supervisor.js';
import { StateStore } from '../../src/core/store/state-store.js';
import { readTrace, TraceWriter } from '../../src/core/store/trace.js';
import { ensurePrivateDir, stateDir } from '../../src/core/store/private-dir.js';
import { App } from '../../src/ui/components/App.js';
import { computeLayout } from '../../src/layout/layout.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import { initialUiState, lanesOf } from '../../src/ui/ui-state.js';

const cleanups = asyncCleanups();

/** The pane header as a person sees it (Ink render of the cockpit for this snapshot). */
function paneText(sup: Supervisor): string {
  const snapshot = sup.snapshot();
  const ui = { ...initialUiState(), focusLane: 'lane', focusAgent: 'lane/cc' };
  const layout = computeLayout({ cols: 100, rows: 30, lanes: lanesOf(snapshot), focusLane: 'lane', focusAgent: 'lane/cc' });
  const r = render(React.createElement(App, { snapshot, ui, layout, keymap: buildKeymap() }));
  const text = r.lastFrame() ?? '';
  r.unmount();
  return text;
}

const u = (input: number, cc: number, cr: number, out: number): AnthropicUsage => ({ input_tokens: input, cache_creation_input_tokens: cc, cache_read_input_tokens: cr, output_tokens: out });

describe('the real Claude Code through flower-tui', () => {
  test('context usage from its transcript, shown exactly; refresh fires at the threshold', { timeout: 240_000 }, async (t) => {
    const set = await realClaudeLane(t, cleanups);
    if (!set) return;
    const { bin, repo, home } = set;
    // Turn 1: 41 100 tokens (21 %); turn 2: 170 200 (85 %, past refreshAt 0.8); after that, small.
    const plan = [u(100, 1000, 40_000, 50), u(200, 2000, 168_000, 80)];
    const mock = await startMockAnthropic({ usage: (n) => plan[n - 1] ?? u(50, 500, 5000, 20), reply: (n) => `reply number ${n}` });
    cleanups.push(() => mock.close());
    const env = home.env({ baseUrl: mock.url, extra: mock.proxyEnv() });
    const cmd = agentCliCommand(bin);
    const config = parseConfig(
      {
        profiles: {
          cc: {
            command: cmd.file,
            args: cmd.args,
            session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] },
            usage: { source: 'claude', window: 200_000 },
            refresh: { warnAt: 0.5, refreshAt: 0.8, mode: 'auto', action: 'respawn', cooldownMs: 0, maxPerHour: 5 },
          },
        },
      },
      'test',
    );
    const loc = await locateRepo(repo.mainRoot);
    const dir = stateDir(loc.commonDir);
    ensurePrivateDir(dir);
    const sup = await Supervisor.open({ repo: loc, config, env, pollMs: 0, store: StateStore.open(dir).store, trace: new TraceWriter(dir) });
    cleanups.push(() => sup.shutdown());
    const first = sup.spawn('lane', 'cc', { cols: 120, rows: 40 });
    const firstSession = first.sessionId;
    assert.ok(firstSession, 'flower-tui chose the session id (--session-id)');

    await sup.dispatch({ type: 'send', agent: 'lane/cc', text: 'hello from flower', enter: true, timeoutMs: 60_000 });
    const info = await waitUntil(() => sup.snapshot().agents.find((a) => a.id === 'lane/cc' && a.usage.tokens === 41_100), {
      timeoutMs: 60_000,
      what: () => `usage 41100; agent: ${JSON.stringify(sup.snapshot().agents[0]?.usage)}; screen: ${sup.agent('lane/cc')?.screen.visibleText().join('\n')}`,
    });
    assert.equal(info.usage.window, 200_000);
    assert.equal(info.usage.level, 'ok');
    assert.ok(info.usage.file?.endsWith(`${firstSession}.jsonl`), `the transcript of our session: ${info.usage.file}`);
    assert.match(paneText(sup), /ctx 41\.1k\/200k 21%/, 'the pane header shows the exact numbers');

    // Turn 2 crosses refreshAt: the policy refreshes once the agent is waiting, with a hand-off.
    await sup.dispatch({ type: 'send', agent: 'lane/cc', text: 'a lot more context', enter: true, timeoutMs: 60_000 });
    await waitUntil(() => sup.snapshot().agents.find((a) => a.usage.tokens === 170_200 || a.refreshCount > 0), { timeoutMs: 60_000, what: 'usage 170200 or a refresh' });
    const dirTrace = () => readTrace(dir, { agent: 'lane/cc', action: 'refresh' });
    const done = await waitUntil(() => dirTrace().find((e) => e.outcome === 'ok' || e.outcome === 'error'), {
      timeoutMs: 150_000,
      what: () => `a finished refresh in the trace: ${JSON.stringify(dirTrace())}; activity ${sup.snapshot().agents[0]?.activity}; screen: ${sup.agent("lane/cc")?.screen.visibleText().join("\n")}`,
    });
    assert.equal(done.outcome, 'ok', `refresh outcome: ${JSON.stringify(done)}; screen: ${sup.agent('lane/cc')?.screen.visibleText().join('\n')}`);
    const started = dirTrace().find((e) => e.outcome === 'started')!;
    assert.equal(started.details?.trigger, 'policy');
    assert.equal(started.details?.tokens, 170_200, 'the trace records the numbers that triggered it');
    const after = sup.snapshot().agents.find((a) => a.id === 'lane/cc')!;
    assert.notEqual(after.sessionId, firstSession, 'a fresh session');
    assert.equal(after.refreshCount, 1);
    // The refresh is done once the hand-off prompt is typed and submitted; the model sees it a moment later.
    await waitUntil(() => mock.mainRequests().some((r) => JSON.stringify(r.body).includes('.flower/handoff-cc.md')), {
      timeoutMs: 60_000,
      what: () => `the new session told to read the hand-off; screen: ${sup.agent('lane/cc')?.screen.visibleText().join('\n')}`,
    });
    // The new session's own (small) usage replaces the rotten figure.
    await waitUntil(() => sup.snapshot().agents.find((a) => a.usage.tokens === 5550), { timeoutMs: 60_000, what: 'the new session usage' });
    assert.equal(mock.external.length, 0, `nothing tried to leave the machine: ${mock.external.join(', ')}`);
    assert.ok(path.isAbsolute(after.cwd));
  });
});

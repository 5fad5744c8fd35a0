/**
 * Run: npm run bench:state (about 4–5 minutes; not part of the test suite, which it would slow down).
 *
 * How accurate the state flower-tui shows is, over a scripted session of the real Claude Code
 * (offline, against the loopback mock, through the real server): 24 turns, every third one a Bash
 * tool call that needs permission, answered through `flower-tui send`. For each turn the expected
 * transitions (plain: working → idle; tool: working → needs-you → working → idle) are compared with
 * the ones the trace recorded: observed, missed, invented, and how long after the event each came.
 * The figures are printed (test diagnostics) and recorded in docs/agent-state.md.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../test/helpers/cli.js';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentCliCommand } from '../test/helpers/agent-cli-cache.js';
import { startMockAnthropic } from '../test/helpers/mock-anthropic.js';
import { realClaudeLane } from '../test/helpers/claude-home.js';
import { flowerDriver } from '../test/helpers/flower-driver.js';
import { stateAccuracy, type TurnRecord } from '../test/helpers/state-accuracy.js';

const cleanups = asyncCleanups();

const TURNS = 24;
const lastUser = (body: any) => [...(body?.messages ?? [])].reverse().find((m: any) => m?.role === 'user') ?? {};

describe('state accuracy with the real Claude Code', () => {
  test(`${TURNS} scripted turns: every transition observed, none invented, each soon after its event`, { timeout: 600_000 }, async (t) => {
    const set = await realClaudeLane(t, cleanups);
    if (!set) return;
    const { bin, repo, home } = set;
    const mock = await startMockAnthropic({
      // A prompt asking for a tool → one Bash call; its result → a plain reply that ends the turn.
      toolUse: (_n, body) => {
        const last = JSON.stringify(lastUser(body));
        const m = /TOOL turn (\d+)/.exec(last);
        return m && !last.includes('tool_result') ? { name: 'Bash', input: { command: `echo ${m[1]} > turn-${m[1]}.txt`, description: `Write turn ${m[1]}` } } : null;
      },
      reply: (n) => `Reply ${n}.`,
    });
    cleanups.push(() => mock.close());
    const env = { ...home.env({ baseUrl: mock.url, extra: mock.proxyEnv() }) } as Record<string, string>;
    delete env.CI;
    const cmd = agentCliCommand(bin);
    const config = path.join(repo.dir, 'flower.config.json');
    writeFileSync(config, JSON.stringify({ sandbox: { mode: 'off' }, profiles: { cc: { command: cmd.file, args: [...cmd.args, '--permission-mode', 'default'], usage: { source: 'claude', window: 200_000 } } } }));
    const cli = flowerDriver({ repo: repo.mainRoot, config, env });
    cleanups.push(() => cli.run(['server', 'stop']));
    const A = 'lane/cc';
    await cli.ok(['spawn', 'lane', 'cc']);
    await cli.waitFor(A, 'idle');

    const turns: TurnRecord[] = [];
    const started = Date.now();
    for (let k = 1; k <= TURNS; k++) {
      const tool = k % 3 === 0;
      const from = (await cli.states(A)).length;
      const sentAt = Date.now();
      await cli.ok(['send', A, tool ? `TOOL turn ${k}` : `plain turn ${k}`]);
      let answeredAt: number | null = null;
      if (tool) {
        await cli.waitFor(A, 'needs-you', 60);
        answeredAt = Date.now();
        await cli.ok(['send', A, '1', '--no-enter']);
      }
      await cli.waitFor(A, 'idle');
      const lines = (await cli.states(A)).slice(from);
      // When the text was typed: the trace's send entries (written once the keys are delivered).
      const sends = (await cli.ok(['log', '--json', '--action', 'send', '--agent', A])).trim().split('\n').map((l) => Date.parse((JSON.parse(l) as { ts: string }).ts)).filter((ts) => ts >= sentAt);
      const requests = mock.mainRequests().filter((r) => r.at >= sentAt);
      turns.push({ kind: tool ? 'tool' : 'plain', sentAt: sends[0] ?? sentAt, answeredAt: tool ? (sends[1] ?? answeredAt) : null, requests: requests.map((r) => ({ at: r.at, toolUse: Boolean(r.toolUse) })), observed: lines.map((l) => ({ state: l.details.state, source: l.details.source, at: Date.parse(l.ts) })) });
    }
    const r = stateAccuracy(turns);
    t.diagnostic(`${TURNS} turns (${turns.filter((x) => x.kind === 'tool').length} with a permission prompt) in ${Math.round((Date.now() - started) / 1000)} s`);
    t.diagnostic(`transitions: expected ${r.expected}, observed ${r.observed}, matched ${r.matched}, missed ${r.missed}, invented ${r.invented}, not from hooks ${r.notFromHooks}`);
    for (const [state, l] of Object.entries(r.latency)) t.diagnostic(`${state}: ${l.n} transitions, after its event median ${l.median} ms, max ${l.max} ms`);
    if (r.mismatches.length) t.diagnostic(`mismatched turns: ${r.mismatches.join('; ')}`);
    assert.equal(r.missed, 0, `missed transitions: ${r.mismatches.join('; ')}`);
    assert.equal(r.invented, 0, `invented transitions: ${r.mismatches.join('; ')}`);
    assert.equal(r.notFromHooks, 0);
    assert.equal(mock.external.length, 0, `nothing tried to leave the machine: ${mock.external.join(', ')}`);
  });
});

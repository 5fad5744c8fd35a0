/**
 * The real Claude Code CLI, offline against the loopback mock, takes a brief through flower-tui's MCP
 * server: the brief is dispatched to it (the packet arrives as its prompt), the mock answers with a
 * `tool_use` block naming `mcp__flower__claim_brief`, Claude Code runs that MCP tool (offered with
 * --mcp-config because `mcp.enabled`), and the brief becomes claimed by that agent; a second turn
 * calls `recall_brief`, whose result (the packet) goes back to the model. Everything through the
 * built CLI and a real server; skipped when the CLI cannot be installed here.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { startMockAnthropic } from '../helpers/mock-anthropic.js';
import { realClaudeLane } from '../helpers/claude-home.js';
import { flowerRun } from '../helpers/flower-run.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { BriefDetail } from '../../src/core/briefs/brief-ops.js';

const cleanups = asyncCleanups();

describe('the real Claude Code takes a brief through the flower MCP server', () => {
  test('claim_brief from a tool_use block claims it for that agent; recall_brief returns the packet', { timeout: 240_000 }, async (t) => {
    const set = await realClaudeLane(t, cleanups);
    if (!set) return;
    const { bin, repo, home } = set;
    // The newest user turn (Claude Code may add system-reminder messages after it).
    const lastUser = (body: any) => [...(body?.messages ?? [])].reverse().find((m: any) => m?.role === 'user') ?? {};
    const hasToolResult = (body: any) => JSON.stringify(lastUser(body)).includes('tool_result');
    const said = (body: any) => JSON.stringify(lastUser(body));
    const mock = await startMockAnthropic({
      // A prompt that is the dispatch packet → claim it; a prompt asking to recall → recall it.
      toolUse: (_n, body) => (hasToolResult(body) ? null : said(body).includes('# Brief #1') ? { name: 'mcp__flower__claim_brief', input: {} } : said(body).includes('recall it') ? { name: 'mcp__flower__recall_brief', input: {} } : null),
      reply: (_n, body) => (hasToolResult(body) ? 'done with the tool' : 'on it'),
    });
    cleanups.push(() => mock.close());
    const cmd = agentCliCommand(bin);
    const { run } = flowerRun(
      repo,
      {
        profiles: {
          cc: {
            command: cmd.file,
            args: [...cmd.args, '--allowedTools', 'mcp__flower__claim_brief,mcp__flower__recall_brief'],
            session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] },
            usage: { source: 'claude', window: 200_000 },
          },
        },
        mcp: { enabled: true },
      },
      home.env({ baseUrl: mock.url, extra: mock.proxyEnv() }),
      cleanups,
    );
    const show = () => JSON.parse(run(['brief', 'show', '1', '--json'])) as BriefDetail;

    run(['brief', 'add', 'Claim me through MCP', '--spec', 'A brief for the real Claude Code.', '--lane', 'lane']);
    run(['spawn', 'lane', 'cc']);
    // As an orchestrator would: wait until its hooks say it is idle at its prompt, then dispatch.
    run(['wait', 'lane/cc', '--for', 'idle', '--timeout', '60']);
    run(['brief', 'dispatch', '1', '--agent', 'lane/cc']);
    const claimed = await waitUntil(() => (show().brief.status === 'claimed' ? show() : null), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: () => `brief claimed; requests: ${mock.mainRequests().map((r) => `${r.n}:${r.reply ?? ''}`).join(' ')}`,
    });
    assert.equal(claimed.brief.agent, 'lane/cc');
    const claim = claimed.trace.find((e) => e.action === 'brief.status' && e.details?.to === 'claimed');
    assert.equal(claim?.details?.by, 'lane/cc', 'claimed by the agent itself, through MCP');
    // Claude Code got the tool's result back and sent it to the model.
    await waitUntil(() => mock.mainRequests().some((r) => hasToolResult(r.body) && JSON.stringify(r.body).includes('claimed')), { timeoutMs: 60_000, what: 'the claim result reached the model' });

    run(['send', 'lane/cc', 'now recall it']);
    await waitUntil(() => mock.mainRequests().some((r) => hasToolResult(r.body) && JSON.stringify(r.body).includes('# Brief #1: Claim me through MCP')), {
      timeoutMs: 90_000,
      what: 'recall_brief returned the packet to the model',
    });
    assert.equal(mock.external.length, 0, `nothing tried to leave the machine: ${mock.external.join(', ')}`);
  });
});

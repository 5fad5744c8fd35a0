/**
 * The real Codex CLI takes a brief through flower-tui's MCP server, offline: with `mcp.enabled`,
 * flower-tui offers its server to Codex by `-c mcp_servers.flower.*` for that run (the user's
 * config.toml untouched); the Responses mock answers the dispatch packet with a function call to
 * the flower `claim_brief` tool, Codex calls it over MCP, and the brief becomes claimed by that
 * agent. Through the built CLI and a real server, in a sandboxed lane.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { functionCallOutputs, namespaceOf, offeredTools, startMockOpenAI } from '../helpers/mock-openai.js';
import { makeCodexHome, realCodexLane } from '../helpers/claude-home.js';
import { flowerRun } from '../helpers/flower-run.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { BriefDetail } from '../../src/core/briefs/brief-ops.js';

const cleanups = asyncCleanups();

describe('the real Codex takes a brief through the flower MCP server', () => {
  test('the packet answered with a claim_brief call claims it for that agent', { timeout: 300_000 }, async (t) => {
    const set = await realCodexLane(t, cleanups);
    if (!set) return;
    const { bin, repo, lane } = set;
    // Codex offers an MCP server's tools as one namespace entry, "mcp__flower".
    const flowerNs = (body: any) => namespaceOf(body, 'claim_brief');
    const mock = await startMockOpenAI({
      toolCall: (_n, body) => {
        const input = Array.isArray(body?.input) ? body.input : [];
        if (input.at(-1)?.type === 'function_call_output') return null;
        if (!JSON.stringify(input).includes('# Brief #1')) return null;
        const ns = flowerNs(body);
        return ns === 'mcp__flower' ? { name: 'claim_brief', namespace: ns, arguments: {} } : null;
      },
      reply: (_n, body) => (flowerNs(body) ? 'claimed' : `no flower tools offered: ${offeredTools(body).join(',')}`),
    });
    cleanups.push(() => mock.close());
    const home = makeCodexHome({ projectDir: lane, baseUrl: mock.url });
    cleanups.push(() => home.cleanup());
    const userToml = readFileSync(home.configPath, 'utf8');
    assert.doesNotMatch(userToml, /mcp_servers/);
    const cmd = agentCliCommand(bin);
    const { run } = flowerRun(
      repo,
      {
        profiles: { cx: { command: cmd.file, args: [...cmd.args, '--ask-for-approval', 'never'], usage: { source: 'codex', patternKind: 'percentLeft' } } },
        mcp: { enabled: true },
        sandbox: { passEnv: ['FLOWER_MOCK_OPENAI_KEY'] },
      },
      home.env(mock.proxyEnv()),
      cleanups,
    );
    const show = () => JSON.parse(run(['brief', 'show', '1', '--json'])) as BriefDetail;

    run(['brief', 'add', 'Claim me from Codex', '--spec', 'A brief for the real Codex.', '--lane', 'lane']);
    run(['spawn', 'lane', 'cx']);
    run(['brief', 'dispatch', '1', '--agent', 'lane/cx']);
    const claimed = await waitUntil(() => (show().brief.status === 'claimed' ? show() : null), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: () => `brief claimed; tools: ${offeredTools(mock.mainRequests()[0]?.body).join(',')}; replies: ${mock.mainRequests().map((r) => r.reply).join(" | ")}; outputs: ${JSON.stringify(mock.mainRequests().flatMap((r) => functionCallOutputs(r.body)))}`,
    });
    assert.equal(claimed.brief.agent, 'lane/cx');
    const claim = claimed.trace.find((e) => e.action === 'brief.status' && e.details?.to === 'claimed');
    assert.equal(claim?.details?.by, 'lane/cx', 'claimed by the agent itself, through MCP');
    await waitUntil(() => mock.mainRequests().some((r) => functionCallOutputs(r.body).some((o) => o.includes('claimed'))), { timeoutMs: 60_000, what: 'the claim result reached the model' });
    // Codex itself notes things in its config.toml (screen_reader_detection_done); flower-tui's server is not among them.
    const after = readFileSync(home.configPath, 'utf8');
    assert.ok(after.startsWith(userToml.trimEnd().split('\n').slice(0, 3).join('\n')));
    assert.doesNotMatch(after, /mcp_servers|flower-tui/, "flower-tui's MCP server is offered for the run only, never written to the user's Codex config");
  });
});

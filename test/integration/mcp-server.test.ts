/**
 * `flower-tui mcp` speaks MCP over stdio, checked with the official SDK's own client: initialize,
 * list tools, call each tool against a real server and real git, and refused commands come back
 * as tool errors (isError) with the CLI's one-line message. The caller is FLOWER_AGENT.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { git, makeRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO_AGENT = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const onCleanup = cleanupList();

type ToolResult = { isError?: boolean; content: { type: string; text: string }[] };
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text).join('');

describe('MCP server (flower-tui mcp)', () => {
  test('initialize, list tools, call each; errors are tool errors', async () => {
    const repo = makeRepo({ worktrees: ['lane-m'] });
    const configFile = path.join(repo.dir, 'flower.config.json');
    writeFileSync(configFile, JSON.stringify({ profiles: { echo: { command: process.execPath, args: [ECHO_AGENT] } } }));
    removedAfterItsServer(repo, onCleanup);
    const run = (args: string[]) => cli(repo, [...args, '--config', configFile]);
    assert.equal(run(['spawn', 'lane-m', 'echo']).status, 0);
    const added = run(['brief', 'add', 'Through MCP', '--spec', 'the spec text', '--lane', 'lane-m']);
    assert.equal(added.status, 0, JSON.stringify(added));
    assert.equal(run(['brief', 'dispatch', '1']).status, 0);

    const env = { ...(process.env as Record<string, string>), FLOWER_AGENT: 'lane-m/echo' };
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--repo', repo.worktreePaths['lane-m']!, '--config', configFile], env, stderr: 'pipe' });
    const client = new Client({ name: 'flower-test', version: '1.0.0' });
    await client.connect(transport);
    onCleanup(() => void client.close());
    assert.equal(client.getServerVersion()?.name, 'flower-tui');

    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['claim_brief', 'complete_brief', 'fail_brief', 'list_briefs', 'mark_ready', 'merge_queue', 'note_brief', 'recall_brief', 'send', 'spawn', 'status', 'wait']);
    assert.ok(tools.every((t) => t.description && t.inputSchema.type === 'object'));

    const packet = text(await client.callTool({ name: 'recall_brief', arguments: {} }));
    assert.match(packet, /^# Brief #1: Through MCP/);
    assert.match(packet, /the spec text/);

    const claimed = JSON.parse(text(await client.callTool({ name: 'claim_brief', arguments: {} }))) as { brief: { status: string; agent: string } };
    assert.equal(claimed.brief.status, 'claimed');
    assert.equal(claimed.brief.agent, 'lane-m/echo');

    await client.callTool({ name: 'note_brief', arguments: { id: 1, text: 'noted via MCP' } });
    const listed = JSON.parse(text(await client.callTool({ name: 'list_briefs', arguments: {} }))) as { briefs: { notes: { by: string; text: string }[] }[] };
    assert.deepEqual(listed.briefs[0]!.notes.map((n) => [n.by, n.text]), [['lane-m/echo', 'noted via MCP']]);

    const done = JSON.parse(text(await client.callTool({ name: 'complete_brief', arguments: { summary: 'all done' } }))) as { brief: { status: string; reason: string } };
    assert.deepEqual([done.brief.status, done.brief.reason], ['ready', 'all done']);
    const noReason = (await client.callTool({ name: 'fail_brief', arguments: { reason: ' ' } })) as ToolResult;
    assert.deepEqual([noReason.isError, text(noReason)], [true, 'say why it failed (--reason)']);
    const failed = JSON.parse(text(await client.callTool({ name: 'fail_brief', arguments: { reason: 'the API it needs is gone' } }))) as { brief: { status: string; reason: string } };
    assert.deepEqual([failed.brief.status, failed.brief.reason], ['failed', 'the API it needs is gone'], 'the caller\'s current brief failed, with the reason');

    // The merge queue: the caller's lane by default; a lane with nothing to merge is refused in one line.
    const notReady = (await client.callTool({ name: 'mark_ready', arguments: {} })) as ToolResult;
    assert.deepEqual([notReady.isError, text(notReady)], [true, 'lane-m has nothing to merge: no commits ahead of MAIN']);
    git(repo.worktreePaths['lane-m']!, ['commit', '--quiet', '--allow-empty', '-m', 'work of lane-m']);
    const ready = JSON.parse(text(await client.callTool({ name: 'mark_ready', arguments: {} }))) as { lane: string; position: number };
    assert.deepEqual([ready.lane, ready.position], ['lane-m', 1]);
    const q = JSON.parse(text(await client.callTool({ name: 'merge_queue', arguments: {} }))) as { queue: { entries: { lane: string; by: string }[]; out: { lane: string }[] } };
    assert.ok(q.queue.entries.some((e) => e.lane === 'lane-m' && e.by === 'lane-m/echo') || q.queue.out.some((o) => o.lane === 'lane-m'), JSON.stringify(q));

    const status = JSON.parse(text(await client.callTool({ name: 'status', arguments: {} }))) as { agents: { id: string }[] };
    assert.ok(status.agents.some((a) => a.id === 'lane-m/echo'));

    const spawned = JSON.parse(text(await client.callTool({ name: 'spawn', arguments: { worktree: 'lane-m', profile: 'echo', name: 'second' } }))) as { id: string };
    assert.equal(spawned.id, 'lane-m/second');
    const sent = JSON.parse(text(await client.callTool({ name: 'send', arguments: { agent: 'lane-m/second', text: 'hello' } }))) as { delivered: boolean };
    assert.equal(sent.delivered, true);
    const waited = JSON.parse(text(await client.callTool({ name: 'wait', arguments: { agent: 'lane-m/second', for: 'working', timeout: 30 } }))) as { agent: string };
    assert.equal(waited.agent, 'lane-m/second');
    const timedOut = (await client.callTool({ name: 'wait', arguments: { agent: 'lane-m/second', for: 'exited', timeout: 1 } })) as ToolResult;
    assert.equal(timedOut.isError, true, 'a wait that times out is a tool error');

    // Refusals are tool errors with the one-line message, and the MCP server keeps serving.
    const missing = (await client.callTool({ name: 'recall_brief', arguments: { id: 99 } })) as ToolResult;
    assert.equal(missing.isError, true);
    assert.equal(text(missing), 'no brief #99 (see flower-tui brief ls)');
    const badSpawn = (await client.callTool({ name: 'spawn', arguments: { worktree: 'MAIN', profile: 'echo' } })) as ToolResult;
    assert.equal(badSpawn.isError, true);
    assert.match(text(badSpawn), /MAIN/);
    // An unknown tool or a bad argument is an MCP error, not a crash.
    const unknown = (await client.callTool({ name: 'nope', arguments: {} }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }))) as ToolResult;
    assert.equal(unknown.isError, true);
    const badArg = (await client.callTool({ name: 'note_brief', arguments: { id: 'x', text: '' } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }))) as ToolResult;
    assert.equal(badArg.isError, true);
    const still = (await client.listTools()).tools.length;
    assert.equal(still, 12);
  });
});

/**
 * The real Codex CLI, offline against the loopback Responses mock, through the real server: its
 * state comes from its own hooks, which flower-tui passes with `-c` and trusts by their hash (see
 * core/status/codex-hooks.ts). A plain turn is working → idle; a shell command that needs approval
 * is needs-you with the command, answered through `flower-tui send`, then working → idle. Skips when
 * the CLI cannot be installed here.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { codexShellCall, startMockOpenAI } from '../helpers/mock-openai.js';
import { makeCodexHome, realCodexLane } from '../helpers/claude-home.js';
import { flowerDriver } from '../helpers/flower-driver.js';

const cleanups = asyncCleanups();

/** Codex's shell tool, asking to run outside Codex's own (read-only) sandbox: that is what Codex asks the operator about. */
const shellCall = (body: any, line: string) => codexShellCall(body, line, { sandbox_permissions: 'require_escalated', justification: 'Write approved.txt?' });

describe('the real Codex reports its state through hooks', () => {
  test('SessionStart → idle; a plain turn working → idle; an approval needs-you → answered → working → idle; all from hooks', { timeout: 300_000 }, async (t) => {
    const set = await realCodexLane(t, cleanups);
    if (!set) return;
    const { bin, repo, lane } = set;
    const mock = await startMockOpenAI({
      toolCall: (_n, body) => {
        const input = Array.isArray(body?.input) ? body.input : [];
        if (input.at(-1)?.type === 'function_call_output') return null;
        return JSON.stringify(input).includes('write the file') ? shellCall(body, 'echo approved > approved.txt') : null;
      },
      reply: (n, body) => (JSON.stringify(body?.input ?? []).includes('function_call_output') ? 'All done: the file is written.' : `Plain reply ${n}.`),
    });
    cleanups.push(() => mock.close());
    // Codex refuses its helper binaries under /tmp: its home lives under ~/.cache (as the sandbox test's).
    const home = makeCodexHome({ projectDir: lane, baseUrl: mock.url, baseDir: path.join(homedir(), '.cache', 'flower-tests') });
    cleanups.push(() => home.cleanup());
    const env = home.env(mock.proxyEnv()) as Record<string, string>;
    delete env.CI;
    const cmd = agentCliCommand(bin);
    const config = path.join(repo.dir, 'flower.config.json');
    // Read-only with approvals on request: a command asking to run unsandboxed needs the operator's yes.
    writeFileSync(config, JSON.stringify({ sandbox: { mode: 'off', passEnv: ['FLOWER_MOCK_OPENAI_KEY'] }, profiles: { cx: { command: cmd.file, args: [...cmd.args, '--sandbox', 'read-only', '--ask-for-approval', 'on-request'], usage: { source: 'codex' }, promptPattern: '\\? for shortcuts' } } }));
    const cli = flowerDriver({ repo: repo.mainRoot, config, env });
    cleanups.push(() => cli.run(['server', 'stop']));
    const A = 'lane/cx';

    await cli.ok(['spawn', 'lane', 'cx']);
    // Codex starts its session (and runs SessionStart) with the first prompt, not at start-up: until
    // then only the screen speaks. Its composer's footer (the profile's promptPattern) says it is up.
    const ready = await cli.waitFor(A, 'idle', 90);
    assert.equal(ready.source, 'screen');
    const n0 = (await cli.states(A)).length;
    await cli.ok(['send', A, 'just say hi']);
    const plain = await cli.waitFor(A, 'idle', 40).catch(async (e) => {
      throw new Error(`${(e as Error).message}; requests ${mock.requests.map((r) => r.path + ' ' + (r.kind ?? '')).join(', ')}; status ${JSON.stringify((JSON.parse(await cli.ok(['status', '--json'])) as { agents: unknown[] }).agents)}`);
    });
    assert.equal(plain.source, 'hook');
    assert.match(plain.reason ?? '', /^Plain reply \d+\.$/);
    const first = await cli.seq(A, n0);
    t.diagnostic(`the first turn: ${first.join(' ')}`);
    // Before its first hook the screen may see the turn start (working/screen); the hooks take over.
    assert.ok(['working/hook,idle/hook', 'working/screen,idle/hook'].includes(first.join()), first.join(' '));

    const n1 = (await cli.states(A)).length;
    await cli.ok(['send', A, 'please write the file']);
    const asked = await cli.waitFor(A, 'needs-you', 60);
    t.diagnostic(`needs-you: ${asked.reason} (${asked.source})`);
    assert.equal(asked.source, 'hook');
    assert.match(asked.reason ?? '', /^permission: .*echo approved > approved\.txt/);
    // Codex's approval: "y" is "Yes, proceed".
    await cli.ok(['send', A, 'y', '--no-enter']);
    const done = await cli.waitFor(A, 'idle');
    assert.equal(done.reason, 'All done: the file is written.');
    assert.ok(existsSync(path.join(lane, 'approved.txt')), 'the approved command ran');
    assert.equal(readFileSync(path.join(lane, 'approved.txt'), 'utf8').trim(), 'approved');
    const turn = await cli.seq(A, n1);
    t.diagnostic(`the approval turn: ${turn.join(' ')}`);
    assert.deepEqual(turn, ['working/hook', 'needs-you/hook', 'working/hook', 'idle/hook']);
    if (mock.external.length) t.diagnostic(`refused by the mock proxy: ${mock.external.join(', ')}`);
  });
});

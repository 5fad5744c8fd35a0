/**
 * The real Claude Code CLI in a sandboxed lane (bubblewrap, sandbox.mode auto), offline against the
 * loopback mock: the mock answers with `tool_use` Bash blocks; the one that writes into MAIN fails
 * with the kernel's refusal (and MAIN is byte-for-byte unchanged), the one that writes in the lane
 * succeeds. Through the built CLI and a real server; skipped when the CLI cannot be installed or
 * bubblewrap is not usable here.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { startMockAnthropic } from '../helpers/mock-anthropic.js';
import { realClaudeLane } from '../helpers/claude-home.js';
import { git } from '../helpers/git-repo.js';
import { flowerRun } from '../helpers/flower-run.js';
import { waitUntil } from '../helpers/wait-until.js';

const cleanups = asyncCleanups();

describe('the real Claude Code in a sandboxed lane', () => {
  test('its Bash tool cannot write MAIN; it can write its lane', { timeout: 240_000 }, async (t) => {
    if (spawnSync('bwrap', ['--ro-bind', '/', '/', 'true']).status !== 0) return t.skip('bubblewrap is not usable here');
    const set = await realClaudeLane(t, cleanups);
    if (!set) return;
    const { bin, repo, home } = set;
    const lane = repo.worktreePaths['lane']!;
    const mainFile = path.join(repo.mainRoot, 'app.txt');
    const before = readFileSync(mainFile);
    const mainHead = git(repo.mainRoot, ['rev-parse', 'HEAD']).trim();
    const lastUser = (body: any) => [...(body?.messages ?? [])].reverse().find((m: any) => m?.role === 'user') ?? {};
    const toolResults = (body: any) => JSON.stringify(lastUser(body)).includes('tool_result');
    const mock = await startMockAnthropic({
      // The prompt → write MAIN; its result → write the lane; that result → done.
      toolUse: (_n, body) => {
        const last = JSON.stringify(lastUser(body));
        if (!toolResults(body) && last.includes('try the sandbox')) return { name: 'Bash', input: { command: `echo escaped >> ${mainFile}`, description: 'append to MAIN' } };
        if (toolResults(body) && last.includes('escaped') === false && !last.includes('lane-ok')) return { name: 'Bash', input: { command: `echo fine > ${path.join(lane, 'lane-ok.txt')} && echo lane-ok`, description: 'write in the lane' } };
        return null;
      },
      reply: () => 'done',
    });
    cleanups.push(() => mock.close());
    const cmd = agentCliCommand(bin);
    const { run } = flowerRun(
      repo,
      {
        profiles: { cc: { command: cmd.file, args: [...cmd.args, '--permission-mode', 'default', '--allowedTools', 'Bash'], usage: { source: 'claude', window: 200_000 } } },
        sandbox: { mode: 'required' },
      },
      home.env({ baseUrl: mock.url, extra: mock.proxyEnv() }),
      cleanups,
    );
    run(['spawn', 'lane', 'cc']);
    const status = JSON.parse(run(['status', '--json'])) as { agents: { id: string; sandbox?: string }[] };
    assert.equal(status.agents.find((a) => a.id === 'lane/cc')?.sandbox, 'bwrap');
    run(['wait', 'lane/cc', '--for', 'idle', '--timeout', '60']);
    run(['send', 'lane/cc', 'try the sandbox']);
    await waitUntil(() => existsSync(path.join(lane, 'lane-ok.txt')), {
      timeoutMs: 120_000,
      intervalMs: 300,
      what: () => `the lane write; requests: ${mock.mainRequests().length}; status: ${JSON.stringify((JSON.parse(run(['status', '--json'])) as { agents: { status?: unknown }[] }).agents[0]?.status)}`,
    });
    // The MAIN write's result, as the model saw it: the kernel refused it. Case-blind: bash says
    // "Read-only file system", zsh (which Claude Code prefers when installed) "read-only file system".
    const results = mock.mainRequests().map((r) => JSON.stringify(lastUser(r.body))).filter((s) => s.includes('tool_result'));
    const mainResult = results.find((s) => /read-only file system|permission denied/i.test(s));
    assert.ok(mainResult, `the tool result of the MAIN write says Read-only file system / Permission denied; the tool results were: ${results.join('\n')}`);
    assert.deepEqual(readFileSync(mainFile), before, 'MAIN byte-for-byte unchanged');
    assert.equal(git(repo.mainRoot, ['rev-parse', 'HEAD']).trim(), mainHead);
    assert.equal(git(repo.mainRoot, ['status', '--porcelain']).trim(), '');
    assert.equal(readFileSync(path.join(lane, 'lane-ok.txt'), 'utf8'), 'fine\n');
    assert.equal(mock.external.length, 0, `nothing tried to leave the machine: ${mock.external.join(', ')}`);
  });
});

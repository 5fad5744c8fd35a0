/**
 * The real Codex CLI in a sandboxed lane (bubblewrap), offline against the loopback Responses mock,
 * whose answers are function calls, so Codex really runs the commands:
 * - with Codex's own sandbox on (workspace-write: Codex starts bwrap itself, nested inside
 *   flower-tui's), its write in the lane succeeds;
 * - with Codex's own sandbox off (danger-full-access, no approvals: nothing of Codex's stands in
 *   the way), its write into MAIN is still refused by the kernel and MAIN is byte-for-byte unchanged.
 * Through the built CLI and a real server; skipped when the CLI cannot be installed or bubblewrap
 * is not usable here.
 */
import { describe, test } from 'node:test';
import { asyncCleanups } from '../helpers/cli.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { agentCliCommand } from '../helpers/agent-cli-cache.js';
import { codexShellCall, functionCallOutputs, offeredTools, startMockOpenAI } from '../helpers/mock-openai.js';
import { makeCodexHome, realCodexLane } from '../helpers/claude-home.js';
import { git } from '../helpers/git-repo.js';
import { flowerRun } from '../helpers/flower-run.js';
import { waitUntil } from '../helpers/wait-until.js';
import { probeBwrap } from '../../src/core/sandbox/bwrap-probe.js';

const cleanups = asyncCleanups();

const shellCall = (body: any, line: string) => codexShellCall(body, line);

describe('the real Codex in a sandboxed lane', () => {
  test('its own sandbox nests inside flower-tui\'s; with its own off, a write into MAIN is still refused', { timeout: 300_000 }, async (t) => {
    const bw = probeBwrap(process.env.PATH);
    if (!bw.ok) return t.skip(`bubblewrap is not usable here: ${bw.reason}`);
    const set = await realCodexLane(t, cleanups);
    if (!set) return;
    const { bin, repo, lane } = set;
    const mainFile = path.join(repo.mainRoot, 'app.txt');
    writeFileSync(mainFile, 'served\n');
    git(repo.mainRoot, ['add', 'app.txt']);
    git(repo.mainRoot, ['commit', '--quiet', '-m', 'app']);
    const before = readFileSync(mainFile);
    const mainHead = git(repo.mainRoot, ['rev-parse', 'HEAD']).trim();

    const userText = (body: any) => JSON.stringify(body?.input ?? []);
    const mock = await startMockOpenAI({
      // One command per prompt; once its output is back, a plain reply ends the turn.
      toolCall: (_n, body) => {
        const input = Array.isArray(body?.input) ? body.input : [];
        if (input.at(-1)?.type === 'function_call_output') return null;
        const text = userText(body);
        if (text.includes('write the lane') && !text.includes('escape to main')) return shellCall(body, `echo nested > ${path.join(lane, 'from-codex.txt')} && echo lane-written`);
        if (text.includes('escape to main')) return shellCall(body, `echo escaped >> ${mainFile}; echo rc=$?`);
        return null;
      },
      reply: () => 'done',
    });
    cleanups.push(() => mock.close());
    const home = makeCodexHome({ projectDir: lane, baseUrl: mock.url, baseDir: path.join(homedir(), '.cache', 'flower-tests') });
    cleanups.push(() => home.cleanup());
    const cmd = agentCliCommand(bin);
    const { run } = flowerRun(
      repo,
      {
        profiles: {
          'cx-nested': { command: cmd.file, args: [...cmd.args, '--sandbox', 'workspace-write', '--ask-for-approval', 'never'], usage: { source: 'codex', patternKind: 'percentLeft' } },
          'cx-open': { command: cmd.file, args: [...cmd.args, '--sandbox', 'danger-full-access', '--ask-for-approval', 'never'], usage: { source: 'codex', patternKind: 'percentLeft' } },
        },
        // The provider's key has a secret's name (*_KEY): a code-only lane keeps it only when told.
        sandbox: { mode: 'required', passEnv: ['FLOWER_MOCK_OPENAI_KEY'] },
      },
      home.env(mock.proxyEnv()),
      cleanups,
    );
    const outputs = () => mock.mainRequests().flatMap((r) => functionCallOutputs(r.body));
    const why = () => `tools: ${offeredTools(mock.mainRequests()[0]?.body).join(',')}; outputs: ${JSON.stringify(outputs())}`;

    run(['spawn', 'lane', 'cx-nested']);
    const status = JSON.parse(run(['status', '--json'])) as { agents: { id: string; sandbox?: string }[] };
    assert.equal(status.agents.find((a) => a.id === 'lane/cx-nested')?.sandbox, 'bwrap');
    run(['send', 'lane/cx-nested', 'please write the lane']);
    await waitUntil(() => outputs().some((o) => o.includes('lane-written')) || outputs().length > 0, { timeoutMs: 120_000, intervalMs: 300, what: () => `the lane command's output; ${why()}` });
    assert.ok(outputs().some((o) => o.includes('lane-written')), `Codex's sandboxed command wrote the lane: ${why()}`);
    assert.equal(readFileSync(path.join(lane, 'from-codex.txt'), 'utf8'), 'nested\n');

    run(['spawn', 'lane', 'cx-open']);
    run(['send', 'lane/cx-open', 'please escape to main']);
    await waitUntil(() => outputs().find((o) => o.includes('rc=')), { timeoutMs: 120_000, intervalMs: 300, what: () => `the MAIN command's output; ${why()}` });
    const escape = outputs().find((o) => o.includes('rc='))!;
    assert.match(escape, /read-only file system|permission denied/i, 'the kernel refused the write into MAIN');
    assert.doesNotMatch(escape, /rc=0/);
    assert.deepEqual(readFileSync(mainFile), before, 'MAIN byte-for-byte unchanged');
    assert.equal(git(repo.mainRoot, ['rev-parse', 'HEAD']).trim(), mainHead);
    assert.equal(git(repo.mainRoot, ['status', '--porcelain']).trim(), '');
    assert.ok(!existsSync(path.join(repo.mainRoot, 'from-codex.txt')));
    // Codex fetches an announcement from raw.githubusercontent.com now and then: the mock, its proxy, refuses it.
    if (mock.external.length) t.diagnostic(`refused by the mock proxy: ${mock.external.join(', ')}`);
  });
});

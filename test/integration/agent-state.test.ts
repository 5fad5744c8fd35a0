/**
 * Agent state from the agents' own reports, through the real server and the built CLI: a shell agent
 * runs `flower-tui report` (it has FLOWER_AGENT and FLOWER_SOCKET in its environment), `wait` returns
 * for each state and times out with 124, `status --json` and the trace say state, reason, since, source.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cleanupList, cli } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { AgentInfo, Snapshot } from '../../src/core/types.js';

const cleanup = cleanupList();
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function setup() {
  const repo = makeRepo({ worktrees: ['feat'] });
  cleanup(() => repo.cleanup());
  const config = path.join(repo.dir, 'flower.config.json');
  writeFileSync(config, JSON.stringify({ profiles: { sh: { command: '/bin/bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } } }, worktrees: { feat: { agents: [{ profile: 'sh', name: 'sh' }] } } }));
  cleanup(() => void cli(repo, ['server', 'stop']));
  return { repo, config };
}

/** `flower-tui wait …` in the background: resolves with its exit code and output. */
function waitCli(repoRoot: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'wait', ...args, '--repo', repoRoot], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const agentOf = (repo: ReturnType<typeof makeRepo>, id: string): AgentInfo | undefined => {
  const r = cli(repo, ['status', '--json']);
  return r.status === 0 ? (JSON.parse(r.stdout) as Snapshot).agents.find((a) => a.id === id) : undefined;
};

describe('agent state: report and wait', () => {
  test('a shell agent reports; wait returns for each state and times out with 124; status and trace show it', async () => {
    const { repo, config } = setup();
    const started = cli(repo, ['--config', config, 'spawn', 'feat', 'sh', '--name', 'probe']);
    assert.equal(started.status, 0, started.stderr);
    const id = 'feat/probe';
    const report = (args: string) => cli(repo, ['send', id, `"${process.execPath}" "${BIN}" report ${args}`]);

    // Nothing reported yet: wait for needs-you times out (124) and says what the state is.
    const timedOut = await waitCli(repo.mainRoot, [id, '--for', 'needs-you', '--timeout', '0.3']);
    assert.equal(timedOut.status, 124, timedOut.stderr);
    assert.match(timedOut.stderr, /^flower-tui: feat\/probe did not become needs-you within 0\.3s \(it is \w+/);

    const needsYou = waitCli(repo.mainRoot, [id, '--for', 'needs-you', '--json']);
    assert.equal(report('needs-you --reason "question: which database?"').status, 0);
    const w1 = await needsYou;
    assert.equal(w1.status, 0, w1.stderr);
    const st1 = (JSON.parse(w1.stdout) as { status: AgentInfo['status'] }).status;
    assert.equal(st1.state, 'needs-you');
    assert.equal(st1.reason, 'question: which database?');
    assert.equal(st1.source, 'hook');
    assert.ok(!Number.isNaN(Date.parse(st1.since)));

    // status --json carries the same; the human status shows the word and the reason.
    const info = agentOf(repo, id)!;
    assert.deepEqual({ state: info.status.state, reason: info.status.reason, source: info.status.source }, { state: 'needs-you', reason: 'question: which database?', source: 'hook' });
    assert.match(cli(repo, ['status']).stdout, /feat\/probe\s+sh\s+needs-you \d+s · question: which database\?/);

    // The shell keeps printing: a screen guess never overrides what the agent reported.
    assert.equal(cli(repo, ['send', id, 'for i in 1 2 3; do echo tick $i; done']).status, 0);
    assert.equal(agentOf(repo, id)!.status.state, 'needs-you');

    // Already in the state: wait returns at once. --since-input waits for a state entered after the last send.
    assert.equal((await waitCli(repo.mainRoot, [id, '--for', 'needs-you'])).status, 0);
    const idle = waitCli(repo.mainRoot, [id, '--for', 'idle', '--since-input']);
    assert.equal(report('working --reason "Bash(make)"').status, 0);
    assert.equal(report('idle --reason "built it"').status, 0);
    const w2 = await idle;
    assert.equal(w2.status, 0, w2.stderr);
    assert.match(w2.stdout, /^feat\/probe: idle \(built it\)$/m);

    // An unknown state is refused in one line, without disturbing anything.
    const bad = cli(repo, ['report', 'sleeping', '--agent', id]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Invalid values/);

    const exited = waitCli(repo.mainRoot, [id, '--for', 'exited']);
    assert.equal(cli(repo, ['send', id, 'exit 3']).status, 0);
    const w3 = await exited;
    assert.equal(w3.status, 0, w3.stderr);
    assert.match(w3.stdout, /exited 3/);

    // The trace has every transition, with its source.
    const log = cli(repo, ['log', '--json', '--action', 'state', '--agent', id]);
    const states = log.stdout.trim().split('\n').map((l) => JSON.parse(l) as { details: { state: string; source: string } }).map((e) => `${e.details.state}/${e.details.source}`);
    assert.deepEqual(states.slice(-4), ['needs-you/hook', 'working/hook', 'idle/hook', 'exited/process']);
  });

  test('text reaches an agent whose hook said it shows a prompt, even while its screen keeps redrawing', async () => {
    const { repo, config } = setup();
    assert.equal(cli(repo, ['--config', config, 'spawn', 'feat', 'sh', '--name', 'busy']).status, 0);
    const id = 'feat/busy';
    const lane = repo.worktreePaths['feat']!;
    // As Claude Code's permission dialog: the prompt is up (its hook said so) and a spinner never stops.
    const r = cli(repo, ['send', id, `(while :; do printf '\\r%s' $RANDOM; sleep 0.05; done &); "${process.execPath}" "${BIN}" report needs-you --reason "permission: Bash(ls)"`]);
    assert.equal(r.status, 0, r.stderr);
    const asked = await waitCli(repo.mainRoot, [id, '--for', 'needs-you', '--timeout', '30']);
    assert.equal(asked.status, 0, asked.stderr);
    const answered = cli(repo, ['send', id, 'echo answered > answered.txt', '--timeout', '10']);
    assert.equal(answered.status, 0, `the answer is typed: ${answered.stderr}`);
    await waitUntil(() => existsSync(path.join(lane, 'answered.txt')), { timeoutMs: 10_000, what: 'the answer ran' });
  });

  test("send's Enter submits in a TUI that takes quick keys for a paste (as Codex's composer does)", async () => {
    const repo = makeRepo({ worktrees: ['feat'] });
    cleanup(() => repo.cleanup());
    const submitted = path.join(repo.dir, 'submitted.txt');
    const config = path.join(repo.dir, 'flower.config.json');
    writeFileSync(config, JSON.stringify({ profiles: { burst: { command: process.execPath, args: [path.join(FIXTURES, 'burst-agent.mjs'), submitted] } } }));
    cleanup(() => void cli(repo, ['server', 'stop']));
    assert.equal(cli(repo, ['--config', config, 'spawn', 'feat', 'burst']).status, 0);
    const sent = cli(repo, ['--config', config, 'send', 'feat/burst', 'hello there']);
    assert.equal(sent.status, 0, sent.stderr);
    // Enter goes once the agent has shown the text: it is a submit, not a newline in a paste.
    await waitUntil(() => existsSync(submitted) && readFileSync(submitted, 'utf8'), { timeoutMs: 10_000, what: 'the text submitted' });
    assert.equal(readFileSync(submitted, 'utf8'), 'hello there\n');
  });

  test('report without an agent says so in one line', () => {
    const { repo } = setup();
    const r = cli(repo, ['report', 'idle']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'flower-tui: which agent? FLOWER_AGENT is not set (run this from an agent flower-tui started, or pass --agent)\n');
  });
});

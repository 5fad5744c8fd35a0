/**
 * A running server follows its config file (a real server, the built CLI, a real merge): a saved
 * change applies without a restart — the next merge uses the new gate; an invalid new file is
 * reported (status, MAIN's monitor via the snapshot, the trace) and the config in use is kept; once
 * fixed, the problem is gone.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupList, cli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';

const cleanup = cleanupList();

interface StatusJson {
  server: { config?: string | null; configProblem?: string | null };
  monitor: { config?: { file: string | null; problem: string | null } };
}

function status(repo: Parameters<typeof cli>[0]): StatusJson {
  const r = cli(repo, ['status', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusJson;
}

function reloads(repo: Parameters<typeof cli>[0]): { outcome: string; error?: string }[] {
  const r = cli(repo, ['log', '--json', '--action', 'config.reload']);
  assert.equal(r.status, 0, r.stderr);
  // One JSON object per line.
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { outcome: string; error?: string });
}

describe('the server reloads a changed config', () => {
  test('a new gate applies to the next merge; an invalid file is reported and the old config kept', async () => {
    const repo = makeRepo({ worktrees: ['feat'] });
    cleanup(() => repo.cleanup());
    cleanup(() => cli(repo, ['server', 'stop']));
    const file = path.join(repo.commonDir, 'flower', 'config.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{ "restore": "off" }');
    const wt = repo.worktreePaths.feat!;
    writeFileSync(path.join(wt, 'a.txt'), 'a\n');
    repo.git(['add', 'a.txt'], wt);
    repo.git(['commit', '-qm', 'a'], wt);

    const started = cli(repo, ['worktree', 'ls']);
    assert.equal(started.status, 0, started.stderr);
    assert.equal(status(repo).server.config, file);

    // A gate that fails, saved while the server runs: the merge must use it.
    writeFileSync(file, '{ "restore": "off", "merge": { "gate": "echo gate from the new config; exit 3" } }');
    await waitUntil(() => reloads(repo).some((e) => e.outcome === 'ok'), { timeoutMs: 20_000, intervalMs: 200, what: 'a config.reload ok in the trace' });
    const m = cli(repo, ['merge', 'feat', '--yes']);
    assert.equal(m.status, 6, `gate failed with the reloaded gate: ${m.stdout}${m.stderr}`);

    // An invalid file: reported everywhere, and the gate of the config in use still applies.
    writeFileSync(file, '{ "restore": "off", "merge": { "gate": "true", "strategy": "sideways" } }');
    const s = await waitUntil(() => (status(repo).server.configProblem ? status(repo) : null), { timeoutMs: 20_000, intervalMs: 200, what: 'the config problem in status' });
    assert.match(s.server.configProblem!, /merge\.strategy/);
    assert.ok(s.server.configProblem!.includes(file), 'names the file');
    assert.match(s.monitor.config!.problem!, /merge\.strategy/, "MAIN's monitor carries it");
    const human = cli(repo, ['status']).stdout;
    assert.match(human, /^CONFIG NOT RELOADED: invalid config .*merge\.strategy.* — the server keeps /m);
    assert.ok(reloads(repo).some((e) => e.outcome === 'error' && /merge\.strategy/.test(e.error ?? '')), 'the trace has the refusal');
    const again = cli(repo, ['merge', 'feat', '--yes']);
    assert.equal(again.status, 6, `still the previous config's gate: ${again.stdout}${again.stderr}`);
    assert.match(again.stderr, /^flower-tui: warning: invalid config .*merge\.strategy.* — the server keeps using .* until it is fixed$/m, 'every command says so');

    // Fixed: the problem is gone and the new gate applies.
    writeFileSync(file, '{ "restore": "off", "merge": { "gate": "true" } }');
    await waitUntil(() => status(repo).server.configProblem === null, { timeoutMs: 20_000, intervalMs: 200, what: 'the problem cleared' });
    const ok = cli(repo, ['merge', 'feat', '--yes']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  });
});

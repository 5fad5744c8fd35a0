/** The restore plan: what a restarted server runs again, and what an edited state file cannot make it run. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED } from '../../src/core/store/redact.js';
import { planRestore } from '../../src/core/supervisor/restore-plan.js';
import type { WorktreeInfo } from '../../src/core/types.js';
import { agentRecord, profile, claudeLike, codexLike } from '../helpers/agent-fixtures.js';

describe('planRestore', () => {
  const wt = (name: string, over: Partial<WorktreeInfo> = {}): WorktreeInfo => ({ name, path: `/repo-${name}`, branch: name, head: 'h', isMain: false, locked: false, prunable: false, ...over });
  const worktrees = [wt('MAIN', { isMain: true, path: '/r' }), wt('feat'), wt('gone-soon', { prunable: true })];
  const profiles = { claude: claudeLike, codex: codexLike, shell: profile() };

  test('resume / fresh / missing; agents that were not running are left out', () => {
    const plan = planRestore(
      [
        agentRecord({ id: 'feat/claude', profile: 'claude', sessionId: 's1' }),
        agentRecord({ id: 'feat/claude-2', profile: 'claude', sessionId: null }),
        agentRecord({ id: 'feat/codex', profile: 'codex', sessionId: 'r1' }),
        agentRecord({ id: 'feat/shell', profile: 'shell', sessionId: 'stale' }),
        agentRecord({ id: 'feat/stopped', profile: 'shell', running: false }),
        agentRecord({ id: 'deleted/shell', worktree: 'deleted', profile: 'shell' }),
        agentRecord({ id: 'gone-soon/shell', worktree: 'gone-soon', profile: 'shell' }),
        agentRecord({ id: 'MAIN/shell', worktree: 'MAIN', profile: 'shell' }),
        agentRecord({ id: 'feat/old', profile: 'no-such-profile' }),
      ],
      worktrees,
      profiles,
    );
    assert.deepEqual(
      plan.map((p) => [p.id, p.how]),
      [
        ['feat/claude', 'resume'],
        ['feat/claude-2', 'fresh'],
        ['feat/codex', 'resume'],
        ['feat/shell', 'fresh'],
        ['deleted/shell', 'missing'],
        ['gone-soon/shell', 'missing'],
        ['MAIN/shell', 'refused'],
        ['feat/old', 'missing'],
      ],
    );
    assert.deepEqual(plan[0], { id: 'feat/claude', worktree: 'feat', profile: 'claude', how: 'resume' });
  });

  test('nothing remembered → nothing planned', () => {
    assert.deepEqual(planRestore([], worktrees, profiles), []);
  });

  test('an edited state file is not obeyed: a cwd outside the worktree, args the server never started it with', () => {
    const real: Record<string, string[]> = { 'feat/keyed': ['--api-key=sk-ant-abcdefghijklmnopqrstuv'], 'feat/swapped': ['--model', 'x'] };
    const plan = planRestore(
      [
        agentRecord({ id: 'feat/etc', profile: 'shell', cwd: '/etc' }),
        agentRecord({ id: 'feat/other', profile: 'shell', cwd: '/repo-MAIN' }),
        agentRecord({ id: 'feat/injected', profile: 'shell', args: ['-c', 'touch /tmp/pwned'] }),
        agentRecord({ id: 'feat/swapped', profile: 'shell', args: ['-c', 'touch /tmp/pwned'] }),
        agentRecord({ id: 'feat/keyed', profile: 'shell', args: [`--api-key=${REDACTED}`] }),
        agentRecord({ id: 'feat/rebuilt', profile: 'shell', args: [] }),
        agentRecord({ id: 'feat/proto', profile: '__proto__' }),
      ],
      worktrees,
      profiles,
      (id) => real[id],
    );
    assert.deepEqual(
      plan.map((p) => [p.id, p.how]),
      [
        ['feat/etc', 'refused'],
        ['feat/other', 'refused'],
        ['feat/injected', 'refused'],
        ['feat/swapped', 'refused'],
        ['feat/keyed', 'fresh'],
        ['feat/rebuilt', 'fresh'],
        ['feat/proto', 'missing'],
      ],
    );
    assert.match(plan[0]!.reason!, /\/etc is not worktree feat/);
    assert.match(plan[2]!.reason!, /args/);
  });
});

/** Rebuilding the agents' records from the trace (a state file that did not parse). */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceEntry } from '../../../src/core/store/trace.js';
import { agentsFromTrace } from '../../../src/core/store/rebuild-state.js';
import { traceDetails } from '../../../src/core/commands/trace-details.js';
import type { AgentInfo } from '../../../src/core/types.js';

describe('agentsFromTrace', () => {
  let n = 0;
  const t = (action: string, target: string, details?: Record<string, unknown>, outcome = 'ok'): TraceEntry => ({
    ts: `2026-01-01T00:00:${String(n++ % 60).padStart(2, '0')}.000Z`,
    actor: 'server',
    action,
    target,
    details,
    outcome,
  });
  const spawn = (id: string, extra: Record<string, unknown> = {}) => {
    const [worktree, name] = id.split('/');
    return t('spawn', id, { worktree, profile: 'echo', name, cwd: `/repo-${worktree}`, sessionId: null, state: 'running', ...extra });
  };

  test('spawn → a running record with the fields the trace gives', () => {
    const [r] = agentsFromTrace([spawn('feat/echo', { sessionId: 's1', profile: 'claude' })]);
    assert.deepEqual(r, {
      id: 'feat/echo',
      name: 'echo',
      worktree: 'feat',
      profile: 'claude',
      args: [],
      cwd: '/repo-feat',
      sessionId: 's1',
      createdAt: r!.createdAt,
      refreshCount: 0,
      running: true,
    });
  });

  test('kill / exit → not running; remove → gone; a failed spawn is not running', () => {
    const out = agentsFromTrace([
      spawn('a/killed'),
      spawn('a/exited'),
      spawn('a/removed'),
      spawn('a/live'),
      spawn('a/failed', { state: 'failed' }),
      t('kill', 'a/killed'),
      t('exit', 'a/exited', { state: 'exited 0' }, 'exited'),
      t('remove', 'a/removed'),
    ]);
    assert.deepEqual(
      out.map((r) => [r.id, r.running]),
      [
        ['a/killed', false],
        ['a/exited', false],
        ['a/live', true],
        ['a/failed', false],
      ],
    );
  });

  test('restore / respawn → running again, with their session id', () => {
    const out = agentsFromTrace([
      spawn('a/one', { sessionId: 's1' }),
      spawn('a/two'),
      t('kill', 'a/one'),
      t('exit', 'a/two', {}, 'exited'),
      t('respawn', 'a/one', { pid: 1, sessionId: 's1b', respawns: 1 }),
      t('restore', 'a/two', { how: 'fresh', sessionId: 's2', pid: 2 }),
    ]);
    assert.deepEqual(
      out.map((r) => [r.id, r.running, r.sessionId]),
      [
        ['a/one', true, 's1b'],
        ['a/two', true, 's2'],
      ],
    );
  });

  test('error outcomes change nothing; events for unknown agents are ignored', () => {
    const out = agentsFromTrace([
      spawn('a/one'),
      t('kill', 'a/one', undefined, 'error'),
      t('spawn', 'a/bad', { worktree: 'a', profile: 'echo' }, 'error'),
      t('kill', 'zzz/unknown'),
      t('restore', 'zzz/unknown', { sessionId: 'x' }),
      t('restore', 'a/one', undefined, 'skipped'),
    ]);
    assert.deepEqual(out.map((r) => [r.id, r.running]), [['a/one', true]]);
  });

  test('a later spawn of the same id (after a remove) starts a new record', () => {
    const out = agentsFromTrace([spawn('a/one', { sessionId: 'old' }), t('remove', 'a/one'), spawn('a/one', { sessionId: 'new' })]);
    assert.deepEqual(out.map((r) => [r.id, r.sessionId, r.running]), [['a/one', 'new', true]]);
  });

  test('a worktree with a slash in its name (branch feature/auth) is read from details', () => {
    const [r] = agentsFromTrace([t('spawn', 'feature/auth/echo', { worktree: 'feature/auth', name: 'echo', profile: 'echo', cwd: '/r' })]);
    assert.equal(r!.worktree, 'feature/auth');
    assert.equal(r!.name, 'echo');
  });

  test('an ask-mode restore that was discarded is not brought back by a rebuild', () => {
    const out = agentsFromTrace([spawn('a/one'), spawn('a/two'), t('restore', '/repo', { discarded: ['a/one'] }, 'discarded')]);
    assert.deepEqual(out.map((r) => [r.id, r.running]).filter(([, running]) => running), [['a/two', true]]);
  });

  test('a spawn addressed by worktree path rebuilds with the worktree name', () => {
    // Only what a spawn's trace details are made of (the rest of an AgentInfo does not reach them).
    const info = {
      id: 'feat/echo', name: 'echo', worktree: 'feat', profile: 'echo', command: 'node', args: [] as string[], cwd: '/tmp/repo-feat',
      state: { kind: 'running' }, pid: 10, cols: 80, rows: 24, startedAt: 0, respawns: 0, sessionId: null,
    } as AgentInfo;
    const details = traceDetails({ type: 'spawn', worktree: '/tmp/repo-feat', profile: 'echo' }, info);
    const [r] = agentsFromTrace([{ ts: '2026-01-01T00:00:00.000Z', actor: 'cli', action: 'spawn', target: info.id, details, outcome: 'ok' }]);
    assert.equal(r!.worktree, 'feat');
  });
});

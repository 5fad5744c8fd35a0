/** Session args for a fresh start or a resume, per profile. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sessionArgs } from '../../src/core/agents/session-args.js';
import { profile, claudeLike, codexLike } from '../helpers/agent-fixtures.js';

describe('sessionArgs', () => {
  test('fresh with newArgs: a new id, filled into every {sessionId}', () => {
    const r = sessionArgs(profile({ session: { newArgs: ['--session-id={sessionId}', '--log', '/x/{sessionId}.log'], resumeArgs: ['--resume', '{sessionId}'] } }), 'fresh', null, () => 'id-1');
    assert.deepEqual(r, { args: ['--session-id=id-1', '--log', '/x/id-1.log'], sessionId: 'id-1', resumed: false });
  });

  test('fresh with the default generator: a UUID', () => {
    const r = sessionArgs(claudeLike, 'fresh', null);
    assert.match(r.sessionId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(r.args, ['--session-id', r.sessionId]);
    assert.notEqual(sessionArgs(claudeLike, 'fresh', null).sessionId, r.sessionId, 'a new id every time');
  });

  test('fresh ignores a given id (a fresh start is a new conversation)', () => {
    const r = sessionArgs(claudeLike, 'fresh', 'old', () => 'new');
    assert.deepEqual(r, { args: ['--session-id', 'new'], sessionId: 'new', resumed: false });
  });

  test('resume uses resumeArgs with the recorded id', () => {
    let called = false;
    const r = sessionArgs(claudeLike, 'resume', 'abc', () => ((called = true), 'never'));
    assert.deepEqual(r, { args: ['--resume', 'abc'], sessionId: 'abc', resumed: true });
    assert.equal(called, false, 'no new id is generated');
    assert.deepEqual(sessionArgs(codexLike, 'resume', 'rollout-1'), { args: ['resume', 'rollout-1'], sessionId: 'rollout-1', resumed: true });
  });

  test('resume without a recorded id starts fresh', () => {
    assert.deepEqual(sessionArgs(claudeLike, 'resume', null, () => 'n1'), { args: ['--session-id', 'n1'], sessionId: 'n1', resumed: false });
    assert.deepEqual(sessionArgs(codexLike, 'resume', null), { args: [], sessionId: null, resumed: false });
  });

  test('a profile without session: no args, no id, whatever the mode', () => {
    assert.deepEqual(sessionArgs(profile(), 'fresh', null), { args: [], sessionId: null, resumed: false });
    assert.deepEqual(sessionArgs(profile(), 'resume', 'abc'), { args: [], sessionId: null, resumed: false });
  });

  test('codex-like (no newArgs): fresh has no args and no id', () => {
    let called = false;
    assert.deepEqual(sessionArgs(codexLike, 'fresh', null, () => ((called = true), 'x')), { args: [], sessionId: null, resumed: false });
    assert.equal(called, false);
  });
});

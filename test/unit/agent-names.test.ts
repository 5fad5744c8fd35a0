import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentCandidates, resolveAgentTarget } from '../../src/core/agents/agent-target.js';
import { checkName, nameProblem } from '../../src/core/agents/names.js';
import { cleanForTerminal } from '../../src/shared/terminal-text.js';

const IDS = ['feat/probe', 'feat/claude', 'feat/claude-2', 'other/claude', 'other/shell'];

describe('agent targets (as tmux resolves them)', () => {
  test('an exact id wins, then a unique name, then a unique id prefix', () => {
    assert.equal(resolveAgentTarget('feat/claude', IDS), 'feat/claude');
    assert.equal(resolveAgentTarget('probe', IDS), 'feat/probe');
    assert.equal(resolveAgentTarget('shell', IDS), 'other/shell');
    assert.equal(resolveAgentTarget('feat/p', IDS), 'feat/probe');
    assert.equal(resolveAgentTarget('feat/claude-', IDS), 'feat/claude-2');
    assert.equal(resolveAgentTarget('other/s', IDS), 'other/shell');
  });

  test('ambiguous: one line listing the candidates', () => {
    assert.deepEqual(agentCandidates('claude', IDS), ['feat/claude', 'other/claude']);
    assert.throws(() => resolveAgentTarget('claude', IDS), { message: '"claude" is ambiguous: it could be feat/claude, other/claude' });
    assert.throws(() => resolveAgentTarget('feat/c', IDS), { message: '"feat/c" is ambiguous: it could be feat/claude, feat/claude-2' });
    assert.throws(() => resolveAgentTarget('oth', IDS), /ambiguous: it could be other\/claude, other\/shell/);
  });

  test('unknown: the agents there are; empty never matches everything', () => {
    assert.throws(() => resolveAgentTarget('nope', IDS), { message: `no agent "nope" (agents: ${IDS.join(', ')})` });
    assert.throws(() => resolveAgentTarget('', IDS), /no agent ""/);
    assert.throws(() => resolveAgentTarget('x', []), { message: 'no agent "x" (none running; see flower-tui status)' });
  });

  test('a hostile target is shown escaped in the error', () => {
    assert.throws(() => resolveAgentTarget('\x1b[2Jx', IDS), (e: Error) => !e.message.includes('\x1b') && e.message.includes('\\x1b[2Jx'));
  });
});

describe('names (worktrees and agents)', () => {
  test('the lane rules', () => {
    for (const bad of ['', '..', 'a/b', '../../x', 'a\nb', 'E\x1b[2J\x1b[31mRED\x07', '-rf', '.hidden', 'x.lock', 'end.', 'a..b', 'sp ace', 'é']) {
      assert.ok(nameProblem(bad), `refused: ${JSON.stringify(bad)}`);
    }
    for (const ok of ['probe', 'claude-2', 'feature.auth', 'a_b', 'A1', 'x'.repeat(63)]) assert.equal(nameProblem(ok), null, ok);
  });

  test('too long says so, even when it is all letters (not "use letters…")', () => {
    assert.equal(nameProblem('a'.repeat(64)), 'it is 64 characters long (at most 63)');
    assert.throws(() => checkName('worktree', 'a'.repeat(300)), { message: /^invalid worktree name "a{80}…": it is 300 characters long \(at most 63\)$/ });
  });

  test('the error shows the name escaped, on one line', () => {
    assert.throws(() => checkName('agent', 'E\x1b[2J\nRED\x07'), { message: 'invalid agent name "E\\x1b[2J\\nRED\\x07": use letters, digits, ".", "_" and "-" (not starting with "-" or ".")' });
    assert.throws(() => checkName('agent', ''), { message: 'invalid agent name "": it is empty' });
  });
});

describe('cleanForTerminal', () => {
  test('control characters become visible escapes; text, emoji and wide characters stay', () => {
    assert.equal(cleanForTerminal('E\x1b[2J\x1b[31mRED\x07'), 'E\\x1b[2J\\x1b[31mRED\\x07');
    assert.equal(cleanForTerminal('a\nb\tc\rd\x7f\x9b'), 'a\\nb\\tc\\rd\\x7f\\x9b');
    assert.equal(cleanForTerminal('a\nb', { keepNewlines: true }), 'a\nb');
    assert.equal(cleanForTerminal('abc\u202egnp.exe'), 'abc\\u202egnp.exe');
    assert.equal(cleanForTerminal('🌸 花 feat/claude'), '🌸 花 feat/claude');
  });
});

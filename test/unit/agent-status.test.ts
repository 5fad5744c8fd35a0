import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyObservation, initialStatus, statusMatches, type AgentStatus } from '../../src/core/status/agent-status.js';
import { reportForHook, toolLabel } from '../../src/core/status/hook-events.js';
import { claudeSettings } from '../../src/core/status/claude-hooks.js';
import { CODEX_STATE_EVENTS, codexHookArgs, codexHookHash, codexHookKey } from '../../src/core/status/codex-hooks.js';
import { createHash } from 'node:crypto';

const apply = (s: AgentStatus, obs: Parameters<typeof applyObservation>[1], now = 1000) => applyObservation(s, obs, now) ?? s;

describe('agent status model', () => {
  test('a fresher hook report is never overridden by screen or transcript guesses', () => {
    let s = initialStatus(0);
    s = apply(s, { state: 'working', source: 'screen' });
    assert.equal(s.state, 'working');
    assert.equal(s.source, 'screen', 'before any hook, guesses apply');
    s = apply(s, { state: 'needs-you', reason: 'permission: Bash(rm -rf build)', source: 'hook' }, 2000);
    assert.equal(s.state, 'needs-you');
    assert.equal(applyObservation(s, { state: 'working', source: 'screen' }, 3000), null, 'screen guess ignored');
    assert.equal(applyObservation(s, { state: 'idle', source: 'transcript' }, 3000), null, 'transcript guess ignored');
    s = apply(s, { state: 'working', source: 'hook' }, 4000);
    assert.equal(s.state, 'working');
    assert.equal(s.since, new Date(4000).toISOString());
  });

  test('the process has the last word; a respawn starts over and guesses apply again', () => {
    let s = apply(initialStatus(0), { state: 'idle', reason: 'done', source: 'hook' });
    s = apply(s, { state: 'exited', reason: '1', source: 'process' }, 2000);
    assert.equal(s.state, 'exited');
    assert.equal(applyObservation(s, { state: 'idle', source: 'hook' }), null, 'a dead process reports nothing');
    s = apply(s, { state: 'starting', source: 'process' }, 3000);
    assert.equal(s.hookAt, null);
    s = apply(s, { state: 'working', source: 'screen' }, 4000);
    assert.equal(s.state, 'working');
  });

  test('a reason change keeps since; keepReason keeps a better reason', () => {
    let s = apply(initialStatus(0), { state: 'working', reason: 'Bash(ls)', source: 'hook' }, 1000);
    s = apply(s, { state: 'working', reason: 'Read(a.ts)', source: 'hook' }, 2000);
    assert.equal(s.reason, 'Read(a.ts)');
    assert.equal(s.since, new Date(1000).toISOString());
    s = apply(s, { state: 'needs-you', reason: 'permission: Bash(npm publish)', source: 'hook' }, 3000);
    s = apply(s, { state: 'needs-you', reason: 'Claude needs your permission to use Bash', source: 'hook', keepReason: true }, 9000);
    assert.equal(s.reason, 'permission: Bash(npm publish)');
  });

  test('reasons are one line without control characters', () => {
    const s = apply(initialStatus(0), { state: 'idle', reason: '\n  Done: all \x1b[31mtests\x1b[0m pass\nsecond line', source: 'hook' });
    assert.equal(s.reason, 'Done: all  [31mtests [0m pass');
  });

  test('wait targets', () => {
    assert.ok(statusMatches('killed', 'exited'));
    assert.ok(statusMatches('failed', 'exited'));
    assert.ok(!statusMatches('idle', 'needs-you'));
  });
});

describe('hook events', () => {
  test('Claude Code / Codex events map to states with reasons', () => {
    assert.deepEqual(reportForHook({ hook_event_name: 'UserPromptSubmit', prompt: 'hi' }), { state: 'working', reason: null });
    assert.deepEqual(reportForHook({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm test\nmore' } }), { state: 'working', reason: 'Bash(npm test)' });
    assert.deepEqual(reportForHook({ hook_event_name: 'PermissionRequest', tool_name: 'Bash', tool_input: { command: 'rm -rf build' } }), { state: 'needs-you', reason: 'permission: Bash(rm -rf build)' });
    assert.equal(reportForHook({ hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Bash' })?.keepReason, true);
    assert.deepEqual(reportForHook({ hook_event_name: 'Stop', last_assistant_message: 'All done.\nDetails…' }), { state: 'idle', reason: 'All done.\nDetails…' });
    assert.deepEqual(reportForHook({ hook_event_name: 'PreCompact', trigger: 'manual' }), { state: 'compacting', reason: 'manual' });
    assert.equal(reportForHook({ hook_event_name: 'PostCompact', trigger: 'manual' })?.state, 'idle');
    assert.equal(reportForHook({ hook_event_name: 'PostCompact', trigger: 'auto' })?.state, 'working');
    assert.equal(reportForHook({ hook_event_name: 'SessionStart', source: 'compact' }), null);
    assert.equal(reportForHook({ hook_event_name: 'SessionStart', source: 'startup' })?.state, 'idle');
    assert.equal(reportForHook({ hook_event_name: 'PreToolUse', tool_name: 'AskUserQuestion', tool_input: { questions: [{ question: 'Which DB?' }] } })?.reason, 'question: Which DB?');
    assert.equal(reportForHook({ hook_event_name: 'Mystery' }), null);
  });

  test('tool labels: files relative to the cwd, argv commands joined', () => {
    assert.equal(toolLabel({ tool_name: 'Edit', cwd: '/w', tool_input: { file_path: '/w/src/a.ts' } }), 'Edit(src/a.ts)');
    assert.equal(toolLabel({ tool_name: 'Edit', cwd: '/w', tool_input: { file_path: '/etc/passwd' } }), 'Edit(/etc/passwd)');
    assert.equal(toolLabel({ tool_name: 'shell', tool_input: { command: ['bash', '-lc', 'ls'] } }), 'shell(bash -lc ls)');
    assert.equal(toolLabel({ tool_name: 'Bash', tool_input: { command: 'x'.repeat(200) } })!.length, 'Bash()'.length + 80);
  });

  test('Claude settings: the session hook plus one state command per event', () => {
    const s = JSON.parse(claudeSettings({ sessionFile: true, stateCommand: "node '/a b/flower.js' hook claude" })!) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    assert.equal(s.hooks.SessionStart!.length, 2);
    assert.equal(s.hooks.SessionStart![0]!.hooks[0]!.command, 'cat > "$FLOWER_SESSION_FILE"');
    for (const e of ['UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Notification', 'Stop', 'StopFailure', 'PreCompact', 'PostCompact', 'SessionEnd']) {
      assert.equal(s.hooks[e]![0]!.hooks[0]!.command, "node '/a b/flower.js' hook claude", e);
    }
    assert.equal(claudeSettings({ sessionFile: false, stateCommand: null }), null);
  });

  test('Codex: one -c hook per event, trusted by its hash in the session-flags layer; SessionStart says nothing', () => {
    const cmd = "node '/a b/flower.js' hook codex";
    const args = codexHookArgs(cmd);
    const values = args.filter((_, i) => i % 2 === 1);
    assert.ok(args.filter((_, i) => i % 2 === 0).every((a) => a === '-c'));
    for (const e of CODEX_STATE_EVENTS) assert.ok(values.includes(`hooks.${e}=[{hooks=[{type="command",command=${JSON.stringify(cmd)},timeout=5}]}]`), e);
    const state = values.at(-1)!;
    assert.ok(state.startsWith('hooks.state={"/<session-flags>/config.toml:session_start:0:0"={trusted_hash="sha256:'), state);
    assert.ok(state.includes(`"${codexHookKey('UserPromptSubmit')}"={trusted_hash="${codexHookHash('UserPromptSubmit', cmd, 5)}"}`));
    assert.equal(codexHookKey('PermissionRequest'), '/<session-flags>/config.toml:permission_request:0:0');
    // The hash of {event_name, hooks: [{async, command, timeout, type}]}, keys sorted, compact: what Codex 0.169 computes.
    assert.equal(codexHookHash('Stop', 'echo hi', 5), `sha256:${createHash('sha256').update('{"event_name":"stop","hooks":[{"async":false,"command":"echo hi","timeout":5,"type":"command"}]}').digest('hex')}`);
    assert.notEqual(codexHookHash('Stop', 'echo hi', 5), codexHookHash('Stop', 'echo ho', 5), 'another command is another hook: not trusted');
    // Codex runs SessionStart with the first prompt, right before UserPromptSubmit: no idle in between.
    assert.equal(reportForHook({ hook_event_name: 'SessionStart', source: 'startup' }, 'codex'), null);
    assert.deepEqual(reportForHook({ hook_event_name: 'Stop', last_assistant_message: 'ok' }, 'codex'), { state: 'idle', reason: 'ok' });
  });
});

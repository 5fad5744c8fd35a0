import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotifyCommand } from '../../src/core/status/notify-command.js';
import { waitUntil } from '../helpers/wait-until.js';
import { attentionText } from '../../src/core/status/status-hub.js';

test('notify.command runs with the agent and text as $1 $2, rate-limited, counting what it left out', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flower-notify-'));
  try {
    const out = path.join(dir, 'out');
    const n = new NotifyCommand(() => ({ command: `printf '%s|%s\\n' "$1" "$2" >> ${out}`, commandIntervalMs: 10_000 }), (m) => assert.fail(m));
    assert.equal(n.fire('lane/cc', 'lane/cc needs permission: Bash(rm -rf $HOME)', 0), true);
    assert.equal(n.fire('lane/x', 'second', 5_000), false, 'within the interval: left out');
    assert.equal(n.fire('lane/y', 'third', 20_000), true);
    await waitUntil(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length >= 3);
    assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').sort(), ['lane/cc|lane/cc needs permission: Bash(rm -rf $HOME)', 'lane/y|third (+1 more)']);
    assert.equal(new NotifyCommand(() => ({ command: null, commandIntervalMs: 0 }), () => {}).fire('a', 'b'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('attention text names what is wanted', () => {
  assert.equal(attentionText('permission: Bash(npm publish)'), 'needs permission: Bash(npm publish)');
  assert.equal(attentionText('question: Which DB?'), 'has a question: Which DB?');
  assert.equal(attentionText(null), 'needs you');
});

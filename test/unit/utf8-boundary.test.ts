import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeUtf8Length } from '../../src/core/agents/utf8-boundary.js';

test('whole characters pass through whole', () => {
  for (const s of ['', 'abc', 'é', '日本', '🌸', 'a🌸b日']) {
    const b = Buffer.from(s, 'utf8');
    assert.equal(completeUtf8Length(b), b.length, s);
  }
});

test('a character cut at any byte is held back from its lead byte', () => {
  for (const ch of ['é', '日', '🌸']) {
    const whole = Buffer.from('ab' + ch, 'utf8');
    for (let cut = 3; cut < whole.length; cut++) {
      assert.equal(completeUtf8Length(whole.subarray(0, cut)), 2, `${ch} cut at ${cut}`);
    }
  }
});

test('splitting every stream at every byte and reassembling with the held-back tail loses nothing', () => {
  const text = 'héllo 日本語 🌸🌷 done\r\n'.repeat(3);
  const bytes = Buffer.from(text, 'utf8');
  for (let size = 1; size <= 7; size++) {
    let held = Buffer.alloc(0);
    let out = '';
    for (let i = 0; i < bytes.length; i += size) {
      const chunk = Buffer.concat([held, bytes.subarray(i, i + size)]);
      const k = completeUtf8Length(chunk);
      // each emitted piece decodes on its own, with no replacement characters
      const piece = chunk.subarray(0, k).toString('utf8');
      assert.ok(!piece.includes('\ufffd'), `size ${size}`);
      out += piece;
      held = Buffer.from(chunk.subarray(k));
    }
    out += held.toString('utf8');
    assert.equal(out, text);
  }
});

test('malformed input is passed on rather than held forever', () => {
  assert.equal(completeUtf8Length(Buffer.from([0x61, 0x80, 0x80, 0x80])), 4);
  assert.equal(completeUtf8Length(Buffer.from([0xff])), 1);
});

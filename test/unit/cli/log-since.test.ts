/** `log --since`: relative and absolute times. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from '../../../src/cli/commands/log-command.js';
import { FlowerError } from '../../../src/shared/errors.js';

describe('parseSince', () => {
  const now = Date.parse('2026-05-10T12:00:00.000Z');
  test('relative: s, m, h, d, w (spaces allowed)', () => {
    assert.equal(parseSince('30s', now).toISOString(), '2026-05-10T11:59:30.000Z');
    assert.equal(parseSince('10m', now).toISOString(), '2026-05-10T11:50:00.000Z');
    assert.equal(parseSince('2h', now).toISOString(), '2026-05-10T10:00:00.000Z');
    assert.equal(parseSince('1d', now).toISOString(), '2026-05-09T12:00:00.000Z');
    assert.equal(parseSince('1w', now).toISOString(), '2026-05-03T12:00:00.000Z');
    assert.equal(parseSince(' 5 m ', now).toISOString(), '2026-05-10T11:55:00.000Z');
  });
  test('absolute dates', () => {
    assert.equal(parseSince('2026-11-21T10:00:00Z', now).toISOString(), '2026-11-21T10:00:00.000Z');
    assert.equal(parseSince('2026-11-21', now).toISOString(), '2026-11-21T00:00:00.000Z');
  });
  test('nonsense → a bad-usage FlowerError naming the input', () => {
    for (const bad of ['yesterday-ish', '10x', '']) {
      assert.throws(() => parseSince(bad, now), (e: unknown) => e instanceof FlowerError && e.code === 'bad-usage' && e.message.includes(`"${bad}"`), bad);
    }
  });
});

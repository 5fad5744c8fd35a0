import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostLink } from '../../src/client/host-link.js';
import { FlowerError } from '../../src/shared/errors.js';
import { waitUntil } from '../helpers/wait-until.js';
import type { HostLinkView } from '../../src/core/types.js';

const CONFIG = { ssh: 'box', repo: '/srv/shop', command: 'flower-tui', sshArgs: [] };

function link(fail: () => Error, delays: number[]) {
  const seen: HostLinkView[] = [];
  let attempts = 0;
  const l = new HostLink('box', CONFIG, {
    connect: async () => {
      attempts++;
      throw fail();
    },
    scrollback: 100,
    changed: () => seen.push(l.view),
    event: () => {},
    delays,
  });
  return { l, seen, attempts: () => attempts };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a host out of reach is tried again, with longer waits, and said in one line meanwhile', async () => {
  const { l, seen, attempts } = link(() => new FlowerError('host-unreachable', 'box: cannot reach box over ssh (Connection refused)'), [5, 10, 40]);
  l.start();
  await waitUntil(() => attempts() >= 3, { timeoutMs: 10_000, what: 'three attempts' });
  l.close();
  const n = attempts();
  const last = seen.at(-1)!;
  assert.equal(last.state, 'unreachable');
  assert.equal(last.message, 'box: cannot reach box over ssh (Connection refused)');
  assert.ok(last.retryAt !== null, 'the next attempt is planned (and shown as a countdown)');
  await settle(100);
  assert.equal(attempts(), n, 'closed: no more attempts');
});

test('a host of another protocol version, or not a clone of the project, is not retried', async () => {
  for (const e of [new FlowerError('protocol-mismatch', 'box: server speaks protocol 9'), new FlowerError('host-unreachable', 'box: /srv/x is not a clone of this project (no commit in common with /r): fix hosts.box.repo')]) {
    const { l, seen, attempts } = link(() => e, [5]);
    l.start();
    await waitUntil(() => seen.length > 0, { timeoutMs: 10_000, what: 'the first attempt' });
    await settle(60);
    l.close();
    assert.equal(attempts(), 1, e.message);
    assert.deepEqual(seen.at(-1), { name: 'box', state: 'unreachable', message: e.message, retryAt: null });
  }
});

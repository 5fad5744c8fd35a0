import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteLaneRef, resolveRemoteLane, splitRemoteLane } from '../../src/core/merge/remote-lane.js';
import { isFlowerError } from '../../src/shared/errors.js';

const box = { ssh: 'me@box', repo: '/srv/shop', command: 'flower-tui', sshArgs: [] };

test('box:LANE names a lane on a host; a local name does not', () => {
  assert.deepEqual(splitRemoteLane('box:feature-x'), { host: 'box', lane: 'feature-x' });
  for (const local of ['feature-x', ':x', 'box:', '/srv/lanes/feature-x']) assert.equal(splitRemoteLane(local), null, local);
  assert.equal(remoteLaneRef('box', 'feature-x'), 'refs/flower/remote/box/feature-x');
});

test('a remote lane resolves against the configured hosts, in one line when it cannot', () => {
  assert.deepEqual(resolveRemoteLane('box:feature-x', { box }), { name: 'box:feature-x', hostName: 'box', host: box, lane: 'feature-x', ref: 'refs/flower/remote/box/feature-x' });
  assert.equal(resolveRemoteLane('feature-x', { box }), null);
  assert.throws(() => resolveRemoteLane('gpu:feature-x', { box }), (e) => isFlowerError(e) && e.message === 'no host "gpu" in the config for gpu:feature-x (hosts: box)');
  assert.throws(() => resolveRemoteLane('constructor:x', {}), (e) => isFlowerError(e) && /no host "constructor"/.test(e.message));
  // What becomes part of a ref here follows the lane name rules.
  for (const bad of ['box:../x', 'box:a..b', 'box:x.lock', 'box:-x', 'box:a b', 'box:x/y'])
    assert.throws(() => resolveRemoteLane(bad, { box }), (e) => isFlowerError(e) && e.code === 'bad-usage', bad);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jemallocPath, restoreUserAllocatorEnv, SAVED_ALLOCATOR_ENV, serverAllocatorEnv } from '../../src/protocol/server-allocator.js';

const LIB = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

test('jemalloc is found where the distributions put it, unless FLOWER_ALLOCATOR=system or not on Linux', () => {
  assert.equal(jemallocPath({}, (p) => p === '/usr/lib64/libjemalloc.so.2', 'linux'), '/usr/lib64/libjemalloc.so.2');
  assert.equal(jemallocPath({}, () => false, 'linux'), null);
  assert.equal(jemallocPath({ FLOWER_ALLOCATOR: 'system' }, () => true, 'linux'), null);
  assert.equal(jemallocPath({}, () => true, 'darwin'), null);
});

test("the server's environment preloads it; the user's own values come back in the server", () => {
  const user = { HOME: '/h', LD_PRELOAD: '/opt/mine.so', MALLOC_CONF: 'narenas:2' };
  const env = serverAllocatorEnv(user, LIB);
  assert.equal(env.LD_PRELOAD, `${LIB}:/opt/mine.so`);
  assert.equal(env.MALLOC_CONF, 'narenas:2');
  assert.equal(user.LD_PRELOAD, '/opt/mine.so', 'the starter\'s own env is untouched');
  restoreUserAllocatorEnv(env);
  assert.deepEqual(env, user);

  const bare = serverAllocatorEnv({ HOME: '/h' }, LIB);
  assert.equal(bare.LD_PRELOAD, LIB);
  assert.match(bare.MALLOC_CONF!, /dirty_decay_ms:1000/);
  restoreUserAllocatorEnv(bare);
  assert.deepEqual(bare, { HOME: '/h' });
});

test('without the library nothing changes, and a server started without the mark leaves its env alone', () => {
  const env = { HOME: '/h', LD_PRELOAD: '/opt/mine.so' };
  assert.equal(serverAllocatorEnv(env, null), env);
  restoreUserAllocatorEnv(env);
  assert.deepEqual(env, { HOME: '/h', LD_PRELOAD: '/opt/mine.so' });
  const broken: NodeJS.ProcessEnv = { LD_PRELOAD: LIB, MALLOC_CONF: 'x', [SAVED_ALLOCATOR_ENV]: '{not json' };
  restoreUserAllocatorEnv(broken);
  assert.deepEqual(broken, {});
});

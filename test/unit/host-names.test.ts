import { test } from 'node:test';
import assert from 'node:assert/strict';
import { briefReplyOnHost, hostOf, mergeHosts, routeCommand } from '../../src/client/host-names.js';
import { hostDown, hostLinkLine } from '../../src/ui/host-status.js';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import type { HostLinkView } from '../../src/core/types.js';

const HOSTS = new Set(['box', 'gpu']);

test('a cockpit name is on a host only when that host is configured', () => {
  assert.deepEqual(hostOf('box:feature/claude', HOSTS), { host: 'box', local: 'feature/claude' });
  assert.equal(hostOf('feature/claude', HOSTS), null);
  assert.equal(hostOf('elsewhere:feature', HOSTS), null, 'an unknown prefix is not a host');
  assert.equal(hostOf(':feature', HOSTS), null);
});

test('commands go to the server owning what they name, in its own names', () => {
  assert.deepEqual(routeCommand({ type: 'input', agent: 'box:far/sh', data: 'x' }, HOSTS), { host: 'box', cmd: { type: 'input', agent: 'far/sh', data: 'x' } });
  assert.deepEqual(routeCommand({ type: 'spawn', worktree: 'gpu:train', profile: 'shell' }, HOSTS), { host: 'gpu', cmd: { type: 'spawn', worktree: 'train', profile: 'shell' } });
  assert.deepEqual(routeCommand({ type: 'removeWorktree', name: 'box:far', force: false }, HOSTS).cmd, { type: 'removeWorktree', name: 'far', force: false });
  assert.equal(routeCommand({ type: 'kill', agent: 'near/sh' }, HOSTS).host, null, "this machine's own");
  // Merges stay a MAIN operation: this machine's server gates on the host and fetches the lane.
  for (const cmd of [{ type: 'merge', worktree: 'box:far' }, { type: 'mergePreview', worktree: 'box:far' }, { type: 'diff', worktree: 'box:far' }, { type: 'queue', op: 'ready', lane: 'box:far' }] as const)
    assert.deepEqual(routeCommand(cmd, HOSTS), { host: null, cmd });
  assert.deepEqual(routeCommand({ type: 'restore', agents: ['box:a/x', 'near/y', 'box:b/z'] }, HOSTS), { host: 'box', cmd: { type: 'restore', agents: ['a/x', 'b/z'] } });
  assert.deepEqual(routeCommand({ type: 'restore', agents: ['near/y', 'box:a/x'] }, HOSTS), { host: null, cmd: { type: 'restore', agents: ['near/y'] } });
});

test("a host's lanes and agents join this machine's, renamed; its MAIN does not", () => {
  const here = fakeSnapshot({ near: ['sh'] });
  const there = fakeSnapshot({ far: ['sh'] });
  const links: HostLinkView[] = [{ name: 'box', state: 'connected', message: null, retryAt: null }];
  const merged = mergeHosts(here, [{ name: 'box', last: there }, { name: 'gpu', last: null }], links);
  assert.deepEqual(merged.worktrees.map((w) => [w.name, w.host ?? null]), [['MAIN', null], ['near', null], ['box:far', 'box']]);
  assert.deepEqual(merged.agents.map((a) => [a.id, a.worktree]), [['near/sh', 'near'], ['box:far/sh', 'box:far']]);
  assert.equal(merged.main, here.main);
  assert.deepEqual(merged.hosts, links);
});

test('a host that is down is said in one line, with its countdown; its lanes are greyed', () => {
  const now = 1_000_000;
  assert.equal(hostLinkLine({ name: 'box', state: 'connected', message: null, retryAt: null }, now), null);
  assert.equal(hostLinkLine({ name: 'box', state: 'disconnected', message: 'box: disconnected', retryAt: now + 2600 }, now), 'box: disconnected — reconnecting (3s)');
  assert.equal(hostLinkLine({ name: 'gpu', state: 'unreachable', message: 'gpu: cannot reach gpu over ssh (timeout)', retryAt: now + 30_000 }, now), 'gpu: cannot reach gpu over ssh (timeout) — retrying (30s)');
  assert.equal(hostLinkLine({ name: 'gpu', state: 'unreachable', message: 'gpu: /srv/x is not a clone of this project', retryAt: null }, now), 'gpu: /srv/x is not a clone of this project');
  const snap = { ...mergeHosts(fakeSnapshot({}), [{ name: 'box', last: fakeSnapshot({ far: [] }) }], [{ name: 'box', state: 'disconnected', message: null, retryAt: null }]) };
  assert.equal(hostDown(snap, snap.worktrees.find((w) => w.name === 'box:far'))?.name, 'box');
  assert.equal(hostDown(snap, snap.worktrees.find((w) => w.name === 'MAIN')), null);
});

test('briefs: a host\'s are marked with it; a command for one goes to its server in its names', () => {
  const there = { ...fakeSnapshot({ far: ['sh'] }), briefs: [{ id: 3, title: 'x', lane: 'far', agent: 'far/sh', unclaimed: false } as never] };
  const merged = mergeHosts(fakeSnapshot({}), [{ name: 'box', last: there }], []);
  assert.deepEqual(merged.briefs.map((b) => [b.host, b.id, b.lane, b.agent]), [['box', 3, 'box:far', 'box:far/sh']]);
  assert.deepEqual(routeCommand({ type: 'brief', op: 'show', id: 3, host: 'box' }, HOSTS), { host: 'box', cmd: { type: 'brief', op: 'show', id: 3 } });
  assert.deepEqual(routeCommand({ type: 'brief', op: 'dispatch', id: 3, host: 'box', lane: 'box:far', agent: 'box:far/sh' }, HOSTS), { host: 'box', cmd: { type: 'brief', op: 'dispatch', id: 3, lane: 'far', agent: 'far/sh' } });
  assert.equal(routeCommand({ type: 'brief', op: 'show', id: 3 }, HOSTS).host, null, "this machine's brief");
  const reply = briefReplyOnHost('box', { brief: { id: 3, lane: 'far', agent: null }, trace: [] } as never) as { brief: { host: string; lane: string }; trace: unknown[] };
  assert.deepEqual([reply.brief.host, reply.brief.lane, reply.trace], ['box', 'box:far', []]);
});

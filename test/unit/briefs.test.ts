import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { briefTrailers, isUnclaimed, parseBriefId, refuseTransition, type Brief } from '../../src/core/briefs/brief.js';
import { briefPacket } from '../../src/core/briefs/brief-packet.js';
import { linksToAdd } from '../../src/core/briefs/brief-links.js';
import { BriefLinks } from '../../src/core/briefs/brief-linking.js';
import { BriefStore } from '../../src/core/briefs/brief-store.js';
import { makeRepo } from '../helpers/git-repo.js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ephemeralLaneName } from '../../src/core/briefs/brief-rules.js';

function brief(over: Partial<Brief> = {}): Brief {
  const now = new Date(0).toISOString();
  return { id: 1, title: 'T', spec: '', status: 'planned', reason: null, lane: null, agent: null, ephemeral: null, served: false, profile: null, auto: false, createdAt: now, updatedAt: now, dispatchedAt: null, claimedAt: null, packet: null, links: [], notes: [], ...over };
}

describe('brief model', () => {
  test('transitions: the pipeline order, closed is final, merged only closes', () => {
    assert.equal(refuseTransition(brief(), 'dispatched'), null);
    assert.equal(refuseTransition(brief({ status: 'claimed' }), 'ready'), null);
    assert.equal(refuseTransition(brief({ status: 'ready' }), 'merged'), null);
    assert.equal(refuseTransition(brief({ status: 'planned' }), 'ready'), '#1 is planned: it cannot become ready');
    assert.equal(refuseTransition(brief({ status: 'planned' }), 'merged'), '#1 is planned: it cannot become merged');
    assert.equal(refuseTransition(brief({ status: 'merged' }), 'dispatched'), '#1 is merged: it cannot become dispatched');
    assert.equal(refuseTransition(brief({ status: 'closed' }), 'claimed'), '#1 is closed');
    assert.equal(refuseTransition(brief({ status: 'merged' }), 'closed'), null);
  });

  test('ids and trailers', () => {
    assert.equal(parseBriefId('#12'), 12);
    assert.equal(parseBriefId(' 7 '), 7);
    assert.equal(parseBriefId('12a'), null);
    assert.equal(parseBriefId('-1'), null);
    assert.deepEqual(briefTrailers('fix\n\nBrief: #3\nbrief: 4\nSigned-off-by: x\nBrief: #3'), [3, 4]);
    assert.deepEqual(briefTrailers('mentions Brief: #3 in a sentence'), []);
  });

  test('unclaimed only after the claim timeout, only while dispatched', () => {
    const b = brief({ status: 'dispatched', dispatchedAt: new Date(1000).toISOString() });
    assert.equal(isUnclaimed(b, 1000 + 59_999, 60_000), false);
    assert.equal(isUnclaimed(b, 1000 + 60_000, 60_000), true);
    assert.equal(isUnclaimed({ ...b, status: 'claimed' }, 1e12, 60_000), false);
  });

  test('the packet names the brief, the lane, the branch and how to report back', () => {
    const p = briefPacket(brief({ id: 5, title: 'Move design', spec: '  Do it.\n' }), { lane: 'design', branch: 'lane/design', agent: 'design/claude' });
    assert.match(p, /^# Brief #5: Move design\n/);
    assert.match(p, /You are design\/claude, working in lane design \(branch lane\/design\)/);
    assert.match(p, /\n\nDo it\.\n/);
    assert.match(p, /flower-tui brief claim 5/);
    assert.match(p, /Brief: #5/);
    assert.match(p, /flower-tui brief done 5/);
    assert.match(briefPacket(brief(), { lane: 'x', branch: null, agent: 'x/a' }), /\(no spec: the title is the brief\)/);
  });

  test('ephemeral lane names are valid lane names', () => {
    assert.equal(ephemeralLaneName(12, 'Move design off MAIN!'), 'brief-12-move-design-off-main');
    assert.equal(ephemeralLaneName(3, '¿¿'), 'brief-3');
    assert.ok(ephemeralLaneName(4, 'a'.repeat(100)).length <= 63);
  });
});

describe('auto-link', () => {
  const commit = (sha: string, time: number, message: string) => ({ sha: sha.padEnd(40, '0'), subject: message.split('\n')[0]!, message, time });
  test('a trailer links to its brief (any lane); a commit after a claim links to the lane\'s brief; nothing twice', () => {
    const claimed = brief({ id: 1, status: 'claimed', lane: 'a', claimedAt: new Date(10_000).toISOString() });
    const other = brief({ id: 2, status: 'claimed', lane: 'b', claimedAt: new Date(0).toISOString() });
    const planned = brief({ id: 3, status: 'planned', lane: 'a' });
    const commits = [commit('a1', 1_000, 'before the claim'), commit('a2', 20_000, 'work'), commit('a3', 21_000, 'for two\n\nBrief: #2'), commit('a4', 22_000, 'for three\n\nBrief: #3')];
    const links = linksToAdd([claimed, other, planned], 'a', commits).map((l) => [l.brief.id, l.link.subject, l.link.via]);
    assert.deepEqual(links, [
      [1, 'work', 'lane'],
      [2, 'for two', 'trailer'],
      [1, 'for two', 'lane'],
      [1, 'for three', 'lane'],
    ]);
    claimed.links.push({ kind: 'commit', sha: commits[1]!.sha, subject: 'work', via: 'lane', ts: '' });
    assert.ok(!linksToAdd([claimed], 'a', commits).some((l) => l.link.subject === 'work'), 'already linked');
  });
});

describe('MCP offered to agents', async () => {
  const { mcpArgs } = await import('../../src/core/agents/mcp-args.js');
  const profile = (source?: 'claude' | 'codex') => ({ command: 'x', args: [], env: {}, ...(source ? { usage: { source, patternKind: 'percentLeft' as const } } : {}) });
  test('only when enabled; Claude Code by --mcp-config, Codex by -c overrides, others not at all', () => {
    assert.deepEqual(mcpArgs(profile('claude') as never, false), []);
    const claude = mcpArgs(profile('claude') as never, true);
    assert.equal(claude[0], '--mcp-config');
    const cfg = JSON.parse(claude[1]!) as { mcpServers: { flower: { command: string; args: string[] } } };
    assert.equal(cfg.mcpServers.flower.command, process.execPath);
    assert.match(cfg.mcpServers.flower.args.join(' '), /bin\/flower-tui\.js mcp$/);
    const codex = mcpArgs(profile('codex') as never, true);
    assert.deepEqual([codex[0], codex[2], codex[4]], ['-c', '-c', '-c']);
    assert.equal(codex[5], 'mcp_servers.flower.default_tools_approval_mode="approve"', "flower-tui's own tools need no approval");
    assert.match(codex[1]!, /^mcp_servers\.flower\.command="/);
    assert.match(codex[3]!, /^mcp_servers\.flower\.args=\[".*flower-tui\.js","mcp"\]$/);
    assert.deepEqual(mcpArgs(profile('codex') as never, true, 'lane/cx').slice(-2), ['-c', 'mcp_servers.flower.env.FLOWER_AGENT="lane/cx"'], 'Codex does not pass its environment on to MCP servers');
    assert.deepEqual(mcpArgs(profile() as never, true), []);
  });
});

describe('refresh carries the claimed brief', async () => {
  const { renderHandoff } = await import('../../src/core/usage/handoff.js');
  const base = { agent: 'a/claude', branch: 'a', brief: null, briefFile: 'BRIEF.md', log: '', status: '', screen: [], usage: '90%', when: 'now' };
  test('the hand-off has the claimed packet first, and nothing when there is none', () => {
    const text = renderHandoff({ ...base, claimed: '# Brief #7: Do it\n\nthe spec' });
    assert.match(text, /## Your claimed brief — carry on with it \(it stays claimed by you\)\n\n# Brief #7: Do it\n\nthe spec\n/);
    assert.ok(text.indexOf('Your claimed brief') < text.indexOf("The lane's brief"));
    assert.doesNotMatch(renderHandoff(base), /claimed brief/);
  });
});

describe('brief store', async () => {
  const { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = (await import('node:path')).default;
  const { BriefStore } = await import('../../src/core/briefs/brief-store.js');
  test('written at once (0600) and read back; a corrupt file is moved aside byte for byte, ids go on', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flower-briefs-'));
    try {
      const a = BriefStore.open(dir).store;
      a.insert((id) => brief({ id, title: 'kept' }));
      const file = path.join(dir, 'briefs.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(BriefStore.open(dir).store.all().map((b) => b.title), ['kept']);
      writeFileSync(file, '{"version":1,"briefs":[{"id":');
      const o = BriefStore.open(dir, new Date('2026-03-04T05:06:07.089Z'));
      assert.equal(o.movedAside, `${file}.corrupt-2026-03-04T05-06-07-089Z`);
      assert.equal(readFileSync(o.movedAside!, 'utf8'), '{"version":1,"briefs":[{"id":');
      assert.deepEqual(o.store.all(), []);
      assert.equal(o.store.insert((id) => brief({ id })).id, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('linking reads one at a time', () => {
  test('a read asked for while another runs waits for it and reads again: its caller sees every link (done before ready)', async () => {
    const repo = makeRepo({ worktrees: ['lane-a'] });
    try {
      const lane = repo.worktreePaths['lane-a']!;
      const store = BriefStore.memory();
      const b = store.insert((id) => ({ ...brief({ id, status: 'claimed', lane: 'lane-a', claimedAt: new Date(Date.now() - 60_000).toISOString() }) }));
      writeFileSync(path.join(lane, 'work.txt'), 'work\n');
      execFileSync('git', ['-C', lane, 'add', 'work.txt']);
      execFileSync('git', ['-C', lane, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'the work']);
      const worktrees = () => [{ name: 'lane-a', path: lane, branch: 'lane-a', head: null, isMain: false, locked: false, prunable: false }];
      const links = new BriefLinks(store, { worktrees, mainBranch: () => 'main', changed: () => {} }, { trace: () => {}, move: (x) => x });
      const first = links.sync([b]); // git moved: a read starts
      await links.sync([b]); // `brief done`: must not return before the links are there
      assert.deepEqual(store.all()[0]!.links.map((l) => l.subject), ['the work']);
      await first;
      assert.equal(store.all()[0]!.links.length, 1, 'linked once');
    } finally {
      repo.cleanup();
    }
  });
});

describe('a failed brief stays failed', async () => {
  const { BriefDesk } = await import('../../src/core/briefs/brief-desk.js');
  test('the agent it went to cannot claim it back or report it done; the operator can take it up again', async () => {
    const store = BriefStore.memory();
    const agent = { id: 'lane-a/w', worktree: 'lane-a' } as never;
    const host = {
      record: () => {}, agents: () => [agent], worktrees: () => [], laneKind: () => 'standing' as const, mainBranch: () => 'main',
      profileExists: () => true, defaultProfile: () => null, send: async () => {}, addLane: async () => ({ worktree: '', agents: [] }),
      isIdle: () => true, readTrace: () => [], claimTimeoutMs: () => 60_000, changed: () => {},
    };
    const desk = new BriefDesk(store, host);
    store.insert((id) => brief({ id, status: 'dispatched', lane: 'lane-a', agent: 'lane-a/w' }));
    await desk.execute({ type: 'brief', op: 'fail', id: 1, reason: 'wrong spec', by: 'operator' });
    await assert.rejects(desk.execute({ type: 'brief', op: 'claim', id: 1, by: 'lane-a/w' }), /#1 was failed \(wrong spec\): only the operator can take it up again/);
    await assert.rejects(desk.execute({ type: 'brief', op: 'done', id: 1, by: 'lane-a/w' }), /#1 is failed: it cannot become ready/);
    assert.equal(store.all()[0]!.status, 'failed');
    await desk.execute({ type: 'brief', op: 'claim', id: 1, agent: 'lane-a/w', by: 'operator' });
    assert.equal(store.all()[0]!.status, 'claimed');
  });
});

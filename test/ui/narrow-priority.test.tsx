import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp, type Rendered } from './render-app.js';

// Issue 13.7: at 80 columns the most important text must survive; the least important goes first.
const header = (r: Rendered, lane: number, slot = 0) => {
  const h = r.layout.lanes[lane]!.slots[slot]!.header;
  return r.textAt(h.x, h.y, h.width);
};
const title = (r: Rendered, lane: number) => {
  const rect = r.layout.lanes[lane]!.rect;
  return r.textAt(rect.x, rect.y, rect.width);
};

describe('80 columns: text by priority', () => {
  test("an agent's state, its context rot and an unclaimed brief survive; the profile and uptime go first", () => {
    const snap = fakeSnapshot();
    const a = snap.agents.find((x) => x.id === 'feature-auth/claude')!;
    a.status = { ...a.status, state: 'working', reason: 'reading src/lib/router.ts' };
    a.usage = { ...a.usage, source: 'claude', tokens: 180_000, window: 200_000, percent: 90, level: 'rot' };
    snap.briefs = [{ id: 7, title: 'Fix the login redirect', status: 'dispatched', lane: 'feature-auth', agent: 'feature-auth/claude', unclaimed: true } as never];
    const r = renderApp({ cols: 80, rows: 24, snapshot: snap, ui: { focusLane: 'design', focusAgent: 'design/codex' } });
    const h = header(r, 0);
    assert.match(h, /^ {2}claude · ● working/, h);
    assert.match(h, / · 90% ROT/, h);
    assert.doesNotMatch(h, /· claude ·/, 'the profile made room');
    // Without the rot, the unclaimed brief gets the room.
    a.usage = { ...a.usage, level: 'ok', percent: 40, tokens: 80_000 };
    assert.match(header(renderApp({ cols: 80, rows: 24, snapshot: snap, ui: { focusLane: 'design', focusAgent: 'design/codex' } }), 0), /claude · ● working .*· unclaimed #7/);
    a.usage = { ...a.usage, level: 'rot', percent: 90, tokens: 180_000 };
    // One lane at 200 columns: room for all of it.
    snap.agents = snap.agents.filter((x) => x.worktree === 'feature-auth' && x.name === 'claude');
    snap.worktrees = snap.worktrees.filter((w) => w.name !== 'design');
    const wide = header(renderApp({ cols: 200, rows: 60, snapshot: snap }), 0);
    assert.match(wide, /claude · claude · ● working 0s · reading src\/lib\/router\.ts · ctx 180k\/200k 90% ROT · unclaimed #7 Fix the login redirect ▣/, 'all of it at 200 columns');
  });

  test("the state outlives a long activity, which is cut short rather than hiding what follows", () => {
    const snap = fakeSnapshot();
    const a = snap.agents.find((x) => x.id === 'design/codex')!;
    a.name = 'reviewer';
    a.status = { ...a.status, state: 'needs-you', reason: 'permission to run npm install --save-dev typescript eslint prettier' };
    const r = renderApp({ cols: 80, rows: 24, snapshot: snap });
    const h = header(r, 1);
    assert.match(h, /reviewer · ! needs-you · permission/, h);
    assert.match(h, /…/, 'the activity is cut, with an ellipsis');
  });

  test("a lane's ahead/behind, changes and a waiting agent survive a long branch name", () => {
    const snap = fakeSnapshot();
    const wt = snap.worktrees.find((w) => w.name === 'design')!;
    wt.branch = 'flower/design-system-tokens-and-dark-mode';
    wt.lane = { lane: 'ephemeral', kind: 'served', port: 4101, ahead: 12, behind: 3, dirty: 4, setup: null };
    snap.agents.find((x) => x.id === 'design/codex')!.status.state = 'needs-you';
    const r = renderApp({ cols: 80, rows: 24, snapshot: snap });
    const t = title(r, 1);
    assert.match(t, /3 design/, t);
    assert.match(t, /↑12( ↓3| · behind MAIN by 3)/, t);
    assert.match(t, /✎ ?4/, t);
    assert.match(t, /! needs you/, t);
    const one = fakeSnapshot({ design: ['codex'] });
    one.worktrees[1] = wt;
    one.agents[0]!.status.state = 'needs-you';
    assert.match(title(renderApp({ cols: 200, rows: 60, snapshot: one }), 0), /2 design {2}⎇ flower\/design-system-tokens-and-dark-mode · ephemeral · served :4101 · ↑12 · behind MAIN by 3 · ✎ 4 changed ! needs you/);
  });

  test("MAIN's strip: a long subject is cut, the alarm and \"✓ clean\" are not", () => {
    const snap = fakeSnapshot();
    snap.main.subject = 'Merge branch feature-auth: rework the session cookie handling and the login redirect';
    const line = renderApp({ cols: 80, rows: 24, snapshot: snap }).lines[1]!;
    assert.match(line, /⎇ main abc1234 Merge branch .*… {2}✓ clean/, line);
  });
});

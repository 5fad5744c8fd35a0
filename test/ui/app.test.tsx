import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp, type Rendered } from './render-app.js';
import type { AgentState, Snapshot } from '../../src/core/types.js';

const SIZES = [
  [80, 24],
  [200, 60],
] as const;

const onLane = { focusLane: 'feature-auth', focusAgent: 'feature-auth/claude' };

function withStates(states: Record<string, AgentState>, snap: Snapshot = fakeSnapshot()): Snapshot {
  for (const [id, s] of Object.entries(states)) {
    const a = snap.agents.find((x) => x.id === id);
    assert.ok(a, id);
    a.state = s;
    // What the agent would say of itself for that process state (see Agent.setState).
    const state = s.kind === 'exited' ? 'exited' : s.kind;
    a.status = { ...a.status, state, reason: s.kind === 'exited' ? (s.signal ?? String(s.code)) : s.kind === 'failed' ? s.reason : null, source: 'process' };
  }
  return snap;
}

function frameText(r: Rendered): string {
  return r.lines.join('\n');
}

/** The display column where `needle` starts on row y, or -1. */
function colOf(r: Rendered, y: number, needle: string): number {
  const line = r.lines[y] ?? '';
  const i = line.indexOf(needle);
  return i === -1 ? -1 : stringWidth(line.slice(0, i));
}

describe('grid', () => {
  for (const [cols, rows] of SIZES) {
    describe(`${cols}x${rows}`, () => {
      const r = renderApp({ cols, rows, ui: onLane });

      test('exactly rows × cols cells', () => {
        assert.equal(r.lines.length, rows);
        r.lines.forEach((l, y) => assert.equal(stringWidth(l), cols, `row ${y}: ${JSON.stringify(l)}`));
      });

      test('MAIN strip on top, labelled read-only, with git state', () => {
        assert.equal(colOf(r, 0, '1 MAIN · read-only'), 3);
        assert.match(r.lines[0]!, /^╭─ 1 MAIN · read-only /);
        assert.match(r.lines[1]!, /⎇ main abc1234 Merge feature-x {2}✓ clean/);
        assert.match(r.lines[2]!, /^╰─+╯$/);
      });

      test('each lane\'s index and name in its top border, at the lane rectangle', () => {
        assert.equal(r.layout.lanes.length, 2);
        for (const lane of r.layout.lanes) {
          const title = ` ${lane.index} ${lane.name} `;
          assert.equal(colOf(r, lane.rect.y, title), lane.rect.x + 2, `${lane.name} title at its rect`);
        }
        assert.equal(r.layout.lanes[0]!.index, 2);
        assert.equal(r.layout.lanes[1]!.index, 3);
      });

      test('lane borders at their rectangles: focused lane bold, others round', () => {
        const [auth, design] = r.layout.lanes;
        assert.equal(r.textAt(auth!.rect.x, auth!.rect.y, 1), '┏');
        assert.equal(r.textAt(auth!.rect.x + auth!.rect.width - 1, auth!.rect.y + auth!.rect.height - 1, 1), '┛');
        assert.equal(r.textAt(design!.rect.x, design!.rect.y, 1), '╭');
        assert.equal(r.textAt(design!.rect.x + design!.rect.width - 1, design!.rect.y + design!.rect.height - 1, 1), '╯');
      });

      test('agent headers at their slots: name · profile · state; focused one marked ▸', () => {
        const slots = r.layout.lanes.flatMap((l) => l.slots);
        const expect: Record<string, string> = {
          'feature-auth/claude': '▸ claude · claude · ● running',
          'feature-auth/shell': '  shell · shell · ● running',
          'design/codex': '  codex · codex · ● running',
        };
        for (const s of slots) {
          const want = expect[s.id]!;
          assert.equal(r.textAt(s.header.x, s.header.y, want.length), want, s.id);
        }
        assert.equal((frameText(r).match(/▸/g) ?? []).length, 1, 'exactly one focus marker');
      });

      test('agent screens are left blank for the compositor', () => {
        for (const lane of r.layout.lanes)
          for (const s of lane.slots)
            for (let y = s.screen.y; y < s.screen.y + s.screen.height; y++)
              assert.equal(r.textAt(s.screen.x, y, s.screen.width).trim(), '', `${s.id} row ${y}`);
      });

      test('status line last: agent count and key hints', () => {
        const last = r.lines[rows - 1]!;
        assert.match(last, /^flower-tui · 3 agents running/);
        assert.match(last, /Enter attach · n new · .*\? help · q quit$/);
        if (cols >= 100) assert.match(last, /x kill · r respawn · \[ scroll/);
      });
    });
  }

  test('focused header has the focus colours over the whole row', () => {
    const r = renderApp({ ui: onLane });
    const slot = r.layout.lanes[0]!.slots[0]!;
    assert.match(r.rawLine(slot.header.y), /\x1b\[46m▸ claude/);
    assert.doesNotMatch(r.rawLine(r.layout.lanes[0]!.slots[1]!.header.y), /\x1b\[46m/);
  });

  test('MAIN focused: double border, no agent marker', () => {
    const r = renderApp({ ui: { focusLane: 'MAIN', focusAgent: null } });
    assert.match(r.lines[0]!, /^╔═ 1 MAIN · read-only/);
    assert.match(r.lines[2]!, /^╚═+╝$/);
    assert.doesNotMatch(frameText(r), /▸/);
    assert.equal(r.textAt(0, 3, 1), '╭', 'lanes not focused');
  });

  test("a saved config the server refused is shown in MAIN's pane, old config kept", () => {
    const snap = fakeSnapshot();
    snap.monitor.config = { file: '/r/.git/flower/config.json', problem: 'invalid config /r/.git/flower/config.json: merge.strategy: bad' };
    const r = renderApp({ snapshot: snap, mainHeight: 5 });
    assert.ok(r.lines.slice(1, 4).some((l) => /config ✗ merge\.strategy: bad — previous config kept/.test(l)), r.lines.slice(0, 5).join('\n'));
    const fine = fakeSnapshot();
    fine.monitor.config = { file: null, problem: null };
    assert.doesNotMatch(frameText(renderApp({ snapshot: fine, mainHeight: 5 })), /config ✗/);
  });

  test('MAIN dirty indicator, git errors, detached HEAD', () => {
    const dirty = fakeSnapshot();
    dirty.main.changes = 3;
    assert.match(renderApp({ snapshot: dirty }).lines[1]!, /⚠ MAIN EDITED DIRECTLY: 3 changes/);
    assert.doesNotMatch(renderApp({ snapshot: dirty }).lines[1]!, /clean/);
    const broken = fakeSnapshot();
    broken.main.error = 'not a git repository';
    assert.match(renderApp({ snapshot: broken }).lines[1]!, /git: not a git repository/);
    const detached = fakeSnapshot();
    detached.main = { branch: null, headShort: null, subject: null, changes: 0, changed: [], error: null };
    assert.match(renderApp({ snapshot: detached }).lines[1]!, /⎇ \(detached\) \(no commits\)/);
  });

  test('lane whose branch differs from its name shows the branch; a missing worktree says so', () => {
    const snap = fakeSnapshot();
    snap.worktrees[1]!.branch = 'feat/auth-v2';
    snap.worktrees[2]!.prunable = true;
    const r = renderApp({ snapshot: snap });
    const [auth, design] = r.layout.lanes;
    assert.match(r.lines[auth!.rect.y]!, / 2 feature-auth  ⎇ feat\/auth-v2/);
    assert.match(r.lines[design!.rect.y]!, / 3 design  \(worktree missing\)/);
  });
});

describe('agent states in headers', () => {
  const cases: [AgentState, string][] = [
    [{ kind: 'starting' }, '◌ starting 0s'],
    [{ kind: 'running' }, '● running ▣'], // only known to be alive: no duration (header-clock.ts)
    [{ kind: 'exited', code: 0, signal: null }, '○ exited 0 <1m'],
    [{ kind: 'exited', code: 1, signal: null }, '○ exited 1 <1m'],
    [{ kind: 'exited', code: 0, signal: 'SIGTERM' }, '○ exited SIGTERM <1m'],
    [{ kind: 'killed' }, '○ killed <1m'],
    [{ kind: 'failed', reason: 'command not found: x' }, '✗ failed: command not found: x <1m'],
  ];
  for (const [state, label] of cases) {
    test(label, () => {
      const r = renderApp({ cols: 200, rows: 60, snapshot: withStates({ 'design/codex': state }), ui: onLane });
      const slot = r.layout.lanes[1]!.slots[0]!;
      const want = `  codex · codex · ${label}`;
      assert.equal(r.textAt(slot.header.x, slot.header.y, want.length), want);
    });
  }

  test('state colours: running green, exited 1 red, exited 0 grey, failed red', () => {
    const snap = withStates({ 'feature-auth/shell': { kind: 'exited', code: 1, signal: null }, 'design/codex': { kind: 'failed', reason: 'boom' } });
    const r = renderApp({ cols: 200, rows: 60, snapshot: snap, ui: { focusLane: 'MAIN', focusAgent: null } });
    const [claude, shell] = r.layout.lanes[0]!.slots;
    const codex = r.layout.lanes[1]!.slots[0]!;
    assert.match(r.rawLine(claude!.header.y), /\x1b\[32m● running/);
    assert.match(r.rawLine(shell!.header.y), /\x1b\[31m○ exited 1/);
    assert.match(r.rawLine(codex.header.y), /\x1b\[31m✗ failed: boom/);
    const ok = renderApp({ snapshot: withStates({ 'design/codex': { kind: 'exited', code: 0, signal: null } }), ui: { focusLane: 'MAIN', focusAgent: null } });
    assert.match(ok.rawLine(ok.layout.lanes[1]!.slots[0]!.header.y), /\x1b\[90m · codex · ○ exited 0/, 'grey like its separators, not red');
  });

  test('status line counts only live agents', () => {
    const snap = withStates({ 'feature-auth/shell': { kind: 'killed' }, 'design/codex': { kind: 'starting' } });
    assert.match(renderApp({ snapshot: snap }).lines[23]!, /2 agents running/);
    const one = withStates({ 'feature-auth/shell': { kind: 'killed' }, 'design/codex': { kind: 'killed' } });
    assert.match(renderApp({ snapshot: one }).lines[23]!, /1 agent running/);
  });

  test('scroll mode shows in the header: depth, bottom, search', () => {
    const ui = { ...onLane, scroll: { agent: 'feature-auth/claude', top: 0, editing: false, query: '', matches: [], current: -1 } };
    const hdr = (r: Rendered) => r.lines[r.layout.lanes[0]!.slots[0]!.header.y]!;
    const wide = { cols: 200, rows: 60 };
    assert.match(hdr(renderApp({ ...wide, ui, scrollDepth: () => 12 })), /● running · scroll −12/);
    assert.match(hdr(renderApp({ ...wide, ui, scrollDepth: () => 0 })), /● running · scroll \(bottom\)/);
    assert.match(hdr(renderApp({ ...wide, ui: { ...ui, scroll: { ...ui.scroll, editing: true } } })), /● running · search/);
    // A narrow lane keeps the mode and the state; the profile goes first (and nothing wraps into the screen).
    const narrow = renderApp({ ui, scrollDepth: () => 12 });
    assert.match(hdr(narrow), /▸ claude · ● running · scroll −12( ▣)? *┃/);
    assert.equal(narrow.textAt(narrow.layout.lanes[0]!.slots[0]!.screen.x, narrow.layout.lanes[0]!.slots[0]!.screen.y, 38).trim(), '');
    const other = renderApp({ ...wide, ui, scrollDepth: () => 12 });
    const codex = other.layout.lanes[1]!.slots[0]!.header;
    assert.equal(other.textAt(codex.x, codex.y, codex.width).trim(), 'codex · codex · ● running ▣', 'only the scrolled agent says so (the lock: it is sandboxed)');
  });
});

describe('hints', () => {
  test('empty lane: how to start an agent, with the configured key', async () => {
    const snap = fakeSnapshot({ 'feature-auth': ['claude'], empty: [] });
    const r = renderApp({ snapshot: snap });
    const lane = r.layout.lanes[1]!;
    assert.equal(r.textAt(lane.rect.x + 2, lane.rect.y + 1, 16), 'No agents here. ');
    assert.match(frameText(r).replace(/[│\n ]+/g, ' '), /No agents here\. Press n \(or Enter\) to start one\./);
    const { buildKeymap } = await import('../../src/ui/keymap.js');
    const remapped = renderApp({ snapshot: snap, keymap: buildKeymap({ newAgent: 'a' }) });
    assert.match(frameText(remapped).replace(/[│\n ]+/g, ' '), /Press a \(or Enter\)/);
  });

  for (const [cols, rows] of SIZES) {
    test(`no worktrees at ${cols}x${rows}: explains how to create one`, () => {
      const r = renderApp({ cols, rows, snapshot: fakeSnapshot({}) });
      const text = frameText(r).replace(/\s+/g, ' ');
      assert.match(text, /No worktrees yet — all work happens in worktrees, never in MAIN\./);
      assert.match(text, /git worktree add \.\.\/<name> -b <branch>/);
      assert.match(r.lines[rows - 1]!, /0 agents running/);
      assert.ok(r.lines.slice(3).some((l) => l.startsWith('  No worktrees yet')), 'hint inside the lane area');
    });
  }

  const many = () => fakeSnapshot(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`w${i}`, ['sh']])));

  test('lanes off-screen are counted in the status line', () => {
    const r = renderApp({ snapshot: many() });
    const hidden = r.layout.hiddenBefore + r.layout.hiddenAfter;
    assert.equal(hidden, 3, '9 of 12 lanes fit at 80x24');
    assert.match(r.lines[23]!, / · 3 panes/);
    assert.doesNotMatch(renderApp({ cols: 200, rows: 60, snapshot: many() }).lines[59]!, /off-screen/);
    const eighty = fakeSnapshot(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`w${i}`, ['sh']])));
    const wide = renderApp({ cols: 200, rows: 60, snapshot: eighty });
    const h = wide.layout.hiddenBefore + wide.layout.hiddenAfter;
    assert.equal(h, 8, '72 of 80 lanes fit at 200x60');
    assert.match(wide.lines[59]!, new RegExp(`· ${h} panes off-screen \\(← →\\)`));
  });

  test(
    'at 80x24 the off-screen hint is shown whole, with how to reach the lanes',
    () => {
      const r = renderApp({ snapshot: many() });
      assert.match(r.lines[23]!, /3 panes off-screen \(← →\)/);
    },
  );

  test('lanes past 9 have no number in their title (digits reach 9 only)', () => {
    const snap = fakeSnapshot(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`w${String.fromCharCode(97 + i)}`, ['sh']])));
    const r = renderApp({ cols: 200, rows: 60, snapshot: snap });
    for (const lane of r.layout.lanes) {
      const title = r.textAt(lane.rect.x + 2, lane.rect.y, lane.name.length + 5);
      if (lane.index <= 9) assert.ok(title.startsWith(` ${lane.index} ${lane.name} `), `${lane.index}: ${title}`);
      else assert.ok(title.startsWith(` ${lane.name} `), `${lane.index}: ${title}`);
    }
    assert.equal(r.layout.lanes.at(-1)!.index, 13);
  });

  test('lane with more agents than fit: +N more in its title, focused agent shown', () => {
    const snap = fakeSnapshot({ a: ['1', '2', '3', '4'], b: ['1'], c: ['1'], d: ['1'], e: ['1'] });
    const r = renderApp({ snapshot: snap, ui: { focusLane: 'a', focusAgent: 'a/4' } });
    const lane = r.layout.lanes[0]!;
    assert.ok(lane.hiddenAgents > 0, 'agents hidden');
    assert.match(r.lines[lane.rect.y]!, new RegExp(` 2 a  \\+${lane.hiddenAgents} more`));
    assert.match(frameText(r), /▸ 4 · 4 · ● running/);
  });
});

describe('status line', () => {
  test('a message replaces the summary; errors are red', () => {
    const info = renderApp({ ui: { ...onLane, message: { text: 'detached from feature-auth/claude', level: 'info' } } });
    assert.match(info.lines[23]!, /^detached from feature-auth\/claude/);
    assert.doesNotMatch(info.lines[23]!, /agents running/);
    const err = renderApp({ ui: { ...onLane, message: { text: 'spawn failed: ENOENT', level: 'error' } } });
    assert.match(err.rawLine(23), /\x1b\[31mspawn failed: ENOENT/);
  });

  test('with a message only the help key is hinted; a long message is truncated, the hint stays', () => {
    const short = renderApp({ ui: { ...onLane, message: { text: 'hello', level: 'info' } } });
    assert.match(short.lines[23]!, /^hello +\? help$/);
    const r = renderApp({ ui: { ...onLane, message: { text: 'x'.repeat(200), level: 'info' } } });
    assert.equal(stringWidth(r.lines[23]!), 80);
    assert.match(r.lines[23]!, /^x+… \? help$/);
  });

  test('hints follow remapped keys', async () => {
    const { buildKeymap } = await import('../../src/ui/keymap.js');
    const keymap = buildKeymap({ attach: 'o', newAgent: 'a', help: 'f1', quit: 'ctrl-x', kill: 'K', scroll: 'pageup' });
    const narrow = renderApp({ keymap });
    assert.match(narrow.lines[23]!, /o attach · a new · F1 help · Ctrl-X quit$/);
    const wide = renderApp({ cols: 200, rows: 60, keymap });
    assert.match(wide.lines[59]!, /o attach · a new · K kill · r respawn · PgUp scroll · F1 help · Ctrl-X quit$/);
  });

  test('scroll mode: SCROLL <agent> and scroll keys; search prompt while typing', () => {
    const scroll = { agent: 'feature-auth/claude', top: 3, editing: false, query: '', matches: [], current: -1 };
    const r = renderApp({ ui: { ...onLane, scroll } });
    assert.match(r.lines[23]!, /^SCROLL feature-auth\/claude/);
    assert.match(r.lines[23]!, /↑↓ PgUp PgDn g G · \/ search · Esc live$/);
    const typing = renderApp({ ui: { ...onLane, scroll: { ...scroll, editing: true, query: 'needle' } } });
    assert.match(typing.lines[23]!, /^search: needle /);
    assert.match(typing.lines[23]!, /Enter search · Esc cancel$/);
    const found = renderApp({ ui: { ...onLane, scroll, message: { text: 'match 2/5 — n older · N newer', level: 'info' } } });
    assert.match(found.lines[23]!, /^match 2\/5 — n older · N newer/);
  });

  test('very narrow terminal: only the help hint', () => {
    const r = renderApp({ cols: 50, rows: 20 });
    assert.match(r.lines[19]!, / \? help$/);
    assert.doesNotMatch(r.lines[19]!, /attach/);
  });
});

describe('too small', () => {
  for (const [cols, rows] of [
    [39, 24],
    [80, 11],
  ] as const) {
    test(`${cols}x${rows}: says so, with the minimum, and nothing else`, () => {
      const r = renderApp({ cols, rows });
      const text = frameText(r).replace(/\s+/g, ' ');
      assert.match(text, new RegExp(`Terminal too small \\(${cols}×${rows}\\): flower-tui needs at least 40×12\\.`));
      assert.match(text, /press q to quit/);
      assert.doesNotMatch(text, /MAIN/);
      assert.doesNotMatch(text, /feature-auth/);
    });
  }
});

/**
 * The merge chrome without a process: the preview (`m`), the pipeline dialog, the diff view (`d`)
 * and MAIN's monitor pane rendered with ink-testing-library; then the keys that drive them.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { stripVTControlCharacters } from 'node:util';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { DiffView } from '../../src/ui/dialogs/diff.js';
import { MergePreviewView } from '../../src/ui/dialogs/merge-preview.js';
import { MergeProgressView } from '../../src/ui/dialogs/merge.js';
import { MainPane } from '../../src/ui/components/MainPane.js';
import type { MergePreview } from '../../src/core/merge/merge-preview.js';
import type { MergeView } from '../../src/core/merge/merge-view.js';
import type { MergeResult } from '../../src/core/merge/merge-pipeline.js';
import type { Snapshot } from '../../src/core/types.js';
import type { Rect } from '../../src/layout/layout.js';
import { computeLayout } from '../../src/layout/layout.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import { handleKey, type Effect, type KeyContext } from '../../src/ui/input/grid-keys.js';
import { tokenizeKeys } from '../../src/ui/input/key-tokens.js';
import { initialUiState, lanesOf, MAIN_LANE, type Dialog, type UiState } from '../../src/ui/ui-state.js';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';

// ---- rendering helpers -----------------------------------------------------------------------

/**
 * The frame as plain rows (ink-testing-library draws 100 columns wide). The views are absolutely
 * positioned, as in the cockpit: a root box of the screen's size holds them.
 */
function frame(el: React.ReactElement, rows = 40): string[] {
  const r = render(
    <Box width={100} height={rows}>
      {el}
    </Box>,
  );
  const out = stripVTControlCharacters(r.lastFrame() ?? '').split('\n');
  r.unmount();
  return out;
}

/** The rows inside a Frame's round border, trimmed (the border and the padding removed). */
function inner(lines: string[]): string[] {
  return lines
    .filter((l) => l.includes('│'))
    .map((l) => {
      const a = l.indexOf('│');
      const b = l.lastIndexOf('│');
      return l.slice(a + 1, b).trim();
    });
}

function preview(over: Partial<MergePreview> = {}): MergePreview {
  return {
    worktree: 'feat',
    branch: 'feat',
    branchSha: 'b'.repeat(40),
    mainBranch: 'main',
    mainSha: 'a'.repeat(40),
    commits: ['1111111 Add login form', '2222222 Validate the password'],
    stat: ' src/login.ts | 40 ++++\n 2 files changed, 40 insertions(+)\n',
    files: [
      { status: 'A', path: 'src/login.ts' },
      { status: 'A', path: 'database/migrations/001.sql' },
    ],
    mainMoved: false,
    behind: 0,
    conflicts: [],
    flagged: [],
    dirtyMain: [],
    dirtyWorktree: [],
    strategy: 'no-ff',
    ffPossible: true,
    ...over,
  };
}

const RECT: Rect = { x: 0, y: 0, width: 90, height: 22 };

function previewText(over: Partial<MergePreview> = {}, rect = RECT): string[] {
  return inner(frame(<MergePreviewView p={preview(over)} rect={rect} />));
}

function result(over: Partial<MergeResult> = {}): MergeResult {
  return { outcome: 'merged', message: 'merged feat into main: aaaaaaa → ccccccc', worktree: 'feat', preMerge: 'a'.repeat(40), postMerge: 'c'.repeat(40), conflicts: [], preview: null, ...over };
}

function view(over: Partial<MergeView> = {}): MergeView {
  return { worktree: 'feat', running: true, steps: [], lines: [], result: null, offerRemoval: false, ...over };
}

/** A step's row: its mark, the step name padded to 14, its line. */
function row(mark: string, step: string, line: string): string {
  return `${mark} ${step.padEnd(14)}${line}`.trim();
}

function progressText(m: MergeView | null, rect: Rect = { x: 0, y: 0, width: 96, height: 24 }): string[] {
  return inner(frame(<MergeProgressView m={m} rect={rect} />));
}

// ---- the preview ---------------------------------------------------------------------------

describe('merge preview view', () => {
  test('a clean preview: title, commits, stat summary, no conflicts, the merge key hint', () => {
    const t = previewText();
    assert.equal(t[0], 'Merge feat into main (no-ff)');
    assert.equal(t[1], '2 commits · 2 files changed, 40 insertions(+)');
    assert.equal(t[2], '1111111 Add login form');
    assert.equal(t[3], '2222222 Validate the password');
    assert.ok(t.includes('MAIN has not moved since the branch forked'), t.join('\n'));
    assert.ok(t.includes('✓ no conflicts predicted'), t.join('\n'));
    assert.equal(t.at(-1), 'y / Enter merge (gate → merge → health, rollback on failure) · Esc cancel');
  });

  test('many commits: the first 8 and "… and N more"', () => {
    const commits = Array.from({ length: 11 }, (_, i) => `${String(i).padStart(7, '0')} Commit ${i}`);
    const t = previewText({ commits }, { x: 0, y: 0, width: 90, height: 24 });
    assert.equal(t[1]?.startsWith('11 commits · '), true, t[1]);
    assert.ok(t.includes('0000007 Commit 7'), t.join('\n'));
    assert.ok(!t.includes('0000008 Commit 8'), 'the 9th commit is summarised');
    assert.ok(t.includes('… and 3 more'), t.join('\n'));
  });

  test('predicted conflicts: listed, and the hint says it cannot merge', () => {
    const t = previewText({ conflicts: ['app.txt', 'src/db.ts'], mainMoved: true, behind: 3 });
    assert.ok(t.includes('CONFLICTS: app.txt, src/db.ts'), t.join('\n'));
    assert.ok(t.includes('MAIN moved since the branch forked (3 commits behind)'), t.join('\n'));
    assert.equal(t.at(-1), 'Cannot merge: merge main into feat and resolve the conflicts there · Esc close', 'the CLI\'s hint');
  });

  test('a git that cannot predict says so and does not block', () => {
    const t = previewText({ conflicts: null });
    assert.ok(t.includes('conflicts: this git cannot predict them'), t.join('\n'));
    assert.match(t.at(-1) ?? '', /^y \/ Enter merge/);
  });

  test('flagged paths: one line per pattern with its message and files', () => {
    const t = previewText({
      flagged: [
        { pattern: 'database/migrations/**', message: 'run the migrations by hand', files: ['database/migrations/001.sql', 'database/migrations/002.sql'] },
        { pattern: '.env*', message: 'new settings', files: ['.env.example'] },
      ],
    });
    assert.ok(t.includes('! run the migrations by hand: database/migrations/001.sql, database/migrations/002.sql'), t.join('\n'));
    assert.ok(t.includes('! new settings: .env.example'), t.join('\n'));
    assert.match(t.at(-1) ?? '', /^y \/ Enter merge/, 'flags inform, they do not block');
  });

  test('blockers: dirty MAIN, nothing to merge, ff-only impossible', () => {
    const dirty = previewText({ dirtyMain: [' M app.txt', 'M  config.yml'] });
    assert.ok(dirty.includes('MAIN has uncommitted changes (app.txt, config.yml): resolve that first'), dirty.join('\n'));
    assert.equal(dirty.at(-1), 'Cannot merge: MAIN has uncommitted changes · Esc close');
    const empty = previewText({ commits: [], stat: '' });
    assert.equal(empty[1], '0 commits · no changes');
    assert.equal(empty.at(-1), 'Cannot merge: nothing to merge (no commits ahead of main) · Esc close');
    const ff = previewText({ strategy: 'ff-only', ffPossible: false, mainMoved: true, behind: 1 });
    assert.equal(ff[0], 'Merge feat into main (ff-only)');
    assert.ok(ff.includes('MAIN moved since the branch forked (1 commit behind)'), ff.join('\n'));
    assert.equal(ff.at(-1), 'Cannot merge: ff-only and main moved: rebase feat on main · Esc close');
  });

  test('a dirty worktree: listed, and the hint offers to commit then merge', () => {
    const t = previewText({ dirtyWorktree: [' M src/login.ts', '?? notes.md'] });
    assert.ok(t.includes('feat has uncommitted changes: src/login.ts, notes.md'), t.join('\n'));
    assert.equal(t.at(-1), 'c commit those changes, then merge (gate → merge → health) · Esc cancel');
    // A blocker wins over the offer.
    const both = previewText({ dirtyWorktree: ['?? notes.md'], dirtyMain: [' M app.txt'] });
    assert.equal(both.at(-1), 'Cannot merge: MAIN has uncommitted changes · Esc close');
  });
});

// ---- the pipeline dialog -------------------------------------------------------------------

describe('merge progress view', () => {
  test('before the first snapshot: "Starting the merge…"', () => {
    assert.deepEqual(progressText(null).filter(Boolean), ['Starting the merge…']);
  });

  test('running: each step with its mark and line, the latest output, the stop hint', () => {
    const t = progressText(
      view({
        steps: [
          { step: 'preconditions', status: 'ok', line: '2 commit(s), 3 file(s)' },
          { step: 'baseline', status: 'failed', line: 'MAIN was already failing' },
          { step: 'gate', status: 'running', line: '$ npm test' },
        ],
        lines: ['[preconditions] 2 commit(s), 3 file(s)', '[gate] $ npm test', '[gate] 12 passing'],
      }),
    );
    assert.equal(t[0], 'Merging feat …');
    assert.equal(t[1], row('✓', 'preconditions', '2 commit(s), 3 file(s)'));
    assert.equal(t[2], row('✗', 'baseline', 'MAIN was already failing'));
    assert.equal(t[3], row('…', 'gate', '$ npm test'));
    assert.deepEqual(t.slice(4, 7), ['[preconditions] 2 commit(s), 3 file(s)', '[gate] $ npm test', '[gate] 12 passing']);
    assert.equal(t.at(-1), 'Esc stop (until the merge step: MAIN stays untouched)');
    assert.ok(!t.some((l) => l.startsWith('merged ')), 'no result yet');
  });

  test('only the newest output lines that fit', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `[gate] line ${i}`);
    const t = progressText(view({ steps: [{ step: 'gate', status: 'running' }], lines }), { x: 0, y: 0, width: 96, height: 14 });
    // room = 14 - 5 - 1 step = 8 lines.
    assert.ok(t.includes('[gate] line 49'), t.join('\n'));
    assert.ok(t.includes('[gate] line 42'), t.join('\n'));
    assert.ok(!t.includes('[gate] line 41'), t.join('\n'));
  });

  test('done: ✓ merge, skipped steps, the result line, Enter close', () => {
    const t = progressText(
      view({
        running: false,
        steps: [
          { step: 'preconditions', status: 'ok' },
          { step: 'gate', status: 'skipped', line: 'no gate configured (merge.gate)' },
          { step: 'merge', status: 'ok', line: 'MAIN aaaaaaa → ccccccc' },
          { step: 'health', status: 'ok', line: 'healthy (0.1 s)' },
          { step: 'done', status: 'ok' },
        ],
        result: result(),
      }),
    );
    assert.equal(t[0], 'Merging feat');
    assert.ok(t.includes(row('–', 'gate', 'no gate configured (merge.gate)')), t.join('\n'));
    assert.ok(t.includes(row('✓', 'merge', 'MAIN aaaaaaa → ccccccc')), t.join('\n'));
    assert.equal(t.at(-2), 'merged feat into main: aaaaaaa → ccccccc');
    assert.equal(t.at(-1), 'Enter close');
  });

  test('an ephemeral lane merged: the removal offer', () => {
    const t = progressText(view({ running: false, steps: [{ step: 'done', status: 'ok' }], result: result(), offerRemoval: true }));
    assert.equal(t.at(-1), 'r remove the ephemeral lane feat · Enter close');
  });

  test('a rollback: ✗ health, ✓ rollback and the failure as the result line', () => {
    const t = progressText(
      view({
        running: false,
        steps: [
          { step: 'merge', status: 'ok', line: 'MAIN aaaaaaa → ccccccc' },
          { step: 'health', status: 'failed', line: 'exit 1' },
          { step: 'rollback', status: 'ok', line: 'MAIN back at aaaaaaa; feat keeps its commits' },
        ],
        result: result({ outcome: 'health-failed', message: 'health failed (exit 1), rolled back to aaaaaaa' }),
      }),
    );
    assert.ok(t.includes(row('✗', 'health', 'exit 1')), t.join('\n'));
    assert.ok(t.includes(row('✓', 'rollback', 'MAIN back at aaaaaaa; feat keeps its commits')), t.join('\n'));
    assert.equal(t.at(-2), 'health failed (exit 1), rolled back to aaaaaaa');
    assert.equal(t.at(-1), 'Enter close', 'no removal offer after a failure');
  });
});

// ---- the diff view -------------------------------------------------------------------------

describe('diff view', () => {
  const lines = ['diff --git a/x b/x', 'index 1..2 100644', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '-old', '+new', '', ...Array.from({ length: 40 }, (_, i) => ` context ${i}`)];

  test('the first page and the position', () => {
    const t = inner(frame(<DiffView worktree="feat" lines={lines} offset={0} rect={{ x: 0, y: 0, width: 100, height: 14 }} />));
    // rows = 14 - 4 = 10.
    assert.equal(t[0], `Diff of feat against MAIN · lines 1–10 of ${lines.length}`);
    assert.deepEqual(t.slice(1, 11), lines.slice(0, 10).map((l) => l.trim()));
    assert.equal(t.at(-1), '↑↓ PgUp PgDn g G scroll · Esc close');
  });

  test('scrolled: the lines from the offset, and the position follows', () => {
    const t = inner(frame(<DiffView worktree="feat" lines={lines} offset={20} rect={{ x: 0, y: 0, width: 100, height: 14 }} />));
    assert.equal(t[0], `Diff of feat against MAIN · lines 21–30 of ${lines.length}`);
    assert.equal(t[1], 'context 12');
    assert.equal(t[10], 'context 21');
  });

  test('a short diff: the position is clamped to its length', () => {
    const t = inner(frame(<DiffView worktree="feat" lines={['+only']} offset={0} rect={{ x: 0, y: 0, width: 100, height: 14 }} />));
    assert.equal(t[0], 'Diff of feat against MAIN · lines 1–1 of 1');
    assert.equal(t[1], '+only');
  });
});

// ---- MAIN's monitor pane -------------------------------------------------------------------------

const NOW = Date.parse('2030-01-02T10:00:00.000Z');

function mainPane(edit: (s: Snapshot) => void, rect: Rect = { x: 0, y: 0, width: 100, height: 8 }): string[] {
  const s = fakeSnapshot({ feat: ['claude'], design: [] });
  s.worktrees = s.worktrees.map((w) => (w.isMain ? w : { ...w, lane: { lane: 'standing', kind: null, port: null, ahead: w.name === 'feat' ? 2 : 0, behind: 1, dirty: 0, setup: null } }));
  edit(s);
  return frame(<MainPane rect={rect} snapshot={s} focused={false} ops={null} now={NOW} />);
}

describe('MAIN monitor pane', () => {
  test('clean: branch, HEAD, subject, ✓ clean; health off; no merges; lanes ahead/behind', () => {
    const f = mainPane(() => {});
    const t = inner(f);
    assert.match(f[0] ?? '', /1 MAIN · read-only/);
    assert.equal(t[0], '⎇ main abc1234 Merge feature-x  ✓ clean  ▣ MAIN write-protected');
    assert.equal(t[1], 'health: no check configured (merge.health)');
    assert.equal(t[2], 'merges: none yet');
    assert.equal(t[3], 'lanes feat ↑2↓1 · design ↑0↓1');
    assert.doesNotMatch(f.join('\n'), /EDITED DIRECTLY/);
  });

  test('edited directly: the alarm with the count, and the changed files listed', () => {
    const t = inner(
      mainPane((s) => {
        s.main = { ...s.main, changes: 2, changed: [' M app.txt', '?? hotfix.txt'] };
      }),
    );
    assert.equal(t[0], '⚠ MAIN EDITED DIRECTLY: 2 changes  ⎇ main abc1234 Merge feature-x  ▣ MAIN write-protected');
    assert.equal(t[1], 'M app.txt · ?? hotfix.txt');
    const one = inner(mainPane((s) => void (s.main = { ...s.main, changes: 1, changed: ['?? x'] })));
    assert.match(one[0] ?? '', /^⚠ MAIN EDITED DIRECTLY: 1 change  ⎇/);
  });

  test('more than 12 changed files: the first 12 and …', () => {
    const changed = Array.from({ length: 14 }, (_, i) => `?? f${i}`);
    const t = inner(mainPane((s) => void (s.main = { ...s.main, changes: 14, changed }), { x: 0, y: 0, width: 100, height: 8 }));
    assert.match(t[1] ?? '', /^\?\? f0 · \?\? f1 · /);
    assert.doesNotMatch(t[1] ?? '', /f12/);
  });

  test('health ok, checking, failing', () => {
    const ok = inner(
      mainPane((s) => {
        s.monitor.health = { command: 'curl -fsS localhost/health', state: 'ok', lastOk: new Date(NOW - 5000).toISOString(), lastFailure: null, output: [], checkedAt: null };
      }),
    );
    assert.equal(ok[1], 'health ✓ ok 5s ago curl -fsS localhost/health');
    const unknown = inner(mainPane((s) => void (s.monitor.health = { command: 'true', state: 'unknown', lastOk: null, lastFailure: null, output: [], checkedAt: null })));
    assert.equal(unknown[1], 'health checking… true');
    const failing = inner(
      mainPane((s) => {
        s.monitor.health = { command: 'x', state: 'failing', lastOk: new Date(NOW - 180_000).toISOString(), lastFailure: '2030-01-02T09:59:30.000Z', output: ['starting', 'connection refused'], checkedAt: null };
      }),
    );
    assert.equal(failing[1], 'health ✗ failing (since 09:59:30; last ok 3m ago): connection refused');
    const never = inner(mainPane((s) => void (s.monitor.health = { command: 'x', state: 'failing', lastOk: null, lastFailure: '2030-01-02T09:59:30.000Z', output: [], checkedAt: null })));
    assert.match(never[1] ?? '', /last ok never\):$/);
  });

  test('recent merges: glyph, lane, outcome unless merged, time', () => {
    const t = inner(
      mainPane((s) => {
        s.monitor.merges = [
          { ts: '2030-01-02T09:58:00.000Z', worktree: 'feat', outcome: 'merged', message: 'merged' },
          { ts: '2030-01-02T09:40:00.000Z', worktree: 'sick', outcome: 'health-failed', message: 'health failed' },
          { ts: '2030-01-02T09:30:00.000Z', worktree: 'clash', outcome: 'conflict', message: null },
        ];
      }),
    );
    assert.equal(t[2], 'merges ✓ feat 09:58 · ↺ sick health-failed 09:40 · ✗ clash conflict 09:30');
  });

  test('a git error replaces the first line', () => {
    const t = inner(mainPane((s) => void (s.main = { ...s.main, error: 'not a git repository' })));
    assert.equal(t[0], 'git: not a git repository');
  });
});

// ---- keys ------------------------------------------------------------------------------------

interface Keys {
  ui: UiState;
  snapshot: Snapshot;
  effects: Effect[];
  press(input: string): Effect[];
}

function keys(ui: Partial<UiState> = {}, snapshot: Snapshot = fakeSnapshot({ feat: ['claude'], design: [] })): Keys {
  const keymap = buildKeymap();
  const k: Keys = {
    ui: { ...initialUiState(), ...ui },
    snapshot,
    effects: [],
    press(input) {
      const out: Effect[] = [];
      for (const key of tokenizeKeys(input)) {
        const ctx: KeyContext = {
          snapshot: k.snapshot,
          layout: computeLayout({ cols: 100, rows: 30, lanes: lanesOf(k.snapshot), focusLane: k.ui.focusLane, focusAgent: k.ui.focusAgent }),
          keymap,
          bufferSize: () => ({ length: 100, rows: 20 }),
          search: () => [],
        };
        const r = handleKey(k.ui, key, ctx);
        k.ui = r.ui;
        out.push(...r.effects);
      }
      k.effects.push(...out);
      return out;
    },
  };
  return k;
}

const onFeat: Partial<UiState> = { focusLane: 'feat', focusAgent: 'feat/claude' };
const ESC = '\x1b';
const ENTER = '\r';

function withPreview(over: Partial<MergePreview> = {}): Keys {
  return keys({ ...onFeat, dialog: { kind: 'merge-preview', preview: preview(over) } });
}

describe('keys: m and d', () => {
  test('on MAIN: refused with a message, no effect', () => {
    const k = keys({ focusLane: MAIN_LANE });
    assert.deepEqual(k.press('m'), []);
    assert.equal(k.ui.message?.text, 'focus a worktree to merge it into MAIN');
    assert.deepEqual(k.press('d'), []);
    assert.equal(k.ui.message?.text, 'focus a worktree to see its diff against MAIN');
    assert.equal(k.ui.dialog, null);
  });

  test('on a lane: m asks for the preview, d for the diff', () => {
    const k = keys(onFeat);
    assert.deepEqual(k.press('m'), [{ type: 'mergePreview', worktree: 'feat' }]);
    assert.match(k.ui.message?.text ?? '', /preparing the merge preview of feat/);
    assert.deepEqual(k.press('d'), [{ type: 'diff', worktree: 'feat' }]);
    // A lane without agents too.
    const empty = keys({ focusLane: 'design', focusAgent: null });
    assert.deepEqual(empty.press('m'), [{ type: 'mergePreview', worktree: 'design' }]);
  });

  test('m while a merge runs reopens its dialog instead of a new preview', () => {
    const s = fakeSnapshot({ feat: ['claude'], design: [] });
    s.merge = view({ worktree: 'design' });
    const k = keys(onFeat, s);
    assert.deepEqual(k.press('m'), []);
    assert.deepEqual(k.ui.dialog, { kind: 'merge' });
  });
});

describe('keys: the merge preview dialog', () => {
  test('y merges (and opens the pipeline dialog); Enter too', () => {
    for (const key of ['y', ENTER]) {
      const k = withPreview();
      assert.deepEqual(k.press(key), [{ type: 'lane', cmd: { type: 'merge', worktree: 'feat' } }], JSON.stringify(key));
      assert.deepEqual(k.ui.dialog, { kind: 'merge' });
    }
  });

  test('Esc, n, q cancel without an effect', () => {
    for (const key of [ESC, 'n', 'q']) {
      const k = withPreview();
      assert.deepEqual(k.press(key), [], JSON.stringify(key));
      assert.equal(k.ui.dialog, null, `${JSON.stringify(key)} closes the preview`);
    }
  });

  test('blocked previews do not merge on y, Enter or c; the dialog stays until Esc', () => {
    const blockers: Partial<MergePreview>[] = [
      { conflicts: ['app.txt'] },
      { dirtyMain: [' M app.txt'] },
      { commits: [] },
      { strategy: 'ff-only', ffPossible: false },
      { conflicts: ['app.txt'], dirtyWorktree: ['?? x'] },
    ];
    for (const b of blockers) {
      const k = withPreview(b);
      assert.deepEqual(k.press('y'), [], JSON.stringify(b));
      assert.deepEqual(k.press(ENTER), [], JSON.stringify(b));
      assert.deepEqual(k.press('c'), [], JSON.stringify(b));
      assert.equal(k.ui.dialog?.kind, 'merge-preview', `still open for ${JSON.stringify(b)}`);
      k.press(ESC);
      assert.equal(k.ui.dialog, null);
    }
  });

  test('a dirty worktree: y does nothing, c commits then merges', () => {
    const k = withPreview({ dirtyWorktree: [' M src/login.ts'] });
    assert.deepEqual(k.press('y'), []);
    assert.deepEqual(k.press(ENTER), []);
    assert.equal(k.ui.dialog?.kind, 'merge-preview');
    const fx = k.press('c');
    assert.equal(fx.length, 1);
    const cmd = fx[0]!.type === 'lane' ? fx[0]!.cmd : null;
    assert.ok(cmd && cmd.type === 'merge' && cmd.worktree === 'feat', JSON.stringify(fx));
    assert.ok(cmd.type === 'merge' && typeof cmd.commitMessage === 'string' && cmd.commitMessage.includes('feat'), `a commit message naming the lane: ${JSON.stringify(cmd)}`);
    assert.deepEqual(k.ui.dialog, { kind: 'merge' });
    // c on a clean worktree is not a merge key.
    assert.deepEqual(withPreview().press('c'), []);
  });
});

describe('keys: the pipeline dialog', () => {
  function inMerge(m: MergeView | null): Keys {
    const s = fakeSnapshot({ feat: ['claude'], design: [] });
    s.merge = m;
    return keys({ ...onFeat, dialog: { kind: 'merge' } }, s);
  }

  test('running: Esc (and Ctrl-C) asks to cancel; Enter, r, q do nothing', () => {
    const k = inMerge(view({ running: true }));
    assert.deepEqual(k.press(ENTER), []);
    assert.deepEqual(k.press('r'), []);
    assert.deepEqual(k.press('q'), []);
    assert.deepEqual(k.ui.dialog, { kind: 'merge' });
    assert.deepEqual(k.press(ESC), [{ type: 'lane', cmd: { type: 'cancelMerge' } }]);
    assert.deepEqual(k.ui.dialog, { kind: 'merge' }, 'the dialog stays to show the cancellation');
    assert.match(k.ui.message?.text ?? '', /cancelling the merge/);
    assert.deepEqual(k.press('\x03'), [{ type: 'lane', cmd: { type: 'cancelMerge' } }]);
  });

  test('done: Enter (or Esc) dismisses and closes', () => {
    for (const key of [ENTER, ESC]) {
      const k = inMerge(view({ running: false, result: result() }));
      assert.deepEqual(k.press(key), [{ type: 'lane', cmd: { type: 'dismissMerge' } }]);
      assert.equal(k.ui.dialog, null);
    }
  });

  test('done with the removal offer: r removes the ephemeral lane (not forced) and dismisses', () => {
    const k = inMerge(view({ running: false, result: result(), offerRemoval: true }));
    assert.deepEqual(k.press('r'), [
      { type: 'lane', cmd: { type: 'removeWorktree', name: 'feat', force: false } },
      { type: 'lane', cmd: { type: 'dismissMerge' } },
    ]);
    assert.equal(k.ui.dialog, null);
  });

  test('done without the offer: r does nothing', () => {
    const k = inMerge(view({ running: false, result: result({ outcome: 'conflict', message: 'conflict: a' }) }));
    assert.deepEqual(k.press('r'), []);
    assert.deepEqual(k.ui.dialog, { kind: 'merge' });
  });

  test('no merge view (dismissed elsewhere): Enter closes', () => {
    const k = inMerge(null);
    assert.deepEqual(k.press(ENTER), [{ type: 'lane', cmd: { type: 'dismissMerge' } }]);
    assert.equal(k.ui.dialog, null);
  });
});

describe('keys: the diff dialog', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `+line ${i}`);
  const open = (): Keys => keys({ ...onFeat, dialog: { kind: 'diff', worktree: 'feat', lines, offset: 0 } });
  const offset = (k: Keys) => (k.ui.dialog as Extract<Dialog, { kind: 'diff' }>).offset;

  test('j/k and arrows scroll by one, clamped at the top', () => {
    const k = open();
    k.press('k');
    assert.equal(offset(k), 0, 'clamped at 0');
    k.press('jjj');
    assert.equal(offset(k), 3);
    k.press('\x1b[A');
    assert.equal(offset(k), 2);
    k.press('\x1b[B');
    assert.equal(offset(k), 3);
  });

  test('PgDn/space by a page (rows - 6), G to the end, g to the top', () => {
    const k = open();
    const page = 30 - 6;
    k.press(' ');
    assert.equal(offset(k), page);
    k.press('\x1b[6~');
    assert.equal(offset(k), 2 * page);
    k.press('\x1b[5~');
    assert.equal(offset(k), page);
    k.press('G');
    assert.equal(offset(k), lines.length - page, 'the last page');
    k.press('j');
    assert.equal(offset(k), lines.length - page, 'clamped at the end');
    k.press('g');
    assert.equal(offset(k), 0);
  });

  test('Esc, q, d close; nothing is sent anywhere', () => {
    for (const key of [ESC, 'q', 'd']) {
      const k = open();
      assert.deepEqual(k.press(key), []);
      assert.equal(k.ui.dialog, null, JSON.stringify(key));
    }
  });
});

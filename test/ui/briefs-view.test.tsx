/**
 * The briefs view (`b`) and the brief marks elsewhere in the chrome, rendered with Ink at the sizes a
 * person uses, and its keys (pure): select, Enter for the trace, D dispatches to the focused lane's
 * agent (never to MAIN), a adds by title.
 */
import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import React from 'react';
import { stripVTControlCharacters } from 'node:util';
import { Box } from 'ink';
import { render as inkRender } from 'ink-testing-library';
import { MainPane } from '../../src/ui/components/MainPane.js';
import { renderApp } from './render-app.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import { computeLayout } from '../../src/layout/layout.js';
import { handleKey, type KeyContext } from '../../src/ui/input/grid-keys.js';
import { tokenizeKeys } from '../../src/ui/input/key-tokens.js';
import { initialUiState, lanesOf, type UiState } from '../../src/ui/ui-state.js';
import type { BriefView } from '../../src/core/briefs/brief-ops.js';
import type { Snapshot } from '../../src/core/types.js';

function brief(id: number, over: Partial<BriefView> = {}): BriefView {
  const ts = '2026-12-03T10:00:00.000Z';
  return { id, title: `Brief ${id}`, spec: `Spec of ${id}\nsecond line`, status: 'planned', reason: null, lane: null, agent: null, ephemeral: null, served: false, profile: null, auto: false, createdAt: ts, updatedAt: ts, dispatchedAt: null, claimedAt: null, packet: null, links: [], notes: [], unclaimed: false, ...over };
}

function withBriefs(): Snapshot {
  const s = fakeSnapshot();
  s.briefs = [
    brief(1, { title: 'Move design off MAIN', status: 'claimed', lane: 'feature-auth', agent: 'feature-auth/claude', links: [{ kind: 'commit', sha: 'abcdef1234', subject: 'first step', via: 'trailer', ts: '' }] }),
    brief(2, { title: 'Parse the CSV', status: 'dispatched', lane: 'design', agent: 'design/codex', unclaimed: true }),
    brief(3, { title: 'Ready one', status: 'ready', lane: 'design' }),
    brief(4, { title: 'Planned one' }),
  ];
  return s;
}

describe('briefs in the cockpit', () => {
  for (const [cols, rows] of [
    [80, 24],
    [200, 60],
  ] as const) {
    test(`b's view lists briefs by status with the selected one's spec and links, at ${cols}x${rows}`, () => {
      const r = renderApp({ cols, rows, snapshot: withBriefs(), ui: { focusLane: 'feature-auth', focusAgent: 'feature-auth/claude', dialog: { kind: 'briefs', selected: 0, adding: null, detail: null } } });
      const text = r.lines.join('\n');
      assert.match(text, /Briefs · 4 open · D dispatches to feature-auth/);
      // Order: dispatched (unclaimed) first, then claimed, planned, ready.
      const order = ['#2 Parse', '#1 Move design', '#4 Planned', '#3 Ready'].map((t) => text.indexOf(t));
      assert.ok(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]!)), `order ${order}`);
      assert.match(text, /unclaimed\s+#2/);
      assert.match(text, /Spec of 2/);
      assert.match(text, /Enter trace · D dispatch · a add · Esc close/);
    });
  }

  test('agent headers carry their brief; an unclaimed one says so; MAIN lists briefs ready to merge', () => {
    const r = renderApp({ cols: 200, rows: 60, snapshot: withBriefs() });
    const text = r.lines.join('\n');
    assert.match(text, /claude · claude · .*#1 Move design off MAIN/);
    assert.match(text, /unclaimed #2 Parse the CSV/);
    const main = inkRender(
      <Box width={100} height={7}>
        <MainPane rect={{ x: 0, y: 0, width: 100, height: 7 }} snapshot={withBriefs()} focused={false} ops={null} />
      </Box>,
    );
    assert.match(stripVTControlCharacters(main.lastFrame() ?? ''), /ready to merge #3 design/);
    main.unmount();
  });

  test('keys: b opens, ↓ selects, Enter asks for the trace, D dispatches to the focused agent, never from MAIN; a adds by title', () => {
    const snapshot = withBriefs();
    const keymap = buildKeymap();
    let ui: UiState = { ...initialUiState(), focusLane: 'design', focusAgent: 'design/codex' };
    const ctx = (): KeyContext => ({ snapshot, keymap, layout: computeLayout({ cols: 120, rows: 40, lanes: lanesOf(snapshot), focusLane: ui.focusLane, focusAgent: ui.focusAgent }), bufferSize: () => null, search: () => [] });
    const press = (s: string) => {
      const effects = [];
      for (const k of tokenizeKeys(s)) {
        const r = handleKey(ui, k, ctx());
        ui = r.ui;
        effects.push(...r.effects);
      }
      return effects;
    };
    press('b');
    assert.equal(ui.dialog?.kind, 'briefs');
    press('\x1b[B'); // down: #1
    assert.deepEqual(press('\r'), [{ type: 'briefDetail', id: 1 }]);
    assert.deepEqual(press('D'), [{ type: 'lane', cmd: { type: 'brief', op: 'dispatch', id: 1, lane: 'design', agent: 'design/codex' } }]);
    // a: the title, Enter, then the spec (empty is fine).
    press('a');
    press('Fix it');
    assert.deepEqual(press('\r'), [], 'Enter on the title goes on to the spec');
    assert.deepEqual(press('\r'), [{ type: 'lane', cmd: { type: 'brief', op: 'add', title: 'Fix it' } }]);
    // A pasted spec keeps its lines (CR LF and CR become LF); typing adds to it; Enter adds with it.
    press('a');
    press('Two');
    press('\r');
    press('\x1b[200~# Spec\r\n\r\n- one\r- two\x1b[201~');
    press('!');
    assert.deepEqual(press('\r'), [{ type: 'lane', cmd: { type: 'brief', op: 'add', title: 'Two', spec: '# Spec\n\n- one\n- two!' } }]);
    // ctrl-e hands the spec so far to $EDITOR; Esc on the spec goes back to the title.
    press('a');
    press('Three');
    press('\r');
    press('draft');
    assert.deepEqual(press('\x05'), [{ type: 'editSpec', title: 'Three', spec: 'draft' }]);
    press('\x1b');
    assert.equal(ui.dialog?.kind === 'briefs' && ui.dialog.adding, 'Three', 'back at the title');
    press('\x1b');
    press('\x1b');
    assert.equal(ui.dialog, null);
    ui = { ...ui, focusLane: 'MAIN', focusAgent: null };
    press('b');
    assert.deepEqual(press('D'), []);
    assert.match(ui.message?.text ?? '', /MAIN takes no briefs/);
  });
});

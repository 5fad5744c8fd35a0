/**
 * What the operator sees of the sandbox: a lock after a sandboxed agent's header, UNSANDBOXED right
 * after the name of one that is not (where truncation never cuts it), and MAIN's monitor line.
 */
import './force-color.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp } from './render-app.js';

const frame = (r: { lines: string[] }) => r.lines.join('\n');

test('sandboxed agents: a lock in their headers, and MAIN says it is write-protected', () => {
  const text = frame(renderApp({ cols: 200, rows: 60 }));
  assert.match(text, /claude · claude · ● running.*▣/);
  assert.match(text, /✓ clean  ▣ MAIN write-protected/);
  assert.doesNotMatch(text, /UNSANDBOXED/);
});

test('an unsandboxed agent: UNSANDBOXED after its name, and a loud MAIN line with the reason', () => {
  const snap = fakeSnapshot();
  const a = snap.agents.find((x) => x.id === 'feature-auth/claude')!;
  a.sandbox = 'none';
  a.sandboxReason = 'bubblewrap (bwrap) is not installed';
  for (const [cols, rows] of [[80, 24], [200, 60]] as const) {
    const text = frame(renderApp({ cols, rows, snapshot: snap }));
    // At 80 columns the profile makes room for the state; the warning stays right after the name.
    assert.match(text, cols === 80 ? /claude UNSANDBOXED · ● running/ : /claude UNSANDBOXED · claude · ● running/, `${cols}x${rows}`);
    assert.match(text, /⚠ 1 UNSANDBOXED: bubblewrap/, `${cols}x${rows}`);
  }
  assert.match(frame(renderApp({ cols: 200, rows: 60, snapshot: snap })), /⚠ 1 UNSANDBOXED: bubblewrap \(bwrap\) is not installed — MAIN not write-protected \(flower-tui doctor\)  ⎇ main/);
});

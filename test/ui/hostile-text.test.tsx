import './force-color.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { renderApp } from './render-app.js';

// Names, branches, subjects and messages come from users and programs: the chrome shows them, it
// never lets the terminal obey them (a name like $'E\e[2J\e[31mRED\a' must not clear the screen).
const HOSTILE = 'E\x1b[2J\x1b[31mRED\x07';

describe('hostile text in the chrome', () => {
  test('an agent name, a lane branch, MAIN\'s subject and a message are shown escaped', () => {
    const snap = fakeSnapshot();
    const a = snap.agents.find((x) => x.id === 'feature-auth/claude')!;
    a.name = HOSTILE;
    snap.worktrees.find((w) => w.name === 'design')!.branch = `b\x1b]0;pwned\x07`;
    snap.main.subject = `fix\x1b[2K\rforged line`;
    const r = renderApp({ cols: 200, rows: 60, snapshot: snap, ui: { focusLane: 'feature-auth', focusAgent: 'feature-auth/claude', message: { text: `killed ${HOSTILE}`, level: 'info' } } });
    // Only Ink's own SGR colour sequences may remain: no clear, no OSC, no BEL, no CR.
    const nonSgr = r.raw.replace(/\x1b\[[0-9;]*m/g, '');
    assert.doesNotMatch(nonSgr, /[\x00-\x09\x0b-\x1f\x7f]/, 'no control character reaches the terminal');
    const text = r.lines.join('\n');
    assert.ok(text.includes('E\\x1b[2J\\x1b[31mRED\\x07'), text);
    assert.ok(text.includes('b\\x1b]0;pwned\\x07'), 'branch escaped');
    assert.ok(text.includes('fix\\x1b[2K\\rforged line'), 'subject escaped');
    assert.ok(text.includes(`killed E\\x1b[2J`), 'status line message escaped');
  });

  test('a queued refresh shows in the agent\'s header', () => {
    const snap = fakeSnapshot();
    snap.agents.find((x) => x.id === 'feature-auth/claude')!.refreshQueued = true;
    const r = renderApp({ cols: 200, rows: 60, snapshot: snap, ui: { focusLane: 'design', focusAgent: 'design/codex' } });
    assert.match(r.lines.join('\n'), /claude · claude · .*· refresh queued/);
  });
});

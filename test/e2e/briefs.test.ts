/**
 * Briefs in the built cockpit under tmux, as an operator adds one: `b`, `a`, the title, then the
 * spec from $EDITOR (ctrl-e lends the terminal to the editor, a script here that writes the file,
 * and takes it back), Enter adds it; the brief the server stores has that spec.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TmuxSession } from '../helpers/tmux.js';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';

const onCleanup = cleanupList();

describe('briefs in the cockpit', () => {
  test('a adds a brief: its title, then its spec from $EDITOR; the terminal comes back to the grid', async () => {
    const repo = makeRepo({ worktrees: ['lane-a'] });
    removedAfterItsServer(repo, onCleanup);
    // The "editor": appends two lines to the file it is given, as a person would type them.
    const editor = path.join(repo.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "## Goal\\n\\nMove the design tokens out of MAIN.\\n" >> "$1"\n', { mode: 0o755 });
    const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot], cols: 120, rows: 32, cwd: repo.dir, env: { VISUAL: editor, EDITOR: undefined } });
    onCleanup(() => s.kill());
    await s.waitFor('MAIN · read-only', { timeoutMs: 30_000 });
    s.sendKeys('b');
    await s.waitFor('no briefs yet: a adds one', { timeoutMs: 10_000 });
    s.sendKeys('a');
    await s.waitFor('new brief title:', { timeoutMs: 10_000 });
    s.typeText('Tokens off MAIN');
    await s.waitFor('new brief title: Tokens off MAIN', { timeoutMs: 10_000 });
    s.sendKeys('Enter');
    await s.waitFor('the spec: type or paste', { timeoutMs: 10_000 });
    s.typeText('Draft. ');
    await s.waitFor('Draft.', { timeoutMs: 10_000 });
    s.sendKeys('C-e');
    // Back from the editor: the grid again, the spec field holding what the editor wrote.
    const screen = await s.waitFor('Move the design tokens out of MAIN.', { timeoutMs: 20_000 });
    assert.match(screen, /Draft\. ## Goal/, 'the editor started from the spec typed so far');
    assert.match(screen, /new: Tokens off MAIN[\s\S]*the spec: type or paste/, 'still in the spec field: Enter adds');
    s.sendKeys('Enter');
    await s.waitFor(/planned\s+#1 Tokens off MAIN/, { timeoutMs: 10_000 });
    const shown = JSON.parse(cli(repo, ['brief', 'show', '1', '--json']).stdout) as { brief: { title: string; spec: string; status: string } };
    assert.deepEqual(shown.brief, { ...shown.brief, title: 'Tokens off MAIN', status: 'planned', spec: 'Draft. ## Goal\n\nMove the design tokens out of MAIN.' });
    // Keys reach the cockpit again (raw mode restored): Esc closes the view.
    s.sendKeys('Escape');
    await s.waitForGone('Briefs ·', { timeoutMs: 10_000 });
  });
});

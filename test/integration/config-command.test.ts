/**
 * `flower-tui config init|edit|path|show|check` through the built CLI, on a real repository: the
 * repository's own config lives in the git common dir, so configuring flower-tui leaves MAIN clean.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList, cli } from '../helpers/cli.js';
import { makeRepo, type TestRepo } from '../helpers/git-repo.js';

const cleanup = cleanupList();

function repo(): TestRepo {
  const r = makeRepo();
  cleanup(() => r.cleanup());
  return r;
}

function ownConfig(r: TestRepo): string {
  return path.join(r.commonDir, 'flower', 'config.json');
}

/** `config edit` with an "editor" that is a script doing `body` to its file ($1). */
function editWith(r: TestRepo, body: string): { status: number | null; stdout: string; stderr: string } {
  const editor = path.join(r.dir, 'fake-editor.sh');
  writeFileSync(editor, `#!/bin/sh\n${body}\n`);
  chmodSync(editor, 0o755);
  const env = { ...process.env, EDITOR: editor, VISUAL: '' };
  const res = spawnSync(process.execPath, [BIN, 'config', 'edit', '--repo', r.mainRoot], { encoding: 'utf8', timeout: 30_000, env });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('config init', () => {
  test('writes a valid commented config in the git common dir; MAIN stays clean', () => {
    const r = repo();
    const res = cli(r, ['config', 'init']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`wrote ${ownConfig(r)}: a commented template`));
    assert.match(readFileSync(ownConfig(r), 'utf8'), /^\/\/ flower-tui's config/);
    assert.equal(statSync(ownConfig(r)).mode & 0o777, 0o600);
    assert.equal(r.git(['status', '--porcelain']), '', 'MAIN is clean');
    const check = cli(r, ['config', 'check']);
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stdout.trim(), `ok: ${ownConfig(r)}`);
  });

  test('refuses to overwrite (exit 2) unless --force', () => {
    const r = repo();
    assert.equal(cli(r, ['config', 'init']).status, 0);
    const again = cli(r, ['config', 'init']);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists already \(flower-tui config edit opens it; --force replaces it\)/);
    assert.equal(cli(r, ['config', 'init', '--force']).status, 0);
  });

  test('copies a flower.config.json from MAIN, which is then ignored', () => {
    const r = repo();
    writeFileSync(path.join(r.mainRoot, 'flower.config.json'), '{ "ui": { "fps": 24 } }');
    const res = cli(r, ['config', 'init']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /copied from .*flower\.config\.json/);
    assert.equal(readFileSync(ownConfig(r), 'utf8'), '{ "ui": { "fps": 24 } }');
    const p = cli(r, ['config', 'path']);
    assert.equal(p.stdout.split('\n')[0], ownConfig(r));
    assert.match(p.stdout, /ignored {2}.*flower\.config\.json/);
  });
});

describe('config path, show, check', () => {
  test('path without any config: the defaults, and where it looked', () => {
    const r = repo();
    const res = cli(r, ['config', 'path', '--json']);
    assert.equal(res.status, 0, res.stderr);
    const j = JSON.parse(res.stdout) as { file: string | null; candidates: { path: string }[]; repoConfig: string };
    assert.equal(j.file, null);
    assert.equal(j.candidates[0]!.path, ownConfig(r));
    assert.equal(j.repoConfig, ownConfig(r));
  });

  test('show: defaults filled in, env values redacted', () => {
    const r = repo();
    writeFileSync(path.join(r.mainRoot, 'flower.config.json'), '{ "profiles": { "x": { "command": "x", "env": { "API_TOKEN": "sk-verysecretvalue1234567890" } } } }');
    const res = cli(r, ['config', 'show', '--json']);
    assert.equal(res.status, 0, res.stderr);
    assert.doesNotMatch(res.stdout, /verysecret/);
    const j = JSON.parse(res.stdout) as { file: string; config: { ui: { scrollback: number }; profiles: Record<string, { env: Record<string, string> }> } };
    assert.equal(j.config.ui.scrollback, 5000);
    assert.equal(j.config.profiles.x!.env.API_TOKEN, '«redacted»');
    assert.ok(j.config.profiles.shell, 'built-in profiles shown');
  });

  test('check: an invalid config is its one line, exit 2', () => {
    const r = repo();
    writeFileSync(path.join(r.mainRoot, 'flower.config.json'), '{ "lanes": { "pathPattern": "{repo}-lane" } }');
    const res = cli(r, ['config', 'check']);
    assert.equal(res.status, 2);
    assert.equal(res.stderr.trim().split('\n').length, 1);
    assert.match(res.stderr, /lanes\.pathPattern: "\{repo\}-lane" has no \{name\}/);
  });
});

describe('config edit', () => {
  test('creates the file, runs $EDITOR on it, checks the result', () => {
    const r = repo();
    const res = editWith(r, `printf '{ "restore": "off" }' > "$1"`);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), `ok: ${ownConfig(r)}`);
    assert.equal(readFileSync(ownConfig(r), 'utf8'), '{ "restore": "off" }');
  });

  test('an invalid result: the file is kept, one line says what is wrong, exit 2', () => {
    const r = repo();
    const res = editWith(r, `printf '{ "restore": "sometimes" }' > "$1"`);
    assert.equal(res.status, 2);
    assert.match(res.stderr, /restore: .* — the file is saved; run flower-tui config edit again/);
    assert.ok(existsSync(ownConfig(r)));
  });

  test('a failing editor: exit 2, the file as it was left', () => {
    const r = repo();
    const res = editWith(r, 'exit 3');
    assert.equal(res.status, 2);
    assert.match(res.stderr, /the editor .* exited 3/);
  });
});

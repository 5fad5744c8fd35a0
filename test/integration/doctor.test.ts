/**
 * `flower-tui doctor` (the built CLI): one line per dependency with the fix; bubblewrap missing is a
 * warning under sandbox.mode "auto" and a failure (exit 1) under "required".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo, makeTempDir } from '../helpers/git-repo.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/flower-tui.js');

/** A PATH with git but no bwrap. */
function pathWithoutBwrap(): string {
  const dir = makeTempDir('flower-doctor-path-');
  for (const tool of ['git']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), path.join(dir, tool));
  return dir;
}

function doctor(cwd: string, env: NodeJS.ProcessEnv = process.env, json = false) {
  return spawnSync(process.execPath, [BIN, 'doctor', ...(json ? ['--json'] : [])], { cwd, env: { ...env, CI: 'true' }, encoding: 'utf8', timeout: 60_000 });
}

test('doctor: one line per check; bubblewrap missing is a warning with the package to install', () => {
  const repo = makeRepo();
  try {
    const r = doctor(repo.mainRoot, { ...process.env, PATH: pathWithoutBwrap() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^warn {2}sandbox +bubblewrap \(bwrap\) is not installed: agents would run UNSANDBOXED {2}— fix: install bubblewrap \(apt-get install bubblewrap, or dnf install bubblewrap\)$/m);
    assert.match(r.stdout, /^ok {4}git +git version/m);
    for (const name of ['node', 'user namespaces', 'inotify', 'tmux', 'allocator', 'claude', 'codex', 'socket dir']) assert.match(r.stdout, new RegExp(`^(ok  |warn|FAIL)  ${name} `, 'm'), name);
    assert.equal(r.stderr, '');
  } finally {
    repo.cleanup();
  }
});

test('doctor under sandbox.mode "required": bubblewrap missing fails (exit 1); --json has every check', () => {
  const repo = makeRepo();
  try {
    writeFileSync(path.join(repo.mainRoot, 'flower.config.json'), JSON.stringify({ sandbox: { mode: 'required' } }));
    const r = doctor(repo.mainRoot, { ...process.env, PATH: pathWithoutBwrap() }, true);
    assert.equal(r.status, 1, r.stderr);
    const checks = JSON.parse(r.stdout) as { name: string; status: string; fix: string | null }[];
    assert.deepEqual(checks.find((c) => c.name === 'sandbox')?.status, 'fail');
    if (spawnSync('bwrap', ['--version']).status === 0) {
      const ok = doctor(repo.mainRoot, process.env, true);
      assert.equal((JSON.parse(ok.stdout) as { name: string; status: string }[]).find((c) => c.name === 'sandbox')?.status, 'ok');
    }
  } finally {
    repo.cleanup();
  }
});

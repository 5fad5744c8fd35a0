import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentsForWorktree, configCandidates, loadConfig, parseConfig } from '../../src/config/config.js';
import { FlowerError } from '../../src/core/errors.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flower-config-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory per test, with an XDG dir that has no config in it. */
function sandbox(name: string): { root: string; env: NodeJS.ProcessEnv } {
  const root = path.join(tmp, name);
  fs.mkdirSync(root, { recursive: true });
  const xdg = path.join(root, 'xdg');
  fs.mkdirSync(xdg);
  return { root, env: { XDG_CONFIG_HOME: xdg, SHELL: '/bin/zsh' } };
}

function write(file: string, content: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Run fn, assert it throws a FlowerError with `code`, return the message. */
function flowerError(fn: () => unknown, code: string): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FlowerError, `expected FlowerError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(!e.message.includes('\n'), `message should be one line: ${e.message}`);
    return e.message;
  }
  assert.fail(`expected FlowerError ${code}`);
}

describe('loadConfig: defaults', () => {
  test('no file anywhere → built-in defaults, source null', () => {
    const { root, env } = sandbox('defaults');
    const cfg = loadConfig({ mainRoot: root, env });
    assert.equal(cfg.source, null);
    assert.deepEqual(cfg.worktrees, {});
    assert.deepEqual(cfg.keys, {});
    assert.deepEqual(cfg.ui, { scrollback: 5000, fps: 60, backgroundFps: 15, mouse: true });
    assert.deepEqual(cfg.agents, { killGraceMs: 750 });
  });

  test('built-in profiles shell, claude, codex, gemini are present; shell follows $SHELL', () => {
    const { root, env } = sandbox('builtins');
    const cfg = loadConfig({ mainRoot: root, env });
    for (const p of ['shell', 'claude', 'codex', 'gemini']) assert.ok(cfg.profiles[p], `profile ${p}`);
    assert.equal(cfg.profiles.shell!.command, '/bin/zsh');
    assert.equal(cfg.profiles.claude!.command, 'claude');
    assert.equal(cfg.profiles.codex!.command, 'codex');
    assert.equal(cfg.profiles.gemini!.command, 'gemini');
  });

  test('shell falls back to /bin/sh without $SHELL', () => {
    const cfg = parseConfig({}, null, {});
    assert.equal(cfg.profiles.shell!.command, '/bin/sh');
  });

  test('partial ui section gets the other defaults filled in', () => {
    const cfg = parseConfig({ ui: { fps: 30 } }, 'x.json', {});
    assert.deepEqual(cfg.ui, { scrollback: 5000, fps: 30, backgroundFps: 15, mouse: true });
  });

  test('parseConfig(null) and parseConfig(undefined) are the defaults', () => {
    assert.deepEqual(parseConfig(null, null, {}).worktrees, {});
    assert.deepEqual(parseConfig(undefined, null, {}).ui.fps, 60);
  });
});

describe('loadConfig: finding the file', () => {
  test('flower.config.json at MAIN root is used', () => {
    const { root, env } = sandbox('mainroot');
    const file = write(path.join(root, 'flower.config.json'), { ui: { fps: 24 } });
    const cfg = loadConfig({ mainRoot: root, env });
    assert.equal(cfg.source, file);
    assert.equal(cfg.ui.fps, 24);
  });

  test('$XDG_CONFIG_HOME/flower-tui/config.json when MAIN has none', () => {
    const { root, env } = sandbox('xdg');
    const file = write(path.join(env.XDG_CONFIG_HOME!, 'flower-tui', 'config.json'), { ui: { fps: 12 } });
    const cfg = loadConfig({ mainRoot: root, env });
    assert.equal(cfg.source, file);
    assert.equal(cfg.ui.fps, 12);
  });

  test('MAIN root wins over XDG', () => {
    const { root, env } = sandbox('both');
    write(path.join(env.XDG_CONFIG_HOME!, 'flower-tui', 'config.json'), { ui: { fps: 12 } });
    write(path.join(root, 'flower.config.json'), { ui: { fps: 24 } });
    assert.equal(loadConfig({ mainRoot: root, env }).ui.fps, 24);
  });

  test('explicit file wins over both', () => {
    const { root, env } = sandbox('explicit');
    write(path.join(root, 'flower.config.json'), { ui: { fps: 24 } });
    const file = write(path.join(root, 'other.json'), { ui: { fps: 5 } });
    const cfg = loadConfig({ file, mainRoot: root, env });
    assert.equal(cfg.ui.fps, 5);
    assert.equal(cfg.source, file);
  });

  test('configCandidates falls back to ~/.config without XDG_CONFIG_HOME', () => {
    const c = configCandidates('/r', {});
    assert.equal(c[0], path.join('/r', 'flower.config.json'));
    assert.equal(c[1], path.join(os.homedir(), '.config', 'flower-tui', 'config.json'));
  });

  test('missing explicit file → config-unreadable naming the file', () => {
    const { root, env } = sandbox('missing');
    const file = path.join(root, 'nope.json');
    const msg = flowerError(() => loadConfig({ file, mainRoot: root, env }), 'config-unreadable');
    assert.match(msg, /nope\.json/);
    assert.match(msg, /no such file/);
  });

  test('explicit path that is a directory → config-unreadable', () => {
    const { root, env } = sandbox('dir');
    const msg = flowerError(() => loadConfig({ file: root, mainRoot: root, env }), 'config-unreadable');
    assert.ok(msg.includes(root), 'msg.includes(root)');
    assert.match(msg, /EISDIR/);
  });

  test('unreadable file (mode 000) → config-unreadable', { skip: process.getuid?.() === 0 ? 'root can read anything' : false }, () => {
    const { root, env } = sandbox('unreadable');
    const file = write(path.join(root, 'locked.json'), {});
    fs.chmodSync(file, 0o000);
    const msg = flowerError(() => loadConfig({ file, mainRoot: root, env }), 'config-unreadable');
    assert.match(msg, /locked\.json/);
    assert.match(msg, /EACCES/);
  });
});

describe('loadConfig: invalid files', () => {
  test('invalid JSON → config-invalid naming the file', () => {
    const { root, env } = sandbox('badjson');
    const file = write(path.join(root, 'flower.config.json'), '{ "profiles": { ');
    const msg = flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid');
    assert.ok(msg.includes(file), msg);
    assert.match(msg, /not valid JSON/);
  });

  test('wrong type names the field path profiles.x.command', () => {
    const { root, env } = sandbox('wrongtype');
    const file = write(path.join(root, 'flower.config.json'), { profiles: { x: { command: 5 } } });
    const msg = flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid');
    assert.ok(msg.includes(file), msg);
    assert.match(msg, /profiles\.x\.command: /);
  });

  test('empty command is rejected with its path', () => {
    const msg = flowerError(() => parseConfig({ profiles: { x: { command: '' } } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /profiles\.x\.command: must not be empty/);
  });

  test('typo at top level names the unknown key', () => {
    const msg = flowerError(() => parseConfig({ profile: {} }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /\(top level\): unknown key "profile"/);
  });

  test('typo inside a profile names the key and its path', () => {
    const msg = flowerError(() => parseConfig({ profiles: { x: { comand: 'a', command: 'b' } } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /profiles\.x: unknown key "comand"/);
  });

  test('typo inside ui names the key', () => {
    const msg = flowerError(() => parseConfig({ ui: { fsp: 10 } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /ui: unknown key "fsp"/);
  });

  test('several typos are all named', () => {
    const msg = flowerError(() => parseConfig({ ui: { fsp: 10, mose: true } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /unknown keys "fsp", "mose"/);
  });

  test('more than one issue says how many more', () => {
    const msg = flowerError(() => parseConfig({ profiles: { x: { command: 5 } }, ui: { fps: 'fast' } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /\(and 1 more\)/);
  });

  test('a typo is reported before the errors it causes', () => {
    // "comand" misspelt: the real "command" is then missing too; the typo is the useful message.
    const msg = flowerError(() => parseConfig({ profiles: { x: { comand: 'a' } } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /profiles\.x: unknown key "comand" \(and 1 more\)/);
  });

  test('messages do not carry zod\'s "Invalid input:" prefix', () => {
    const msg = flowerError(() => parseConfig({ profiles: { x: { command: 5 } } }, 'f.json', {}), 'config-invalid');
    assert.doesNotMatch(msg, /Invalid input:/);
    assert.match(msg, /profiles\.x\.command: expected string, received number/);
  });

  test('unknown key binding action is rejected', () => {
    const msg = flowerError(() => parseConfig({ keys: { attack: 'a' } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /keys/);
  });

  test('out of range ui.fps is rejected with its path', () => {
    const msg = flowerError(() => parseConfig({ ui: { fps: 0 } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /ui\.fps: /);
  });

  test('bad profile name is rejected naming the key', () => {
    const msg = flowerError(() => parseConfig({ profiles: { 'bad name': { command: 'x' } } }, 'f.json', {}), 'config-invalid');
    assert.match(msg, /profiles\.bad name: /);
  });

  test(
    'bad profile name explains the allowed characters',
    () => {
      const msg = flowerError(() => parseConfig({ profiles: { 'bad name': { command: 'x' } } }, 'f.json', {}), 'config-invalid');
      assert.match(msg, /profile names: letters, digits/);
    },
  );

  test('agent spec with a bad name names its path', () => {
    const msg = flowerError(
      () => parseConfig({ worktrees: { wt: { agents: [{ profile: 'shell', name: 'no spaces' }] } } }, 'f.json', {}),
      'config-invalid',
    );
    assert.match(msg, /worktrees\.wt\.agents\.0/);
  });

  test('worktree naming an unknown profile → worktrees.<wt>.agents.<i>', () => {
    const msg = flowerError(
      () => parseConfig({ worktrees: { 'feature-a': { agents: ['shell', { profile: 'clade' }] } } }, '/x/flower.config.json', {}),
      'config-invalid',
    );
    assert.match(msg, /worktrees\.feature-a\.agents\.1: unknown profile "clade"/);
    assert.match(msg, /\/x\/flower\.config\.json/);
    assert.match(msg, /known: .*claude/);
  });

  test('unknown profile as a plain string is rejected too', () => {
    const msg = flowerError(() => parseConfig({ worktrees: { '*': { agents: ['nope'] } } }, null, {}), 'config-invalid');
    assert.match(msg, /worktrees\.\*\.agents\.0: unknown profile "nope"/);
    assert.match(msg, /\(built-in\)/);
  });

  test('a worktree may use a user-defined profile', () => {
    const cfg = parseConfig({ profiles: { aider: { command: 'aider' } }, worktrees: { w: { agents: ['aider'] } } }, 'f.json', {});
    assert.deepEqual(cfg.worktrees.w!.agents, ['aider']);
  });
});

describe('profiles', () => {
  test('user profile replaces a built-in whole, others stay', () => {
    const cfg = parseConfig({ profiles: { claude: { command: '/opt/claude', args: ['--x'] } } }, 'f.json', {});
    assert.deepEqual(cfg.profiles.claude, { command: '/opt/claude', args: ['--x'], env: {} });
    assert.equal(cfg.profiles.claude!.description, undefined, 'no deep merge with the built-in');
    assert.equal(cfg.profiles.codex!.command, 'codex');
  });

  test('user profile gets args/env defaults', () => {
    const cfg = parseConfig({ profiles: { mine: { command: 'x', env: { A: '1' } } } }, 'f.json', {});
    assert.deepEqual(cfg.profiles.mine, { command: 'x', args: [], env: { A: '1' } });
    assert.ok(cfg.profiles.shell, 'built-ins still present');
  });
});

describe('agentsForWorktree', () => {
  const cfg = parseConfig(
    {
      worktrees: {
        'feature-auth': { agents: ['claude'] },
        'fix/login': { agents: ['codex', 'shell'] },
        '*': { agents: [{ profile: 'shell', name: 'sh' }] },
      },
    },
    'f.json',
    {},
  );

  test('by worktree name', () => {
    assert.deepEqual(agentsForWorktree(cfg, { name: 'feature-auth', branch: 'something-else' }), ['claude']);
  });

  test('by branch when the name has no entry', () => {
    assert.deepEqual(agentsForWorktree(cfg, { name: 'login-dir', branch: 'fix/login' }), ['codex', 'shell']);
  });

  test('name beats branch', () => {
    assert.deepEqual(agentsForWorktree(cfg, { name: 'feature-auth', branch: 'fix/login' }), ['claude']);
  });

  test('"*" otherwise, also for a detached worktree', () => {
    assert.deepEqual(agentsForWorktree(cfg, { name: 'other', branch: 'other' }), [{ profile: 'shell', name: 'sh' }]);
    assert.deepEqual(agentsForWorktree(cfg, { name: 'detached', branch: null }), [{ profile: 'shell', name: 'sh' }]);
  });

  test('nothing configured → no agents', () => {
    assert.deepEqual(agentsForWorktree(parseConfig({}, null, {}), { name: 'x', branch: 'x' }), []);
  });
});

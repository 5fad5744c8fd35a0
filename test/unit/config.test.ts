import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { agentsForWorktree, configCandidates, loadConfig, parseConfig, repoConfigFile } from '../../src/config/config.js';
import { FlowerError } from '../../src/shared/errors.js';

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

  test('parseConfig(undefined) (no file) is the defaults; null is refused', () => {
    assert.deepEqual(parseConfig(undefined, null, {}).ui.fps, 60);
    assert.match(flowerError(() => parseConfig(null, 'f.json', {}), 'config-invalid'), /f\.json: \(top level\): expected an object/);
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

/** parseConfig's one line for `raw`, labelled with /x/f.json. */
function refused(raw: unknown): string {
  return flowerError(() => parseConfig(raw, '/x/f.json', {}), 'config-invalid');
}

describe('validation holes (issue 13.1): each refused with one line naming the file and the field', () => {
  test('null as the whole file', () => {
    const { root, env } = sandbox('null-file');
    const file = write(path.join(root, 'flower.config.json'), 'null');
    const msg = flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid');
    assert.ok(msg.includes(file), msg);
    assert.match(msg, /\(top level\): expected an object/);
  });

  test('an array or a number as the whole file', () => {
    assert.match(refused([]), /got an array/);
    assert.match(refused(3), /got number/);
  });

  test('reversed lanes.served.portRange', () => {
    const msg = refused({ lanes: { served: { portRange: [8199, 8100] } } });
    assert.match(msg, /\/x\/f\.json: lanes\.served\.portRange: \[8199, 8100\] is reversed/);
  });

  test('invalid regex in usage.pattern', () => {
    const msg = refused({ profiles: { g: { command: 'g', usage: { source: 'screen', pattern: '(\\d+% left' } } } });
    assert.match(msg, /profiles\.g\.usage\.pattern: not a valid regular expression/);
  });

  test('invalid regex in promptPattern', () => {
    const msg = refused({ profiles: { g: { command: 'g', promptPattern: '[unclosed' } } });
    assert.match(msg, /profiles\.g\.promptPattern: not a valid regular expression/);
  });

  test('unknown profile in monitor.ops', () => {
    assert.match(refused({ monitor: { ops: 'htop' } }), /monitor\.ops: unknown profile "htop" \(known: /);
    assert.equal(parseConfig({ profiles: { htop: { command: 'htop' } }, monitor: { ops: 'htop' } }, 'f', {}).monitor.ops, 'htop');
  });

  test('unknown profile in lanes.agents (up front, not after the lane exists)', () => {
    assert.match(refused({ lanes: { agents: ['shell', 'clade'] } }), /lanes\.agents\.1: unknown profile "clade"/);
  });

  test('a profile name from Object.prototype is not "known"', () => {
    assert.match(refused({ worktrees: { '*': { agents: ['constructor'] } } }), /unknown profile "constructor"/);
    assert.match(refused({ lanes: { agents: ['toString'] } }), /unknown profile "toString"/);
  });

  test('__proto__ as a profile name (from the file: never reaches a prototype)', () => {
    const { root, env } = sandbox('proto');
    write(path.join(root, 'flower.config.json'), '{ "profiles": { "__proto__": { "command": "evil" } } }');
    const msg = flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid');
    assert.match(msg, /profiles\.__proto__: "__proto__" is not allowed/);
    assert.equal(({} as Record<string, unknown>).command, undefined, 'Object.prototype untouched');
  });

  test('refresh.refreshAt 1.5: neither a fraction nor a token count', () => {
    const msg = refused({ profiles: { c: { command: 'c', refresh: { refreshAt: 1.5 } } } });
    assert.match(msg, /profiles\.c\.refresh\.refreshAt: a fraction of the window \(0 < x ≤ 1\) or a whole number of tokens/);
    assert.equal(parseConfig({ profiles: { c: { command: 'c', refresh: { warnAt: 100000, refreshAt: 150000 } } } }, 'f', {}).profiles.c!.refresh!.refreshAt, 150000);
  });

  test('warnAt above refreshAt', () => {
    assert.match(refused({ profiles: { c: { command: 'c', refresh: { warnAt: 0.9, refreshAt: 0.8 } } } }), /profiles\.c\.refresh\.warnAt: 0\.9 is above refreshAt 0\.8/);
    assert.match(refused({ profiles: { c: { command: 'c', refresh: { warnAt: 150000, refreshAt: 100000 } } } }), /warnAt: 150000 is above refreshAt 100000/);
  });

  test('lanes.pathPattern without {name}', () => {
    assert.match(refused({ lanes: { pathPattern: '{repo}-lane' } }), /lanes\.pathPattern: "\{repo\}-lane" has no \{name\}/);
  });

  test('key bindings are checked with the config (conflict), naming the file', () => {
    const msg = refused({ keys: { next: 'n', newAgent: 'n' } });
    assert.match(msg, /^invalid config \/x\/f\.json: keys\.(next|newAgent): "n" is already bound to (next|newAgent)$/);
  });

  test('key names no key produces: "banana", "ctrl-", control characters', () => {
    assert.match(refused({ keys: { kill: 'banana' } }), /\/x\/f\.json: keys\.kill: "banana" is not a key name/);
    assert.match(refused({ keys: { kill: ['K', 'ctrl-'] } }), /keys\.kill\.1: "ctrl-" is not a key name/);
    assert.match(refused({ keys: { kill: '\u0001' } }), /keys\.kill: .* is a control character/);
    const ok = parseConfig({ keys: { kill: ['K', 'ctrl-x', 'alt-enter', 'f12', 'Delete', 'ctrl-alt-k', '-'] } }, 'f', {});
    assert.deepEqual(ok.keys.kill, ['K', 'ctrl-x', 'alt-enter', 'f12', 'Delete', 'ctrl-alt-k', '-']);
  });

  test('ui.scrollback 1e30 is told the real limit', () => {
    const msg = refused({ ui: { scrollback: 1e30 } });
    assert.match(msg, /ui\.scrollback: between 100 and 100000/);
    assert.doesNotMatch(msg, /9007199254740991/);
  });
});

describe('durations are bounded to what a timer can hold (issue 14.3)', () => {
  const cases: [string, unknown][] = [
    ['merge.gateTimeoutMs', { merge: { gateTimeoutMs: 3_000_000_000 } }],
    ['merge.healthTimeoutMs', { merge: { healthTimeoutMs: 2 ** 31 } }],
    ['monitor.gitPollMs', { monitor: { gitPollMs: 99_999_999_999 } }],
    ['monitor.healthEveryMs', { monitor: { healthEveryMs: 1e30 } }],
    ['profiles.c.refresh.cooldownMs', { profiles: { c: { command: 'c', refresh: { cooldownMs: 2 ** 40 } } } }],
    ['briefs.claimTimeoutMs', { briefs: { claimTimeoutMs: 2 ** 32 } }],
  ];
  for (const [field, raw] of cases) {
    test(`${field} above 2^31-1 ms says the limit`, () => {
      const msg = refused(raw);
      assert.ok(msg.includes(`${field}: at most 2147483647 ms`), msg);
    });
  }
  test('exactly 2^31-1 is accepted', () => {
    assert.equal(parseConfig({ merge: { gateTimeoutMs: 2 ** 31 - 1 } }, 'f', {}).merge.gateTimeoutMs, 2 ** 31 - 1);
  });
});

describe('reading the file (JSONC, BOM, duplicates, regular files only)', () => {
  test('// and /* */ comments and trailing commas are accepted', () => {
    const { root, env } = sandbox('jsonc');
    write(path.join(root, 'flower.config.json'), '// my config\n{\n  /* fast */ "ui": { "fps": 30, },\n  "merge": { "strategy": "squash" }, // trailing\n}\n');
    const cfg = loadConfig({ mainRoot: root, env });
    assert.equal(cfg.ui.fps, 30);
    assert.equal(cfg.merge.strategy, 'squash');
  });

  test('a UTF-8 BOM is accepted', () => {
    const { root, env } = sandbox('bom');
    write(path.join(root, 'flower.config.json'), '\ufeff{ "ui": { "fps": 20 } }');
    assert.equal(loadConfig({ mainRoot: root, env }).ui.fps, 20);
  });

  test('a syntax error names the file, the problem and the line', () => {
    const { root, env } = sandbox('syntax');
    const file = write(path.join(root, 'flower.config.json'), '{\n  "ui": { "fps": 30 }\n  "merge": {}\n}');
    const msg = flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid');
    assert.ok(msg.startsWith(`invalid config ${file}: not valid JSON: `), msg);
    assert.match(msg, /line 3/);
  });

  test('an empty file is refused, saying what to write', () => {
    const { root, env } = sandbox('empty');
    write(path.join(root, 'flower.config.json'), '  \n');
    assert.match(flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid'), /empty \(write \{\} for the defaults\)/);
  });

  test('a duplicate key is refused with its path and line', () => {
    const { root, env } = sandbox('dup');
    write(path.join(root, 'flower.config.json'), '{ "merge": { "gate": "npm test",\n "gate": "true" } }');
    assert.match(flowerError(() => loadConfig({ mainRoot: root, env }), 'config-invalid'), /merge\.gate: duplicate key \(line 2/);
  });

  test('a FIFO fails at once with one line (no hang waiting for a writer)', () => {
    const { root, env } = sandbox('fifo');
    const fifo = path.join(root, 'cfg.fifo');
    execFileSync('mkfifo', [fifo]);
    const msg = flowerError(() => loadConfig({ file: fifo, mainRoot: root, env }), 'config-unreadable');
    assert.match(msg, /cfg\.fifo: not a regular file \(a FIFO\)/);
  });

  test('/dev/zero fails at once (no reading without end)', () => {
    const { root, env } = sandbox('zero');
    assert.match(flowerError(() => loadConfig({ file: '/dev/zero', mainRoot: root, env }), 'config-unreadable'), /\/dev\/zero: not a regular file \(a character device\)/);
  });

  test('a file over 1 MiB is refused', () => {
    const { root, env } = sandbox('big');
    const file = write(path.join(root, 'big.json'), `{"$schema": "${'x'.repeat(1024 * 1024)}"}`);
    assert.match(flowerError(() => loadConfig({ file, mainRoot: root, env }), 'config-unreadable'), /larger than 1 MiB/);
  });

  test('a symlink to a regular file is fine', () => {
    const { root, env } = sandbox('symlink');
    const real = write(path.join(root, 'real.json'), { ui: { fps: 7 } });
    fs.symlinkSync(real, path.join(root, 'flower.config.json'));
    assert.equal(loadConfig({ mainRoot: root, env }).ui.fps, 7);
  });
});

describe('the repository\'s own config (outside MAIN\'s tree)', () => {
  test('<git common dir>/flower/config.json wins over flower.config.json and XDG', () => {
    const { root, env } = sandbox('repo-config');
    const common = path.join(root, '.git');
    write(path.join(root, 'flower.config.json'), { ui: { fps: 24 } });
    const file = write(repoConfigFile(common), { ui: { fps: 9 } });
    const cfg = loadConfig({ mainRoot: root, commonDir: common, env });
    assert.equal(cfg.source, file);
    assert.equal(cfg.ui.fps, 9);
    assert.equal(configCandidates(root, env, common)[0], file);
  });
});

describe('defaults from an operator\'s day (issue 13.7)', () => {
  test('migrations are flagged by default, in the usual places; merge.flagged replaces the list', async () => {
    const { flagPaths } = await import('../../src/core/merge/merge-preview.js');
    const cfg = parseConfig(undefined, null, {});
    const files = ['db/migrate/20260101_add_users.rb', 'app/models/user.rb', 'shop/migrations/0002_auto.py', 'migrations/001.sql', 'database/migrations/2026_create.php', 'prisma/migrations/1/migration.sql', 'alembic/versions/abc.py', 'src/main/resources/db/migration/V1__init.sql', 'README.md'];
    const hit = flagPaths(files, cfg.merge.flagged).flatMap((f) => f.files);
    assert.deepEqual([...new Set(hit)].sort(), files.filter((f) => !['app/models/user.rb', 'README.md'].includes(f)).sort());
    assert.deepEqual(parseConfig({ merge: { flagged: [] } }, 'f', {}).merge.flagged, [], 'overridable: [] flags nothing');
  });

  test('a served lane gets its own PORT by default', () => {
    const cfg = parseConfig(undefined, null, {});
    assert.deepEqual(cfg.lanes.served.env, { PORT: '{port}' });
    assert.equal(cfg.lanes.served.rewriteUrls, true);
    assert.deepEqual(parseConfig({ lanes: { served: { env: {} } } }, 'f', {}).lanes.served.env, {}, 'overridable');
  });
});

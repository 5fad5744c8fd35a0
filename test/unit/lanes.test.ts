/**
 * Lanes, the pure parts: what provisioning copies and rewrites (src/core/lanes/provision.ts), the
 * setup script (run for real with /bin/sh, with a hostile lane name in its environment), the
 * new-worktree form (`w`) and the remove-worktree dialog (`W`) of the grid's key handling.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  allocatePort,
  applyEnvOverrides,
  copyIntoLane,
  copyList,
  fillTemplate,
  globToRegExp,
  isEnvFile,
  provisionLane,
  stripSecrets,
} from '../../src/core/lanes/provision.js';
import { SETUP_STEP_OSC, setupScript } from '../../src/core/lanes/setup-script.js';
import { LANES_DEFAULT } from '../../src/config/schema.js';
import type { KeyContext } from '../../src/ui/input/grid-keys.js';
import { FORM_FIELDS, fieldsOf, newWorktreeForm } from '../../src/ui/dialogs/new-worktree-form.js';
import { parseConfig } from '../../src/config/config.js';
import type { Dialog, UiState } from '../../src/ui/ui-state.js';
import type { Snapshot } from '../../src/core/types.js';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';
import { keyHarness, TAB, SHIFT_TAB, ENTER, ESC, BACKSPACE, LEFT, RIGHT, UP, DOWN, paste } from '../helpers/key-harness.js';

const tmpDirs: string[] = [];
after(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'flower-lanes-unit-'));
  tmpDirs.push(d);
  return d;
}

const DEFAULT_SECRETS = LANES_DEFAULT.secretPatterns;

// ---------------------------------------------------------------------------------------------------
describe('copyList', () => {
  test('the config list plus the include file, comments and blank lines ignored, no duplicates', () => {
    const main = tempDir();
    writeFileSync(
      path.join(main, '.worktreeinclude'),
      ['# files a lane needs that git does not track', '', '.env', 'config/local.json  ', '  # indented comment', 'certs/dev.pem', '\t', '.env.local', ''].join('\n'),
    );
    assert.deepEqual(copyList(main, ['.env', 'secrets.txt'], '.worktreeinclude'), ['.env', 'secrets.txt', 'config/local.json', 'certs/dev.pem', '.env.local']);
  });

  test('CRLF include files are read line by line without the \\r', () => {
    const main = tempDir();
    writeFileSync(path.join(main, '.worktreeinclude'), '# windows\r\n.env.dev\r\nsub/x.txt\r\n');
    assert.deepEqual(copyList(main, [], '.worktreeinclude'), ['.env.dev', 'sub/x.txt']);
  });

  test('no include file (missing, or disabled with ""): the config list only', () => {
    const main = tempDir();
    assert.deepEqual(copyList(main, ['.env'], '.worktreeinclude'), ['.env']);
    writeFileSync(path.join(main, '.worktreeinclude'), 'other\n');
    assert.deepEqual(copyList(main, ['.env'], ''), ['.env'], 'includeFile "" disables it');
  });
});

describe('copyIntoLane', () => {
  test('copies listed regular files (creating directories); skips missing ones and paths escaping the tree', () => {
    const root = tempDir();
    const main = path.join(root, 'repo');
    const lane = path.join(root, 'repo-lane');
    mkdirSync(path.join(main, 'config'), { recursive: true });
    mkdirSync(lane);
    writeFileSync(path.join(main, '.env'), 'A=1\n');
    writeFileSync(path.join(main, 'config', 'local.json'), '{}\n');
    writeFileSync(path.join(root, 'outside.txt'), 'not yours\n');
    mkdirSync(path.join(main, 'adir'));
    const copied = copyIntoLane(main, lane, ['.env', 'config/local.json', 'missing.txt', '../outside.txt', path.join(root, 'outside.txt'), 'adir']);
    assert.deepEqual(copied, ['.env', 'config/local.json']);
    assert.equal(readFileSync(path.join(lane, 'config', 'local.json'), 'utf8'), '{}\n');
    assert.deepEqual(readdirSync(lane).sort(), ['.env', 'config'], 'nothing else in the lane (no outside.txt, no adir)');
    assert.deepEqual(readdirSync(root).sort(), ['outside.txt', 'repo', 'repo-lane'], 'nothing written beside the lane');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('globToRegExp', () => {
  test('* matches anything, the rest literally, whole key, case-insensitive', () => {
    const key = globToRegExp('*_KEY');
    assert.ok(key.test('API_KEY'), 'API_KEY matches *_KEY');
    assert.ok(key.test('stripe_secret_key'), 'case-insensitive');
    assert.ok(!key.test('KEYBOARD'), 'KEYBOARD does not match *_KEY');
    assert.ok(!key.test('API_KEY_ID'), 'the whole key must match');
    assert.ok(globToRegExp('*PASSWORD*').test('DB_PASSWORD_FILE'), '*PASSWORD* matches in the middle');
    assert.ok(globToRegExp('A.B').test('A.B') && !globToRegExp('A.B').test('AxB'), '"." is literal');
    assert.ok(globToRegExp('X+(Y)$').test('X+(Y)$'), 'regex metacharacters are literal');
    assert.ok(globToRegExp('TOKEN').test('token') && !globToRegExp('TOKEN').test('MY_TOKEN'), 'no * means exactly that key');
  });
});

describe('applyEnvOverrides', () => {
  test('replaces assignments in place (order, comments, other keys kept) and appends the rest', () => {
    const before = '# app\nPORT=3000\nNAME=shop\n\nDATABASE_URL=postgres://localhost/shop\n';
    const after = applyEnvOverrides(before, { PORT: '8101', DATABASE_URL: 'postgres://localhost/shop_lane', APP_LANE: 'feat' });
    assert.equal(after, '# app\nPORT=8101\nNAME=shop\n\nDATABASE_URL=postgres://localhost/shop_lane\nAPP_LANE=feat\n');
  });

  test('keeps `export` and the spacing around "="', () => {
    const after = applyEnvOverrides('export PORT=3000\n  export  HOST = 0.0.0.0\nOTHER=x', { PORT: '8100', HOST: '127.0.0.1' });
    assert.equal(after, 'export PORT=8100\n  export  HOST = 127.0.0.1\nOTHER=x\n');
  });

  test('quotes values that need it (spaces, quotes, #, $, newlines) and leaves plain ones bare', () => {
    const after = applyEnvOverrides('', { A: 'plain-value_1.2:3/4@x', B: 'two words', C: 'say "hi"', D: 'a#b', E: 'line1\nline2', F: '' });
    const lines = after.split('\n');
    assert.equal(lines[0], 'A=plain-value_1.2:3/4@x');
    assert.equal(lines[1], 'B="two words"');
    assert.equal(lines[2], 'C="say \\"hi\\""');
    assert.equal(lines[3], 'D="a#b"');
    assert.equal(lines[4], 'E="line1\\nline2"', 'a newline never splits the assignment');
    assert.equal(lines[5], 'F=');
    assert.equal(lines.length, 7, 'one line per key plus the final newline');
  });

  test('empty text: only the overrides; nothing to override: text unchanged (plus a final newline)', () => {
    assert.equal(applyEnvOverrides('', { PORT: '1' }), 'PORT=1\n');
    assert.equal(applyEnvOverrides('A=1\nB=2', {}), 'A=1\nB=2\n');
  });

  test(
    'a key assigned twice gets the override on every assignment (dotenv and sh use the last one)',
    () => {
      const after = applyEnvOverrides('PORT=3000\nA=1\nPORT=3000\n', { PORT: '8105' });
      assert.ok(!after.includes('PORT=3000'), `the old port survived: ${JSON.stringify(after)}`);
    },
  );
});

describe('stripSecrets', () => {
  const env = [
    '# secrets',
    'API_KEY=sk-live-123',
    'export GITHUB_TOKEN="ghp_abc"',
    'AWS_SECRET = wJalr',
    'DB_PASSWORD=hunter2',
    'db_password_file=/run/pw',
    'PORT=3000',
    'KEYBOARD=qwerty',
    'PUBLIC_URL=https://example.test',
    'TOKEN_URL=https://auth.test/token',
    '',
  ].join('\n');

  test('the default patterns (*_KEY, *_SECRET, *_TOKEN, *PASSWORD*) empty those values and keep every other line', () => {
    const { text, stripped } = stripSecrets(env, DEFAULT_SECRETS);
    assert.deepEqual(stripped, ['API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET', 'DB_PASSWORD', 'db_password_file']);
    assert.equal(
      text,
      ['# secrets', 'API_KEY=', 'export GITHUB_TOKEN=', 'AWS_SECRET = ', 'DB_PASSWORD=', 'db_password_file=', 'PORT=3000', 'KEYBOARD=qwerty', 'PUBLIC_URL=https://example.test', 'TOKEN_URL=https://auth.test/token', ''].join('\n'),
    );
    for (const v of ['sk-live-123', 'ghp_abc', 'wJalr', 'hunter2', '/run/pw']) assert.ok(!text.includes(v), `${v} left in the text`);
  });

  test('custom patterns; no patterns strips nothing', () => {
    assert.deepEqual(stripSecrets('SESSION=abc\nPORT=1\n', ['SESSION']).stripped, ['SESSION']);
    const none = stripSecrets(env, []);
    assert.equal(none.text, env);
    assert.deepEqual(none.stripped, []);
  });

  test(
    'a multi-line quoted secret (a PEM key) is removed whole, not just its first line',
    () => {
      const pem = 'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7secretbody\n-----END RSA PRIVATE KEY-----"\nPORT=3000\n';
      const { text } = stripSecrets(pem, DEFAULT_SECRETS);
      assert.ok(!text.includes('MIIEowIBAAKCAQEA7secretbody'), `secret body left: ${JSON.stringify(text)}`);
      assert.ok(text.includes('PORT=3000'), 'the next key is kept');
    },
  );
});

describe('fillTemplate, allocatePort, isEnvFile', () => {
  test('fillTemplate fills every {name} and {port}; no port → empty', () => {
    assert.equal(fillTemplate('http://{name}.localhost:{port}/{name}', { name: 'feat', port: 8101 }), 'http://feat.localhost:8101/feat');
    assert.equal(fillTemplate('p={port};n={name}', { name: 'x', port: null }), 'p=;n=x');
    assert.equal(fillTemplate('{other} stays', { name: 'x', port: 1 }), '{other} stays');
  });

  test('allocatePort: the lowest free port of the range; exhausted → null; a reversed range works too', () => {
    assert.equal(allocatePort([8100, 8199], []), 8100);
    assert.equal(allocatePort([8100, 8199], [8100, 8101, 8103]), 8102);
    assert.equal(allocatePort([8100, 8102], new Set([8100, 8101, 8102])), null);
    assert.equal(allocatePort([8100, 8100], [8100]), null);
    assert.equal(allocatePort([8100, 8100], [9000]), 8100);
    assert.equal(allocatePort([8102, 8100], [8100]), 8101);
  });

  test('isEnvFile: .env and .env.* anywhere, nothing else', () => {
    for (const f of ['.env', '.env.local', '.env.production', 'config/.env', 'apps/web/.env.dev']) assert.ok(isEnvFile(f), `${f} is an env file`);
    for (const f of ['env', 'x.env', '.envrc', 'config/env.json', '.env/', 'my.env.local', 'README.md']) assert.ok(!isEnvFile(f), `${f} is not an env file`);
  });
});

describe('provisionLane', () => {
  function fixture(): { main: string; lane: string } {
    const root = tempDir();
    const main = path.join(root, 'repo');
    const lane = path.join(root, 'repo-feat');
    mkdirSync(path.join(main, 'web'), { recursive: true });
    mkdirSync(lane);
    writeFileSync(path.join(main, '.env'), 'API_KEY=sk-live-xyz\nPORT=3000\nNAME=shop\n');
    writeFileSync(path.join(main, 'web', '.env.local'), 'STRIPE_SECRET=whsec_1\nDEBUG=1\n');
    writeFileSync(path.join(main, 'notes.txt'), 'API_KEY=not-an-env-file\n');
    return { main, lane };
  }
  const files = ['.env', 'web/.env.local', 'notes.txt'];

  test('served: .env overrides with {name}/{port} filled; secrets kept (a served lane runs the app)', () => {
    const { main, lane } = fixture();
    const r = provisionLane({ mainRoot: main, lanePath: lane, files, kind: 'served', name: 'feat', port: 8107, servedEnv: { PORT: '{port}', APP_URL: 'http://{name}.localhost:{port}' }, secretPatterns: DEFAULT_SECRETS });
    assert.deepEqual(r, { copied: files, overridden: ['PORT', 'APP_URL'], stripped: [] });
    assert.equal(readFileSync(path.join(lane, '.env'), 'utf8'), 'API_KEY=sk-live-xyz\nPORT=8107\nNAME=shop\nAPP_URL=http://feat.localhost:8107\n');
    assert.equal(readFileSync(path.join(main, '.env'), 'utf8'), 'API_KEY=sk-live-xyz\nPORT=3000\nNAME=shop\n', "MAIN's .env untouched");
  });

  test('code-only: secrets emptied in every copied env file (reported as file:key), other files and keys as they were', () => {
    const { main, lane } = fixture();
    const r = provisionLane({ mainRoot: main, lanePath: lane, files, kind: 'code-only', name: 'feat', port: null, servedEnv: { PORT: '{port}' }, secretPatterns: DEFAULT_SECRETS });
    assert.deepEqual(r, { copied: files, overridden: [], stripped: ['.env:API_KEY', 'web/.env.local:STRIPE_SECRET'] });
    assert.equal(readFileSync(path.join(lane, '.env'), 'utf8'), 'API_KEY=\nPORT=3000\nNAME=shop\n');
    assert.equal(readFileSync(path.join(lane, 'web', '.env.local'), 'utf8'), 'STRIPE_SECRET=\nDEBUG=1\n');
    assert.equal(readFileSync(path.join(lane, 'notes.txt'), 'utf8'), 'API_KEY=not-an-env-file\n', 'not an env file: copied as is');
  });

  test('served with no .env in MAIN: the overrides make one', () => {
    const root = tempDir();
    const main = path.join(root, 'repo');
    const lane = path.join(root, 'repo-x');
    mkdirSync(main);
    mkdirSync(lane);
    const r = provisionLane({ mainRoot: main, lanePath: lane, files: ['.env'], kind: 'served', name: 'x', port: 8100, servedEnv: { PORT: '{port}' }, secretPatterns: [] });
    assert.deepEqual(r.copied, []);
    assert.equal(readFileSync(path.join(lane, '.env'), 'utf8'), 'PORT=8100\n');
  });

  test('served, by default: its own PORT, and URLs on localhost at MAIN\'s port moved to it; other hosts untouched', () => {
    const root = tempDir();
    const main = path.join(root, 'repo');
    const lane = path.join(root, 'repo-x');
    mkdirSync(main);
    mkdirSync(lane);
    writeFileSync(path.join(main, '.env'), 'PORT=3000\nAPP_URL=http://localhost:3000\nAPI="http://127.0.0.1:3000/api"\nCDN=https://cdn.example.com:3000\nDB=postgres://localhost:5432/app\nOTHER=localhost:30001\n');
    const cfg = parseConfig(undefined, null, {});
    const r = provisionLane({ mainRoot: main, lanePath: lane, files: ['.env'], kind: 'served', name: 'x', port: 8100, servedEnv: cfg.lanes.served.env, rewriteUrls: cfg.lanes.served.rewriteUrls, secretPatterns: [] });
    assert.deepEqual(r.overridden, ['PORT', 'APP_URL', 'API']);
    assert.equal(
      readFileSync(path.join(lane, '.env'), 'utf8'),
      'PORT=8100\nAPP_URL=http://localhost:8100\nAPI=http://127.0.0.1:8100/api\nCDN=https://cdn.example.com:3000\nDB=postgres://localhost:5432/app\nOTHER=localhost:30001\n',
    );
  });

  test('served with rewriteUrls off and env {}: the .env exactly as MAIN has it (overridable)', () => {
    const root = tempDir();
    const main = path.join(root, 'repo');
    const lane = path.join(root, 'repo-x');
    mkdirSync(main);
    mkdirSync(lane);
    writeFileSync(path.join(main, '.env'), 'PORT=3000\nAPP_URL=http://localhost:3000\n');
    const r = provisionLane({ mainRoot: main, lanePath: lane, files: ['.env'], kind: 'served', name: 'x', port: 8100, servedEnv: {}, rewriteUrls: false, secretPatterns: [] });
    assert.deepEqual(r.overridden, []);
    assert.equal(readFileSync(path.join(lane, '.env'), 'utf8'), 'PORT=3000\nAPP_URL=http://localhost:3000\n');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('setupScript, run by /bin/sh', () => {
  function run(commands: string[], env: Record<string, string> = {}): { dir: string; status: number | null; out: string } {
    const dir = tempDir();
    const r = spawnSync('/bin/sh', ['-c', setupScript(commands)], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FLOWER_LANE: 'feat', FLOWER_PORT: '8100', ...env }, timeout: 20_000 });
    return { dir, status: r.status, out: r.stdout + r.stderr };
  }

  test('steps run in order, each announced, then "setup done"; exit 0', () => {
    const { dir, status, out } = run(['echo one >> log.txt', 'echo two >> log.txt', 'echo three >> log.txt']);
    assert.equal(status, 0);
    assert.equal(readFileSync(path.join(dir, 'log.txt'), 'utf8'), 'one\ntwo\nthree\n');
    const i1 = out.indexOf('▶ [1/3] echo one >> log.txt');
    const i2 = out.indexOf('▶ [2/3] echo two >> log.txt');
    const i3 = out.indexOf('▶ [3/3] echo three >> log.txt');
    assert.ok(i1 !== -1 && i1 < i2 && i2 < i3, `steps announced in order: ${JSON.stringify(out)}`);
    assert.ok(out.indexOf('✓ setup done') > i3, 'done after the last step');
    for (const n of [1, 2, 3]) assert.ok(out.includes(`\x1b]${SETUP_STEP_OSC};${n}\x07`), `progress marker of step ${n}`);
  });

  test('stops at the first failing step, with its exit code', () => {
    const { dir, status, out } = run(['echo one >> log.txt', 'sh -c "exit 7"', 'echo never >> log.txt']);
    assert.equal(status, 7);
    assert.equal(readFileSync(path.join(dir, 'log.txt'), 'utf8'), 'one\n', 'the step after the failure never ran');
    assert.ok(!out.includes('[3/3]'), 'step 3 never announced');
    assert.ok(!out.includes('setup done'), 'no "done" after a failure');
    assert.equal(run(['false']).status, 1, '`false` fails the setup with 1');
    assert.equal(run(['no-such-command-flower-xyz']).status, 127, 'a missing command: 127');
  });

  test('a step may cd or export for the next one (one shell, not subshells)', () => {
    const { dir, status } = run(['mkdir sub && cd sub', 'export GREETING=hi', 'echo "$GREETING" > here.txt']);
    assert.equal(status, 0);
    assert.equal(readFileSync(path.join(dir, 'sub', 'here.txt'), 'utf8'), 'hi\n');
  });

  test('commands with quotes, % and backslashes are shown and run as written', () => {
    const { dir, status, out } = run([`printf '%s\\n' "it's 100%" > q.txt`]);
    assert.equal(status, 0);
    assert.equal(readFileSync(path.join(dir, 'q.txt'), 'utf8'), "it's 100%\n");
    assert.ok(out.includes(`▶ [1/1] printf '%s\\n' "it's 100%" > q.txt`), `announced verbatim: ${JSON.stringify(out)}`);
  });

  test('{name} and {port} arrive as "$FLOWER_LANE" / "$FLOWER_PORT": a hostile lane name is data, never code', () => {
    const probe = tempDir();
    const hostile = `a;touch ${probe}/pwned1 $(touch ${probe}/pwned2) \`touch ${probe}/pwned3\` ' " | touch ${probe}/pwned4`;
    const script = setupScript(['printf "%s|%s" {name} {port} > lane.txt']);
    assert.ok(!script.includes('touch'), 'the name is not in the script text');
    const { dir, status } = run(['printf "%s|%s" {name} {port} > lane.txt'], { FLOWER_LANE: hostile, FLOWER_PORT: '8123' });
    assert.equal(status, 0);
    assert.equal(readFileSync(path.join(dir, 'lane.txt'), 'utf8'), `${hostile}|8123`, 'the name arrived as one literal argument');
    for (const n of [1, 2, 3, 4]) assert.ok(!existsSync(path.join(probe, `pwned${n}`)), `pwned${n} was created: the name was executed`);
  });

  test('no commands: just "setup done"', () => {
    const { status, out } = run([]);
    assert.equal(status, 0);
    assert.ok(out.includes('✓ setup done'), 'done');
  });
});

// ---------------------------------------------------------------------------------------------------
/** Keys through the grid's handler (test/helpers/key-harness.ts), with the new-worktree form at hand. */
function harness(snapshot: Snapshot = fakeSnapshot(), ui: Partial<UiState> = {}, laneDefaults?: KeyContext['laneDefaults']) {
  const h = keyHarness({ snapshot, ui, cols: 100, rows: 30, context: { mode: 'remote', bufferSize: () => ({ length: 100, rows: 20 }), search: () => [], laneDefaults } });
  return Object.assign(h, {
    form() {
      const d = h.ui.dialog;
      assert.ok(d && d.kind === 'new-worktree', `the new-worktree form is open (dialog: ${d?.kind ?? 'none'})`);
      return d;
    },
  });
}

describe('new-worktree form (w)', () => {
  test('w opens an empty form on the name field', () => {
    const h = harness();
    h.press('w');
    assert.deepEqual(h.form(), newWorktreeForm());
    assert.deepEqual(fieldsOf(h.form()), ['name', 'lane', 'served', 'base', 'agents'], 'no host configured: no choice of where');
  });

  test('with hosts configured, the last field says where the lane is made; a host makes it host:name', () => {
    const snap = { ...fakeSnapshot(), hosts: [{ name: 'box', state: 'connected' as const, message: null, retryAt: null }, { name: 'gpu', state: 'unreachable' as const, message: 'gpu: cannot reach', retryAt: null }] };
    const h = harness(snap);
    h.press('w');
    assert.deepEqual(fieldsOf(h.form()), FORM_FIELDS);
    assert.deepEqual([h.form().host, h.form().hosts], ['', ['box', 'gpu']], 'here by default');
    h.press('far' + SHIFT_TAB);
    assert.equal(fieldsOf(h.form())[h.form().field], 'host');
    h.press(' ');
    assert.equal(h.form().host, 'box');
    h.press(RIGHT + RIGHT);
    assert.equal(h.form().host, '', 'wraps back to here');
    h.press(LEFT);
    assert.equal(h.form().host, 'gpu');
    h.press(LEFT + ENTER);
    const add = h.effects.find((e) => e.type === 'lane') as { cmd: { type: string; name: string } } | undefined;
    assert.deepEqual(add?.cmd.name, 'box:far');
  });

  test('the form starts as lanes.defaultLane / lanes.defaultKind say; Enter sends them', () => {
    const h = harness(fakeSnapshot(), {}, { lane: 'ephemeral', kind: 'served' });
    h.press('w');
    assert.equal(h.form().lane, 'ephemeral');
    assert.equal(h.form().served, true);
    h.press('fix-1' + ENTER);
    const add = h.effects.find((e) => e.type === 'lane') as { cmd: { lane: string; kind: string } } | undefined;
    assert.deepEqual([add?.cmd.lane, add?.cmd.kind], ['ephemeral', 'served']);
    const plain = harness(fakeSnapshot(), {}, { lane: 'standing', kind: 'code-only' });
    plain.press('w');
    assert.deepEqual([plain.form().lane, plain.form().served], ['standing', false]);
  });

  test('typing goes to the name (grid keys like q, n, W, digits are just letters here); Backspace deletes', () => {
    const h = harness();
    h.press('w');
    h.press('qnWx1-2.a_b');
    assert.equal(h.form().name, 'qnWx1-2.a_b');
    assert.deepEqual(h.effects, [], 'no grid action fired while typing');
    h.press(BACKSPACE + BACKSPACE);
    assert.equal(h.form().name, 'qnWx1-2.a');
    h.press(' ');
    assert.equal(h.form().name, 'qnWx1-2.a', 'Space does not go into a name');
    h.press(paste('-pasted\n'));
    assert.equal(h.form().name, 'qnWx1-2.a-pasted', 'paste without the newline');
  });

  test('Tab / Shift-Tab / ↑↓ move between fields, wrapping', () => {
    const h = harness();
    h.press('w');
    const fieldAfter = (keys: string) => {
      h.press(keys);
      return fieldsOf(h.form())[h.form().field];
    };
    assert.equal(fieldAfter(TAB), 'lane');
    assert.equal(fieldAfter(TAB), 'served');
    assert.equal(fieldAfter(DOWN), 'base');
    assert.equal(fieldAfter(TAB), 'agents');
    assert.equal(fieldAfter(TAB), 'name', 'wraps to the first field');
    assert.equal(fieldAfter(SHIFT_TAB), 'agents', 'and back');
    assert.equal(fieldAfter(UP), 'base');
  });

  test('Space (or ←/→) toggles the lane and the kind; letters do nothing on those fields', () => {
    const h = harness();
    h.press('w' + TAB);
    h.press(' ');
    assert.equal(h.form().lane, 'ephemeral');
    h.press(RIGHT);
    assert.equal(h.form().lane, 'standing');
    h.press(LEFT);
    assert.equal(h.form().lane, 'ephemeral');
    h.press('xyz');
    assert.equal(h.form().name, '', 'letters on a choice field are not typed anywhere');
    h.press(TAB + ' ');
    assert.equal(h.form().served, true);
    h.press(' ');
    assert.equal(h.form().served, false);
    h.press(' ');
    assert.equal(h.form().served, true);
  });

  test('Enter → one addWorktree with the chosen name, lane, kind, base and agents; the form closes', () => {
    const h = harness();
    h.press('w' + 'feat-x');
    h.press(TAB + ' '); // ephemeral
    h.press(TAB + ' '); // served
    h.press(TAB + 'main~1');
    h.press(TAB + 'claude, shell');
    const r = h.press(ENTER);
    assert.equal(r.ui.dialog, null);
    assert.deepEqual(r.effects, [
      { type: 'lane', cmd: { type: 'addWorktree', name: 'feat-x', lane: 'ephemeral', kind: 'served', base: 'main~1', agents: ['claude', 'shell'] } },
    ]);
    assert.match(r.ui.message?.text ?? '', /creating feat-x/);
  });

  test('Enter with only a name: standing, code-only, no base, agents from the config (undefined)', () => {
    const h = harness();
    h.press('w' + 'plain');
    h.press(TAB + TAB + TAB + '   ' + TAB + '  '); // blank base and agents
    assert.deepEqual(h.press(ENTER).effects, [{ type: 'lane', cmd: { type: 'addWorktree', name: 'plain', lane: 'standing', kind: 'code-only', base: undefined, agents: undefined } }]);
  });

  test('an empty or invalid name: an error in the form, focus back on the name, nothing sent; typing clears it', () => {
    const h = harness();
    h.press('w');
    let r = h.press(ENTER);
    assert.deepEqual(r.effects, []);
    assert.equal(h.form().error, 'a name is needed');
    for (const bad of ['-x', '.hidden', 'a/b', 'é']) {
      h.ui = { ...h.ui, dialog: { ...newWorktreeForm(), name: bad, field: 3 } };
      r = h.press(ENTER);
      assert.deepEqual(r.effects, [], `${bad} was sent`);
      assert.match(h.form().error ?? '', /letters, digits/, `${bad}: error shown`);
      assert.equal(h.form().field, 0, 'back on the name field');
    }
    h.press(BACKSPACE);
    assert.equal(h.form().error, null, 'editing clears the error');
  });

  test('Esc (or Ctrl-C) cancels: no effect, no dialog', () => {
    for (const key of [ESC, '\x03']) {
      const h = harness();
      h.press('w' + 'abc');
      const r = h.press(key);
      assert.equal(r.ui.dialog, null, 'form closed');
      assert.deepEqual(h.effects, [], 'nothing created');
    }
  });
});

// ---------------------------------------------------------------------------------------------------
describe('remove-worktree dialog (W)', () => {
  const dialog = (over: Partial<Extract<Dialog, { kind: 'remove-worktree' }>> = {}): Dialog => ({
    kind: 'remove-worktree',
    worktree: 'feature-auth',
    unmerged: [],
    changes: [],
    agents: ['feature-auth/claude'],
    typed: '',
    ...over,
  });

  test('W on a lane asks what removal would lose; on MAIN it refuses', () => {
    const h = harness(fakeSnapshot(), { focusLane: 'feature-auth', focusAgent: 'feature-auth/claude' });
    assert.deepEqual(h.press('W').effects, [{ type: 'checkRemoval', worktree: 'feature-auth' }]);
    const m = harness();
    const r = m.press('W');
    assert.deepEqual(r.effects, []);
    assert.match(r.ui.message?.text ?? '', /MAIN can never be removed/);
  });

  test('nothing at risk: y removes without force', () => {
    const h = harness(fakeSnapshot(), { dialog: dialog() });
    const r = h.press('y');
    assert.equal(r.ui.dialog, null);
    assert.deepEqual(r.effects, [{ type: 'lane', cmd: { type: 'removeWorktree', name: 'feature-auth', force: false } }]);
  });

  test('nothing at risk: Enter removes too; n and Esc keep it; other keys do nothing', () => {
    assert.deepEqual(harness(fakeSnapshot(), { dialog: dialog() }).press(ENTER).effects, [{ type: 'lane', cmd: { type: 'removeWorktree', name: 'feature-auth', force: false } }]);
    for (const key of ['n', ESC]) {
      const r = harness(fakeSnapshot(), { dialog: dialog() }).press(key);
      assert.equal(r.ui.dialog, null, `${JSON.stringify(key)} closes`);
      assert.deepEqual(r.effects, [], `${JSON.stringify(key)} removes nothing`);
    }
    const r = harness(fakeSnapshot(), { dialog: dialog() }).press('xq');
    assert.equal(r.ui.dialog?.kind, 'remove-worktree', 'still open');
    assert.deepEqual(r.effects, []);
  });

  const risks: [string, { unmerged?: string[]; changes?: string[] }][] = [
    ['unmerged commits', { unmerged: ['abc1234 Add the login form'] }],
    ['uncommitted changes', { changes: [' M app.txt', '?? notes.txt'] }],
  ];
  for (const [what, risk] of risks) {
    test(`at risk (${what}): y and Enter do nothing; only the exact name + Enter removes, with force`, () => {
      const h = harness(fakeSnapshot(), { dialog: dialog(risk) });
      let r = h.press('y' + ENTER);
      assert.deepEqual(r.effects, [], 'y + Enter is not the name');
      assert.equal(r.ui.dialog?.kind, 'remove-worktree');
      h.press(BACKSPACE);
      r = h.press('feature-aut' + ENTER);
      assert.deepEqual(r.effects, [], 'a prefix of the name is not enough');
      r = h.press('hx' + ENTER);
      assert.deepEqual(r.effects, [], 'a longer string is not the name');
      h.press(BACKSPACE);
      const d = h.ui.dialog;
      assert.ok(d?.kind === 'remove-worktree' && d.typed === 'feature-auth', `typed so far: ${JSON.stringify(d)}`);
      r = h.press(ENTER);
      assert.equal(r.ui.dialog, null);
      assert.deepEqual(r.effects, [{ type: 'lane', cmd: { type: 'removeWorktree', name: 'feature-auth', force: true } }]);
    });
  }

  test('at risk: the name may be pasted; n is a letter of the name, not "keep"; Esc keeps it', () => {
    const h = harness(fakeSnapshot(), { dialog: dialog({ worktree: 'design', unmerged: ['abc Fix'] }) });
    h.press('desig');
    assert.equal(h.ui.dialog?.kind, 'remove-worktree', 'n did not close the dialog');
    h.press(ENTER);
    assert.deepEqual(h.effects, []);
    h.press(BACKSPACE.repeat(5) + paste('design'));
    assert.deepEqual(h.press(ENTER).effects, [{ type: 'lane', cmd: { type: 'removeWorktree', name: 'design', force: true } }]);
    const k = harness(fakeSnapshot(), { dialog: dialog({ unmerged: ['abc Fix'], typed: 'feature-auth' }) });
    const r = k.press(ESC);
    assert.equal(r.ui.dialog, null);
    assert.deepEqual(r.effects, [], 'Esc removes nothing even with the name typed');
  });
});

describe('r on a lane setup agent', () => {
  function withSetup(state: Snapshot['agents'][number]['state']): Snapshot {
    const s = fakeSnapshot({ feat: ['setup'] });
    const a = s.agents[0]!;
    a.profile = 'setup';
    a.state = state;
    return s;
  }

  test('a failed setup: r retries the whole setup (retrySetup), not a bare respawn', () => {
    const h = harness(withSetup({ kind: 'exited', code: 1, signal: null }), { focusLane: 'feat', focusAgent: 'feat/setup' });
    const r = h.press('r');
    assert.deepEqual(r.effects, [{ type: 'lane', cmd: { type: 'retrySetup', name: 'feat' } }]);
    assert.match(r.ui.message?.text ?? '', /retrying setup of feat/);
  });

  test('a setup still running: r asks before restarting it, no retry', () => {
    const h = harness(withSetup({ kind: 'running' }), { focusLane: 'feat', focusAgent: 'feat/setup' });
    const r = h.press('r');
    assert.deepEqual(r.effects, []);
    assert.equal(r.ui.dialog?.kind, 'confirm-respawn');
  });
});

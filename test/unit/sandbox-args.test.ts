/**
 * The sandbox policy as data (src/core/sandbox/bwrap-args.ts): which binds come, in which order
 * (later binds cover earlier ones, so the order is the policy), per kind of process.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bwrapArgs, secretNameMatcher, stripSecretEnv, wrapCommand, type SandboxPolicy } from '../../src/core/sandbox/bwrap-args.js';
import { findSecretFiles } from '../../src/core/sandbox/sandbox-plan.js';
import { parseConfig } from '../../src/config/config.js';

const base: SandboxPolicy = {
  self: { kind: 'lane', path: '/w/repo-a', adminDir: '/w/repo/.git/worktrees/repo-a' },
  mainRoot: '/w/repo',
  commonDir: '/w/repo/.git',
  mainBranchRef: '/w/repo/.git/refs/heads/main',
  otherLanes: [{ path: '/w/repo-b', adminDir: '/w/repo/.git/worktrees/repo-b' }],
  otherLanesMode: 'read-only',
  mainWritable: ['/w/repo/storage/logs'],
  maskFiles: ['/w/repo/.env'],
  emptyFile: '/w/repo/.git/flower/sandbox-empty',
  writableDirs: ['/w/repo/.git/flower/sessions/repo-a_claude'],
  cwd: '/w/repo-a',
};

/** [option, src, dest] triples in order (for options that take two paths). */
function binds(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (/^--(dev-|ro-)?bind(-try)?$/.test(a)) out.push(`${a.replace(/-try$/, '')} ${args[i + 1]} ${args[i + 2]}`), (i += 2);
    else if (a === '--tmpfs' || a === '--remount-ro') out.push(`${a} ${args[++i]}`);
  }
  return out;
}
const pos = (list: string[], entry: string) => {
  const i = list.indexOf(entry);
  assert.notEqual(i, -1, `missing: ${entry}\n${list.join('\n')}`);
  return i;
};

describe('bwrapArgs', () => {
  test('a lane: everything as it is, MAIN and the common dir read-only, then the lane and its git writable, MAIN\'s branch and secrets last', () => {
    const a = bwrapArgs(base);
    const b = binds(a);
    assert.equal(b[0], '--dev-bind / /');
    assert.ok(pos(b, '--ro-bind /w/repo /w/repo') < pos(b, '--ro-bind /w/repo/.git /w/repo/.git'));
    const ro = pos(b, '--ro-bind /w/repo/.git /w/repo/.git');
    for (const d of ['objects', 'refs', 'logs']) assert.ok(pos(b, `--bind /w/repo/.git/${d} /w/repo/.git/${d}`) > ro, d);
    assert.ok(pos(b, '--bind /w/repo/.git/worktrees/repo-a /w/repo/.git/worktrees/repo-a') > ro, 'own admin dir (index.lock)');
    assert.ok(pos(b, '--ro-bind /w/repo/.git/refs/heads/main /w/repo/.git/refs/heads/main') > pos(b, '--bind /w/repo/.git/refs /w/repo/.git/refs'));
    assert.ok(pos(b, '--ro-bind /w/repo-b /w/repo-b') > 0);
    assert.ok(pos(b, '--bind /w/repo-a /w/repo-a') > pos(b, '--ro-bind /w/repo-b /w/repo-b'));
    assert.equal(b.at(-1), '--ro-bind /w/repo/.git/flower/sandbox-empty /w/repo/.env', 'masks come last: nothing re-opens them');
    assert.ok(pos(b, '--bind /w/repo/.git/flower/sessions/repo-a_claude /w/repo/.git/flower/sessions/repo-a_claude') > ro);
    assert.ok(!b.some((x) => x.includes('storage/logs')), 'mainWritable is for MAIN\'s processes only');
    assert.ok(!b.some((x) => x.includes('worktrees/repo-b') && x.startsWith('--bind')), 'another lane\'s admin dir stays read-only');
    for (const flag of ['--die-with-parent', '--unshare-pid']) assert.ok(a.includes(flag), flag);
    assert.deepEqual(a.slice(a.indexOf('--cap-drop'), a.indexOf('--cap-drop') + 2), ['--cap-drop', 'ALL']);
    assert.ok(!a.includes('--new-session'), 'a pty keeps its controlling terminal');
    assert.ok(!a.includes('--unshare-net'), 'the network stays');
    assert.deepEqual(a.slice(-2), ['--chdir', '/w/repo-a']);
  });

  test('MAIN (ops, health): read-only except mainWritable; no lane git dirs, no branch lock', () => {
    const b = binds(bwrapArgs({ ...base, self: { kind: 'main' }, mainBranchRef: null, maskFiles: [], writableDirs: [], cwd: '/w/repo' }));
    assert.ok(pos(b, '--bind /w/repo/storage/logs /w/repo/storage/logs') > pos(b, '--ro-bind /w/repo /w/repo'));
    assert.ok(!b.some((x) => x.startsWith('--bind /w/repo/.git')), b.join('\n'));
    assert.ok(!b.includes('--bind /w/repo-a /w/repo-a'));
  });

  test('other lanes: hidden is an empty read-only tmpfs; writable re-opens the tree and its admin dir', () => {
    const hidden = binds(bwrapArgs({ ...base, otherLanesMode: 'hidden' }));
    assert.ok(pos(hidden, '--remount-ro /w/repo-b') === pos(hidden, '--tmpfs /w/repo-b') + 1);
    const writable = binds(bwrapArgs({ ...base, otherLanesMode: 'writable' }));
    pos(writable, '--bind /w/repo-b /w/repo-b');
    pos(writable, '--bind /w/repo/.git/worktrees/repo-b /w/repo/.git/worktrees/repo-b');
  });

  test('wrapCommand puts the program after "--", arguments untouched (no shell)', () => {
    const w = wrapCommand('/usr/bin/bwrap', ['--x'], '/bin/echo', ['a b', '$(rm -rf /)', '--']);
    assert.deepEqual(w, { file: '/usr/bin/bwrap', args: ['--x', '--', '/bin/echo', 'a b', '$(rm -rf /)', '--'] });
  });
});

describe('secrets', () => {
  test('secret-named variables go, the agent\'s own credentials and the profile\'s explicit ones stay', () => {
    const env = { PATH: '/bin', STRIPE_SECRET: 's', DB_PASSWORD: 'p', GITHUB_TOKEN: 't', AWS_ACCESS_KEY: 'k', ANTHROPIC_API_KEY: 'a', MY_TOKEN: 'mine', HOME: '/root' };
    const out = stripSecretEnv(env, ['*_KEY', '*_SECRET', '*_TOKEN', '*PASSWORD*'], ['ANTHROPIC_API_KEY'], { MY_TOKEN: 'mine' });
    assert.deepEqual(Object.keys(out).sort(), ['ANTHROPIC_API_KEY', 'HOME', 'MY_TOKEN', 'PATH']);
    assert.equal(secretNameMatcher(['*password*'])('DB_PASSWORD_FILE'), true);
    assert.equal(secretNameMatcher(['*_KEY'])('KEYBOARD'), false);
  });

  test('findSecretFiles: .env and .env.* at any scanned depth, not in node_modules or .git', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'flower-secrets-'));
    try {
      for (const f of ['.env', '.env.production', 'config/.env', 'node_modules/x/.env', '.git/.env', 'src/app.env.ts', 'a/b/c/d/.env'])
        mkdirSync(path.dirname(path.join(root, f)), { recursive: true }), writeFileSync(path.join(root, f), 'K=v\n');
      const found = findSecretFiles(root, ['.env', '.env.*']).map((f) => path.relative(root, f)).sort();
      assert.deepEqual(found, ['.env', '.env.production', 'config/.env']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('config', () => {
  test('sandbox defaults, and a mainWritable path outside MAIN is refused with its path', () => {
    const c = parseConfig({}, null, {});
    assert.equal(c.sandbox.mode, 'auto');
    assert.equal(c.sandbox.otherLanes, 'read-only');
    assert.throws(() => parseConfig({ sandbox: { mainWritable: ['../x'] } }, 'f.json', {}), /sandbox\.mainWritable\.0: a path inside MAIN/);
    assert.throws(() => parseConfig({ sandbox: { mode: 'yes' } }, 'f.json', {}), /sandbox\.mode/);
  });
});

describe('status', () => {
  test('flower-tui status spells out an unsandboxed agent (and only that)', async () => {
    const { formatStatus } = await import('../../src/cli/format-status.js');
    const { fakeSnapshot } = await import('../helpers/fake-snapshot.js');
    const snap = fakeSnapshot();
    const server = { pid: 1, version: 'x', protocol: 1, startedAt: Date.now(), socket: '/s', clients: 1, log: '/l' };
    assert.doesNotMatch(formatStatus(snap, server), /UNSANDBOXED/);
    snap.agents[0]!.sandbox = 'none';
    snap.agents[0]!.sandboxReason = 'sandbox.mode is "off"';
    assert.match(formatStatus(snap, server), new RegExp(`${snap.agents[0]!.id}.*pid \\d+ UNSANDBOXED \\(sandbox\\.mode is "off"\\)`));
  });
});

describe('root\'s sandbox identity (nested sandboxes)', () => {
  test('a free id is picked: not a uid or gid either file uses', async () => {
    const { pickFreeId } = await import('../../src/core/sandbox/root-identity.js');
    const passwd = 'root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/sh\nann:x:1001:1003::/home/ann:/bin/sh\n';
    const group = 'root:x:0:\nbob:x:1000:\nstaff:x:1002:\n';
    assert.equal(pickFreeId(passwd, group), 1004);
    assert.equal(pickFreeId('', ''), 1000);
  });

  test('root\'s entry is repeated at the new id with its name, home and shell', async () => {
    const { withRootAt } = await import('../../src/core/sandbox/root-identity.js');
    const out = withRootAt('root:x:0:0:Super:/root:/bin/zsh\nbob:x:1000:1000::/home/bob:/bin/sh', 'wheel:x:0:\n', 1001);
    assert.match(out.passwd, /^bob:x:1000:1000::\/home\/bob:\/bin\/sh\nroot:x:1001:1001:Super:\/root:\/bin\/zsh\n$/m);
    assert.ok(out.passwd.startsWith('root:x:0:0:Super:/root:/bin/zsh\n'), 'the real root entry stays first');
    assert.ok(out.group.endsWith('wheel:x:1001:\n'));
  });

  test('with an identity the sandbox gets its own user namespace and the passwd/group copies; without, neither', () => {
    assert.ok(!bwrapArgs(base).includes('--unshare-user'));
    const a = bwrapArgs({ ...base, identity: { uid: 1001, gid: 1001, passwdFile: '/s/passwd', groupFile: '/s/group' } });
    const i = a.indexOf('--unshare-user');
    assert.deepEqual(a.slice(i, i + 5), ['--unshare-user', '--uid', '1001', '--gid', '1001']);
    assert.ok(a.join(' ').includes('--ro-bind /s/passwd /etc/passwd --ro-bind /s/group /etc/group'));
    assert.ok(a.includes('--cap-drop'), 'capabilities still dropped');
    assert.ok(a.indexOf('/etc/passwd') > a.indexOf('--dev-bind'), 'bound after the root bind, so it covers it');
  });
});

/**
 * Nested sandboxes (issue 12, item 5): an agent that sandboxes itself — Codex's Linux sandbox and
 * Claude Code's sandboxed Bash both start bwrap — must still work inside flower-tui's sandbox, and
 * what it runs must still be unable to write MAIN. Real bwrap inside real bwrap, from a lane agent.
 * Run as root (CI), this is the case that needs root's sandbox to have its own user namespace.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintMain, readResults, sandboxLab, tryPrelude, type SandboxLab } from '../helpers/sandbox-lab.js';
import { probeBwrap } from '../../src/core/sandbox/bwrap-probe.js';

const bwrap = probeBwrap(process.env.PATH);
const skip = !bwrap.ok ? `bubblewrap unusable here: ${bwrap.reason}` : !bwrap.userns ? 'user namespaces unavailable here: nesting cannot work (doctor says so)' : false;

describe('a sandbox inside flower-tui\'s sandbox', { skip }, () => {
  let lab: SandboxLab;
  before(async () => {
    lab = await sandboxLab();
  });
  after(async () => {
    await lab?.close();
  });

  test('an agent\'s own bwrap runs inside it, as Codex\'s and Claude Code\'s do, and still cannot write MAIN', async () => {
    const before = fingerprintMain(lab.repo);
    const results = path.join(lab.lane, 'nested-results.txt');
    const main = lab.repo.mainRoot;
    const nested = (inner: string) => `bwrap --ro-bind / / --bind ${lab.lane} ${lab.lane} --dev /dev --proc /proc --unshare-pid --die-with-parent -- /bin/sh -c '${inner}'`;
    const script =
      tryPrelude(results) +
      // The shape of Codex's workspace-write sandbox: everything read-only but the workspace.
      `try nested-runs sh -c "${nested('true')}"\n` +
      `try nested-writes-lane sh -c "${nested(`echo ok > ${lab.lane}/from-nested.txt`)}"\n` +
      // A nested sandbox that asks for MAIN writable gets no more than its parent had.
      `try nested-writes-main sh -c "bwrap --bind / / --dev /dev -- /bin/sh -c 'echo x >> ${main}/app.txt'"\n` +
      `try nested-rebinds-main sh -c "bwrap --dev-bind / / --bind ${main} ${main} -- /bin/sh -c 'echo x >> ${main}/app.txt'"\n` +
      // Root of a user namespace of its own, with every capability there: MAIN's read-only binds
      // are locked (they came from a more privileged namespace), so neither unmount nor remount opens them.
      `try userns-umount unshare --user --map-root-user --mount sh -c "umount -l ${main} && echo x >> ${main}/app.txt"\n` +
      `try userns-remount unshare --user --map-root-user --mount sh -c "mount -o remount,bind,rw ${main} && echo x >> ${main}/app.txt"\n` +
      `id -un > ${lab.lane}/whoami.txt 2>&1\n`;
    const agent = await lab.runScript('lane-a', script);
    const r = readResults(results);
    const screen = () => `\n${lab.screenText(agent.id)}`;
    assert.equal(r.get('nested-runs'), 0, `a bwrap inside the sandbox runs${screen()}`);
    assert.equal(r.get('nested-writes-lane'), 0, `the nested sandbox writes the lane${screen()}`);
    assert.equal(readFileSync(path.join(lab.lane, 'from-nested.txt'), 'utf8'), 'ok\n');
    assert.notEqual(r.get('nested-writes-main'), 0, 'a nested sandbox cannot write MAIN');
    assert.notEqual(r.get('nested-rebinds-main'), 0, 'nor by binding MAIN again');
    assert.notEqual(r.get('userns-umount'), 0, 'unmounting MAIN from a new user namespace fails');
    assert.notEqual(r.get('userns-remount'), 0, 'remounting MAIN writable from a new user namespace fails');
    assert.equal(fingerprintMain(lab.repo), before, 'MAIN byte-for-byte unchanged');
    // Root keeps its name inside (whoami, os.userInfo(), ssh's home lookup all work).
    if (process.getuid?.() === 0) assert.equal(readFileSync(path.join(lab.lane, 'whoami.txt'), 'utf8').trim(), 'root');
  });

  test('files an agent creates in its lane are still its user\'s outside', async () => {
    await lab.runScript('lane-a', `echo x > ${lab.lane}/owned.txt`);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(path.join(lab.lane, 'owned.txt')).uid, process.getuid?.());
  });
});

/**
 * The escape matrix (issue 12): a sandboxed agent in a lane — a real pty, real bwrap, real git —
 * tries every way of changing MAIN it can think of. Each must fail, and MAIN (working tree, index,
 * HEAD, its branch, config, hooks, flower-tui's state and trace) must be byte-for-byte unchanged.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintMain, MAIN_SECRET, readResults, sandboxLab, tryPrelude, type SandboxLab } from '../helpers/sandbox-lab.js';
import { probeBwrap } from '../../src/core/sandbox/bwrap-probe.js';

const bwrap = probeBwrap(process.env.PATH);
const skip = bwrap.ok ? false : `bubblewrap unusable here: ${bwrap.ok ? '' : bwrap.reason}`;

describe('sandbox escape matrix', { skip }, () => {
  let lab: SandboxLab;
  before(async () => {
    lab = await sandboxLab();
  });
  after(async () => {
    await lab?.close();
  });

  test('every write into MAIN, its git state and flower-tui\'s state fails; MAIN is unchanged', async () => {
    const { repo, lane, other, stateDir } = lab;
    const M = repo.mainRoot;
    const G = repo.commonDir;
    const before = fingerprintMain(repo);
    const results = path.join(lane, 'results.txt');
    const attempts: [string, string][] = [
      ['append', `echo x >> ${M}/app.txt`],
      ['overwrite', `echo x > ${M}/app.txt`],
      ['create', `touch ${M}/new-file`],
      ['delete', `rm ${M}/app.txt`],
      ['rename', `mv ${M}/app.txt ${M}/app2.txt`],
      ['chmod', `chmod 777 ${M}/app.txt`],
      ['symlink-swap', `ln -sf /etc/passwd ${M}/app.txt`],
      ['mkdir', `mkdir ${M}/dir`],
      ['checkout', `git -C ${M} checkout --quiet HEAD~1`],
      ['checkout-b', `git -C ${M} checkout --quiet -b evil`],
      ['commit', `git -C ${M} commit --quiet --allow-empty -m evil`],
      ['reset-hard', `git -C ${M} reset --quiet --hard HEAD~1`],
      ['stash', `git -C ${M} stash push --include-untracked`],
      ['update-ref', `git update-ref refs/heads/main HEAD`],
      ['update-ref-delete', `git update-ref -d refs/heads/main`],
      ['branch-f', `git branch -f main HEAD`],
      ['push-dot', `git push --quiet --force . HEAD:main`],
      ['hook', `echo 'touch /tmp/pwned' > ${G}/hooks/post-merge`],
      ['new-hook', `echo 'touch /tmp/pwned' > ${G}/hooks/post-checkout`],
      ['config-append', `echo '[core] hooksPath = /tmp' >> ${G}/config`],
      ['git-config', `git config core.hooksPath /tmp`],
      ['main-head', `echo ref: refs/heads/evil > ${G}/HEAD`],
      ['main-index', `cp /dev/null ${G}/index`],
      ['packed-refs', `echo x >> ${G}/packed-refs`],
      ['trace', `echo '{}' >> ${stateDir}/trace.jsonl`],
      ['state', `echo '{}' > ${stateDir}/state.json`],
      ['state-rm', `rm ${stateDir}/state.json`],
      ['other-lane', `echo x > ${other}/app.txt`],
      ['other-lane-git', `git -C ${other} commit --quiet --allow-empty -m evil`],
      ['umount', `umount ${M}`],
      ['remount', `mount -o remount,rw ${M}`],
    ];
    const script =
      tryPrelude(results) +
      // The lane's own commit first, so HEAD differs from main and the ref attempts would move it.
      `echo change >> lane.txt && git add lane.txt && git commit --quiet -m 'lane work' && echo "lane-commit 0" >> "$RESULTS"\n` +
      attempts.map(([n, c]) => `try ${n} sh -c ${JSON.stringify(c)}`).join('\n') +
      `\ncat ${M}/.env > env-seen.txt; echo "read-env $?" >> "$RESULTS"\n`;
    const end = await lab.runScript('lane-a', script);
    assert.equal(end.sandbox, 'bwrap');
    assert.deepEqual(end.state, { kind: 'exited', code: 0, signal: null }, lab.screenText(end.id));
    const r = readResults(results);
    assert.equal(r.get('lane-commit'), 0, 'the lane itself is writable, its git commits');
    const escaped = attempts.filter(([n]) => r.get(n) !== 1 && r.get(n) === 0).map(([n]) => n);
    assert.deepEqual(escaped, [], `attempts that succeeded: ${escaped.join(', ')}`);
    for (const [n] of attempts) assert.ok(r.has(n), `${n} ran`);
    assert.equal(fingerprintMain(repo), before, 'MAIN byte-for-byte unchanged');
    assert.equal(repo.git(['rev-parse', 'main']).trim(), repo.git(['rev-parse', 'HEAD']).trim(), 'MAIN\'s branch did not move');
    assert.equal(repo.git(['status', '--porcelain']), '', 'MAIN clean');
    // A code-only lane reads MAIN's .env as empty.
    assert.equal(r.get('read-env'), 0);
    assert.equal(readFileSync(path.join(lane, 'env-seen.txt'), 'utf8'), '');
    assert.ok(!readFileSync(path.join(lane, 'env-seen.txt'), 'utf8').includes(MAIN_SECRET));
  });

  test('a write is refused by the kernel at once, with the usual message', async () => {
    const out = path.join(lab.lane, 'err.txt');
    await lab.runScript('lane-a', `{ echo x >> ${lab.repo.mainRoot}/app.txt; } 2> ${out}; true`);
    assert.match(readFileSync(out, 'utf8'), /Read-only file system/);
  });

  test('MAIN\'s processes (ops, health) cannot write MAIN either; mainWritable paths they can', async () => {
    const r = await lab.sup.merges; // keep the supervisor's merge state untouched
    void r;
    const decision = lab.sup.sandboxFor('MAIN', lab.repo.mainRoot);
    assert.equal(decision.kind, 'bwrap');
  });
});

// bench section "sandbox": what bubblewrap adds to an agent's spawn. The same pty spawn of a program
// that exits at once, plain and wrapped exactly as flower-tui wraps a lane agent (the real policy
// from dist/, for a real repository with two lanes), timed from spawn to exit; medians.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as pty from '@lydell/node-pty';
import { TMP } from '../lib/cleanup.mjs';
import { log } from '../lib/format.mjs';
import { ROOT, opt } from '../lib/options.mjs';
import { result } from '../lib/results.mjs';

export async function sectionSandbox() {
  const { planSandbox } = await import(path.join(ROOT, 'dist', 'core', 'sandbox', 'sandbox-plan.js'));
  const { wrapCommand } = await import(path.join(ROOT, 'dist', 'core', 'sandbox', 'bwrap-args.js'));
  const { SANDBOX_DEFAULT } = await import(path.join(ROOT, 'dist', 'config', 'sandbox-schema.js'));
  const main = path.join(TMP, 'sandbox-repo');
  mkdirSync(main, { recursive: true });
  const git = (...a) => execFileSync('git', ['-C', main, ...a], { stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch=main');
  git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '--quiet', '--allow-empty', '-m', 'init');
  const lanes = ['a', 'b'].map((n) => {
    const p = path.join(TMP, `sandbox-repo-${n}`);
    git('worktree', 'add', '--quiet', '-b', n, p);
    return { name: n, path: p, branch: n, head: null, isMain: false, locked: false, prunable: false };
  });
  const worktrees = [{ name: 'MAIN', path: main, branch: 'main', head: null, isMain: true, locked: false, prunable: false }, ...lanes];
  const ctx = { config: SANDBOX_DEFAULT, mainRoot: main, commonDir: path.join(main, '.git'), worktrees, laneKind: () => 'code-only', secretPatterns: ['*_KEY'], envPath: process.env.PATH };
  const plan = () => planSandbox(ctx, { worktree: 'a', cwd: lanes[0].path, hookDirs: [path.join(main, '.git', 'flower', 'sessions', 'a_x')] });
  const first = plan();
  if (first.kind !== 'bwrap') {
    log(`  sandbox: bubblewrap unusable here (${first.reason ?? first.kind}); section skipped`);
    return;
  }
  const once = (wrapped) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      // Planning is part of a sandboxed spawn (it runs at every start): time it too.
      const d = wrapped ? plan() : null;
      const cmd = d ? wrapCommand(d.bwrap, d.args, '/bin/sh', ['-c', ':']) : { file: '/bin/sh', args: ['-c', ':'] };
      const p = pty.spawn(cmd.file, cmd.args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: lanes[0].path, env: process.env });
      p.onExit(() => resolve(performance.now() - t0));
    });
  const n = opt.quick ? 10 : 40;
  const plain = [];
  const boxed = [];
  for (let i = 0; i < n; i++) {
    plain.push(await once(false));
    boxed.push(await once(true));
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const extra = med(boxed) - med(plain);
  result('sandbox', `spawn → exit, plain pty, median of ${n}`, med(plain), null, { unit: ' ms', digits: 1 });
  result('sandbox', `spawn → exit under bwrap (policy planned + wrapped), median of ${n}`, med(boxed), null, { unit: ' ms', digits: 1 });
  result('sandbox', 'extra per spawn for the sandbox', extra, null, { unit: ' ms', digits: 1, target: '≤ 30 ms', met: extra <= 30 });
}

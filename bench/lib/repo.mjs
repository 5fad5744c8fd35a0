// Scratch git repositories, with git run free of the user's and the system's configuration.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TMP } from './cleanup.mjs';

export function gitEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
}
export function git(cwd, args) {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
let repoCounter = 0;
/** A scratch repository (MAIN + linked worktrees named as given). */
export function makeRepo(worktrees) {
  const dir = path.join(TMP, `repo${++repoCounter}`);
  const main = path.join(dir, 'main');
  fs.mkdirSync(main, { recursive: true });
  git(main, ['init', '--quiet', '--initial-branch=main', main]);
  git(main, ['config', 'user.name', 'Bench']);
  git(main, ['config', 'user.email', 'bench@flower.invalid']);
  git(main, ['config', 'commit.gpgsign', 'false']);
  fs.writeFileSync(path.join(main, 'README.md'), '# bench\n');
  git(main, ['add', 'README.md']);
  git(main, ['commit', '--quiet', '-m', 'init']);
  for (const w of worktrees) git(main, ['worktree', 'add', '--quiet', '-b', w, path.join(dir, w)]);
  return { dir, main };
}

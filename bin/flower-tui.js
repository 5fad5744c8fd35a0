#!/usr/bin/env -S node --max-semi-space-size=4
// The flag: a 4 MB young generation instead of V8's 16 MB, as the server has (client/server-process.ts).
// The cockpit's allocations are short-lived frames and chunks; a large nursery only grows resident
// memory (measured, 4 lanes: 0 agents 101.6 → 92.6 MB, 16 agents 123.9 → 109.4 MB).
// Thin launcher: the real entry point is the compiled CLI. React is much faster in production mode,
// and nothing in flower-tui relies on React's development warnings at run time.
process.env.NODE_ENV ??= 'production';
// Started in a directory that was removed since (a deleted worktree, `rm -rf` of the shell's cwd):
// process.cwd() throws, and yargs calls it as it loads, so say so in one line instead of a stack
// trace. With an absolute --repo the command still runs, from there.
try {
  process.cwd();
} catch {
  const at = process.argv.indexOf('--repo');
  const repo = at > 1 ? process.argv[at + 1] : process.argv.find((a) => a.startsWith('--repo='))?.slice('--repo='.length);
  try {
    if (!repo) throw new Error('no --repo');
    process.chdir(repo);
  } catch {
    process.stderr.write('flower-tui: the current directory no longer exists: cd into your repository (or pass --repo with an absolute path)\n');
    process.exit(2);
  }
}
const { existsSync, statSync } = await import('node:fs');
// Node 22.1+ can cache compiled code across runs; Node 20 has no such API (the check keeps it working).
const mod = await import('node:module');
if (typeof mod.enableCompileCache === 'function') {
  try {
    mod.enableCompileCache();
  } catch {
    /* a cache we cannot write only costs speed */
  }
}
// An agent's hook (`flower-tui hook claude|codex`, on every tool call and turn): straight to its lean
// module, without the command table — the agent waits for it.
if (process.argv[2] === 'hook' && /^(claude|codex)$/.test(process.argv[3] ?? '') && process.argv.length === 4) {
  const hook = new URL('../dist/cli/hook-run.js', import.meta.url);
  if (existsSync(hook)) {
    await (await import(hook.href)).runHook(process.argv[3]);
    process.exit(0);
  }
}
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('flower-tui: not built yet — run `npm install` (or `npm run build`) in the project directory.\n');
  process.exit(1);
}
// The bundle (scripts/bundle.mjs) starts several times faster; it is used only when built from the
// current dist/cli, so a `tsc`-only rebuild is never shadowed by an older bundle.
const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const mtime = (u) => {
  try {
    return statSync(u).mtimeMs;
  } catch {
    return -1;
  }
};
await import((mtime(bundle) >= mtime(entry) ? bundle : entry).href);

#!/usr/bin/env node
// Thin launcher: the real entry point is the compiled CLI. React is much faster in production mode,
// and nothing in flower-tui relies on React's development warnings at run time.
process.env.NODE_ENV ??= 'production';
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

#!/usr/bin/env node
// Thin launcher: the real entry point is the compiled CLI. React is much faster in production mode,
// and nothing in flower-tui relies on React's development warnings at run time.
process.env.NODE_ENV ??= 'production';
const { existsSync } = await import('node:fs');
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('flower-tui: not built yet — run `npm install` (or `npm run build`) in the project directory.\n');
  process.exit(1);
}
await import(entry.href);

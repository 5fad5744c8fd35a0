#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/ with esbuild, one chunk per lazily
// imported command. Why: on Node 20 most of the cockpit's startup was the ESM loader resolving, reading
// and CJS-lexing ~500 small files (Ink alone: 250 ms unbundled, 60 ms bundled) and base memory went
// with it. bin/flower-tui.js runs the bundle when it is at least as new as dist/cli/main.js and falls
// back to dist/cli otherwise, so a plain `tsc` build still works — just slower to start.
// Usage: node scripts/bundle.mjs   (part of `npm run build`)
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle: esbuild is not installed: skipped (flower-tui runs from dist/cli, starting slower)\n');
  rmSync(outdir, { recursive: true, force: true });
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: path.join(root, 'dist', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // Native addon (loads its .node file relative to itself): stays a normal import from node_modules.
  // react-devtools-core: only imported by Ink when DEV=true, and not installed.
  external: ['@lydell/node-pty', 'react-devtools-core'],
  // jsonc-parser's "main" is a UMD build whose require() calls esbuild cannot follow: use its ESM build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __flowerCreateRequire } from 'node:module';\nconst require = __flowerCreateRequire(import.meta.url);" },
  // Chunks live in dist/bundle/, two levels below the package root like dist/cli/*.js, so the
  // import.meta.url-relative paths (package.json, bin/, demo/) resolve the same.
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const size = statSync(path.join(outdir, 'main.js')).size;
process.stdout.write(`bundle: dist/bundle/main.js (${(size / 1024).toFixed(0)} KB entry) and its chunks\n`);

/**
 * What each process loads at startup, read from the source's static imports (type-only imports and
 * `import()` are not loaded up front, so they do not count). Startup time and base memory depend on
 * it: the server must never load Ink/React, the cockpit never the supervisor, ptys or lowdb, and the
 * CLI entry nothing but yargs until a command runs.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** The modules a file loads when it is evaluated: own files (absolute .ts paths) and package names. */
function staticImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    let spec: string | null = null;
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = (st.moduleSpecifier as ts.StringLiteral).text;
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      spec = (st.moduleSpecifier as ts.StringLiteral).text;
    }
    if (spec === null) continue;
    if (spec.startsWith('.')) {
      const js = path.resolve(path.dirname(file), spec);
      const candidates = [js.replace(/\.js$/, '.ts'), js.replace(/\.js$/, '.tsx')];
      const found = candidates.find((c) => existsSync(c));
      assert.ok(found, `${path.relative(SRC, file)} imports ${spec}, which does not exist`);
      out.push(found);
    } else if (!spec.startsWith('node:')) {
      out.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return out;
}

/** Everything loaded, transitively, when `entry` (relative to src/) is imported. */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [path.join(SRC, entry)];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const dep of staticImports(f)) {
      if (path.isAbsolute(dep)) todo.push(dep);
      else packages.add(dep);
    }
  }
  return { files: new Set([...files].map((f) => path.relative(SRC, f))), packages };
}

const UI_PACKAGES = ['ink', 'react', 'yoga-layout'];
const SERVER_PACKAGES = ['@lydell/node-pty', 'lowdb', 'proper-lockfile', 'execa'];

describe('module graph: what each process loads up front', () => {
  test('the CLI entry loads only yargs: every command is imported when it runs', () => {
    const { files, packages } = loadedBy('cli/main.ts');
    assert.deepEqual([...packages].sort(), ['yargs']);
    for (const f of files) assert.doesNotMatch(f, /^(ui|core\/(agents|git|store|lanes|merge|usage|monitor)|server\/(run-server|server)\b)/, `main.ts loads ${f}`);
  });

  test('the server (run-server) never loads Ink, React or any UI component', () => {
    const { files, packages } = loadedBy('server/run-server.ts');
    for (const p of UI_PACKAGES) assert.ok(!packages.has(p), `the server loads ${p}`);
    // Pane-size arithmetic (the first cockpit's sizes) lives in layout/, which both may import.
    const ui = [...files].filter((f) => f.startsWith('ui/'));
    assert.deepEqual(ui, []);
    assert.ok(packages.has('@lydell/node-pty'), 'sanity: the server does load the ptys');
  });

  test('the client side of the server (connect, start) loads no server code', () => {
    const { files, packages } = loadedBy('client/server-process.ts');
    for (const p of [...UI_PACKAGES, ...SERVER_PACKAGES, 'simple-git', '@xterm/headless']) assert.ok(!packages.has(p), `server-process loads ${p}`);
    for (const f of files) assert.doesNotMatch(f, /^(core\/supervisor\/|server\/(server|run-server)\.ts$)/, `server-process loads ${f}`);
  });

  test('the cockpit loads neither the supervisor, ptys, lowdb nor the lock', () => {
    for (const entry of ['cli/open-cockpit.ts', 'ui/tui.ts', 'client/remote-backend.ts']) {
      const { files, packages } = loadedBy(entry);
      for (const p of SERVER_PACKAGES) assert.ok(!packages.has(p), `${entry} loads ${p}`);
      assert.ok(![...files].some((f) => f.startsWith('core/supervisor/')), `${entry} loads the supervisor`);
      assert.ok(!files.has('server/run-server.ts'), `${entry} loads the server`);
    }
    // Nor Ink before it has started connecting: the UI is imported on demand, overlapping the connect.
    const { packages } = loadedBy('cli/open-cockpit.ts');
    for (const p of UI_PACKAGES) assert.ok(!packages.has(p), `open-cockpit loads ${p} up front`);
  });
});

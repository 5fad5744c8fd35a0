/**
 * The source tree's shape, guarded: every import (type-only ones too, since a reader follows those
 * as well) points down the layers or stays in its folder, and no module reaches itself again
 * through its imports. A new upward arrow or circle fails here with the files that make it.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * Lower layers know nothing of higher ones. Folders of one rank do not import each other either
 * (server and client meet only in protocol/; the cockpit and the MCP server only in core/).
 */
const LAYERS: Record<string, number> = {
  shared: 0, // leaf helpers: errors, widths, terminal text, durations, the editor, startup marks
  config: 1,
  core: 2, // processes, screens, git, state: runs headless
  layout: 3, // pane-size arithmetic the server and the cockpit share
  protocol: 3, // frames and messages both ends of the socket speak
  server: 4,
  client: 4,
  mcp: 5,
  ui: 5,
  cli: 6,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e) ? [p] : [];
  });
}

/** Every own module a file imports or re-exports, statically or with `import()`, as paths relative to src/. */
function ownImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specs.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) specs.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) specs.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).replace(/\.js$/, ''))
    .map((s) => [`${s}.ts`, `${s}.tsx`].find((c) => FILES.has(c)) ?? `${s}.ts`);
}

const FILES = new Set(sourceFiles(SRC).map((f) => path.relative(SRC, f)));
const GRAPH = new Map([...FILES].map((f) => [f, ownImports(path.join(SRC, f))]));
const folderOf = (f: string): string => (f.includes('/') ? f.split('/')[0]! : '(root)');

/** The strongly connected groups of more than one module (Tarjan), each as a sorted list. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

/**
 * Circles being taken apart by the re-housing (issue 15); this list only shrinks. Each is here
 * exactly as the finder reports it, so a circle that grows or changes fails too.
 */
const PENDING_CIRCLES: string[][] = [
];

describe('layers: the tree tells the truth', () => {
  test('every source file lives in a known layer', () => {
    const unknown = [...FILES].filter((f) => !(folderOf(f) in LAYERS));
    assert.deepEqual(unknown, [], 'a file outside the layers (add its folder to LAYERS, at its rank)');
  });

  test('no import points up a layer or across folders of one rank', () => {
    const wrong: string[] = [];
    for (const [from, tos] of GRAPH) {
      for (const to of tos) {
        const a = folderOf(from);
        const b = folderOf(to);
        if (a !== b && LAYERS[b]! >= LAYERS[a]!) wrong.push(`${from} → ${to}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('no import circle', () => {
    assert.deepEqual(circles(GRAPH).filter((c) => !PENDING_CIRCLES.some((p) => p.join() === c.join())), [], 'a new import circle');
    const gone = PENDING_CIRCLES.filter((p) => !circles(GRAPH).some((c) => c.join() === p.join()));
    assert.deepEqual(gone, [], 'a pending circle is gone (or changed): take it off PENDING_CIRCLES');
  });

  test('the circle finder finds circles (a 3-cycle and a self-import, not a diamond)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['g', 'h']],
      ['g', ['i']],
      ['h', ['i']],
      ['i', []],
    ]);
    assert.deepEqual(circles(g), [['a', 'b', 'c'], ['e']]);
  });
});

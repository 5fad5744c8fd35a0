#!/usr/bin/env node
// Runs the test suite with node's own test runner. Node 20 has no glob support in `node --test`,
// so the files are found here. Usage: node scripts/test.mjs [unit|integration|ui|e2e ...]
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const groups = process.argv.slice(2);
const dirs = (groups.length ? groups : ['unit', 'ui', 'integration', 'e2e']).map((g) => path.join(root, 'test', g));

function walk(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (/\.test\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

const files = dirs.flatMap(walk);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Spec output for people; a TAP copy to a file, from which the plain closing line CI reads is taken.
const tap = path.join(mkdtempSync(path.join(tmpdir(), 'flower-test-')), 'results.tap');
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', cwd: root },
);
let passed = 0;
let failed = 0;
try {
  const text = readFileSync(tap, 'utf8');
  passed = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  failed = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
const status = r.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a crash of the runner itself is a failure too
console.log(`${passed} passed, ${failed} failed`);
process.exit(status);

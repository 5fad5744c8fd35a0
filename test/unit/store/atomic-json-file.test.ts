/** The atomic JSON adapter: 0600, no temp file left, corrupt and unreadable files reported. Real files in a temp dir. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AtomicJsonFile, CorruptFileError } from '../../../src/core/store/atomic-json-file.js';
import { tempDirs, fileMode } from '../../helpers/temp-dirs.js';

/** A fresh, empty directory per test. */
const freshDir = tempDirs('flower-store-');

describe('AtomicJsonFile', () => {
  test('round trip; the file is 0600 and no temp file is left behind', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    const a = new AtomicJsonFile<{ a: number; s: string[] }>(file);
    assert.equal(a.read(), null, 'a missing file reads as null');
    a.write({ a: 1, s: ['ü', 'x'] });
    assert.deepEqual(a.read(), { a: 1, s: ['ü', 'x'] });
    a.write({ a: 2, s: [] });
    assert.deepEqual(a.read(), { a: 2, s: [] });
    assert.equal(fileMode(file), 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['x.json'], 'only the target file remains');
  });

  test('an existing world-readable file is replaced by a 0600 one', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    new AtomicJsonFile<object>(file).write({ b: 1 });
    assert.equal(fileMode(file), 0o600);
  });

  test('bad JSON throws CorruptFileError naming the file; the file is left as it was', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{"a": 1,');
    const a = new AtomicJsonFile<object>(file);
    assert.throws(
      () => a.read(),
      (e: unknown) => e instanceof CorruptFileError && e.file === file && /not valid JSON/.test(e.reason),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 1,');
  });

  test('a directory in place of the file is "unreadable", not a crash', () => {
    const dir = freshDir();
    const file = path.join(dir, 'x.json');
    fs.mkdirSync(file);
    assert.throws(() => new AtomicJsonFile<object>(file).read(), (e: unknown) => e instanceof CorruptFileError && /unreadable/.test(e.reason));
  });
});

import { before, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One temp dir for a test file (made before its tests, removed after them) and a fresh, empty
 * directory inside it per call: tests of files on disk never see each other's files.
 */
export function tempDirs(prefix: string): () => string {
  let tmp = '';
  let counter = 0;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return () => {
    const d = path.join(tmp, `d${++counter}`);
    fs.mkdirSync(d);
    return d;
  };
}

/** A file's permission bits (0o600 for what flower-tui writes privately). */
export const fileMode = (file: string): number => fs.statSync(file).mode & 0o777;

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainingLine } from '../../src/core/merge/explaining-line.js';

test('the line that explains a failed check: the first error line, else the last line that is not noise', () => {
  assert.equal(explainingLine(['> build', 'src/a.ts(3,1): error TS2304: Cannot find name x', 'Found 1 error.', '', 'Node.js v20.20.2']), 'src/a.ts(3,1): error TS2304: Cannot find name x');
  assert.equal(explainingLine(['running', '    at foo (a.js:1:2)', 'Node.js v20.20.2']), 'running');
  assert.equal(explainingLine(['not ok 3 - login works', '# fail 1']), 'not ok 3 - login works');
  assert.equal(explainingLine(['all fine', 'but exit 1 anyway']), 'but exit 1 anyway');
  assert.equal(explainingLine(['', '  ']), null);
});

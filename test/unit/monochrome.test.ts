import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTR_BOLD, ATTR_INVERSE, CM_P16, CellGrid } from '../../src/ui/compositor/cell-grid.js';
import { monochrome } from '../../src/ui/compositor/compositor.js';

test('NO_COLOR chrome: colours go, a background colour becomes reverse video, bold stays', () => {
  const g = new CellGrid(3, 1);
  g.fg[0] = CM_P16 | 1; // red text
  g.fg[1] = CM_P16 | 7;
  g.bg[1] = CM_P16 | 1; // white on red: the alarm
  g.attrs[1] = ATTR_BOLD;
  monochrome(g);
  assert.deepEqual([...g.fg], [0, 0, 0]);
  assert.deepEqual([...g.bg], [0, 0, 0]);
  assert.equal(g.attrs[0], 0, 'coloured text is plain text');
  assert.equal(g.attrs[1], ATTR_BOLD | ATTR_INVERSE, 'the alarm is still loud');
  assert.equal(g.attrs[2], 0);
});

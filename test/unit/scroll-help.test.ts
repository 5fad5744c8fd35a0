import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCROLL_KEYS, scrollHelp } from '../../src/ui/input/scroll-keys.js';
import { hintKey } from '../../src/ui/dialogs/binding.js';
import { helpLines } from '../../src/ui/dialogs/help.js';
import { buildKeymap } from '../../src/ui/keymap.js';
import type { ScrollView } from '../../src/ui/ui-state.js';

const browsing: ScrollView = { agent: 'a/x', top: 0, editing: false, query: '', matches: [], current: -1 };
/** How the help writes the keys hintKey spells out ("Up"): as glyphs, grouped ("↑↓"). */
const GLYPHS: Record<string, string> = { up: '↑', down: '↓' };

test('every scroll-mode key offered while browsing is in the ? help (a new key without help fails here)', () => {
  const line = helpLines(buildKeymap({})).find(([k]) => k === 'scroll mode');
  assert.ok(line, 'the help has a scroll mode line');
  const [, text] = line;
  assert.equal(text.startsWith(scrollHelp()), true, 'the line is made from SCROLL_KEYS');
  // Words of the line; a group of arrow glyphs ("↑↓") counts as each of them.
  const words = new Set(text.split(/[\s·]+/).flatMap((w) => (/^[←↑→↓]+$/.test(w) ? [...w] : [w])));
  for (const b of SCROLL_KEYS.filter((x) => x.when?.(browsing) ?? true)) {
    for (const key of b.keys) {
      const shown = GLYPHS[key] ?? hintKey(key);
      assert.ok(words.has(shown), `scroll key "${key}" (${shown}) is not in the help: "${text}"`);
    }
  }
});

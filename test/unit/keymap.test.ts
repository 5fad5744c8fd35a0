import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ACTION_HELP, DEFAULT_KEYS, buildKeymap, keyLabel } from '../../src/ui/keymap.js';
import { KEY_ACTIONS } from '../../src/config/schema.js';
import { FlowerError } from '../../src/shared/errors.js';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FlowerError, String(e));
    assert.equal(e.code, 'config-invalid');
    return e.message;
  }
  assert.fail('expected config-invalid');
}

describe('buildKeymap defaults', () => {
  const km = buildKeymap();

  test('every action has a binding and help text', () => {
    for (const a of KEY_ACTIONS) {
      assert.ok(km.bindings[a].length > 0, a);
      assert.ok(ACTION_HELP[a], a);
    }
  });

  test('lookup maps each default key to its action', () => {
    assert.equal(km.lookup.get('tab'), 'next');
    assert.equal(km.lookup.get('shift-tab'), 'prev');
    assert.equal(km.lookup.get('enter'), 'attach');
    assert.equal(km.lookup.get('n'), 'newAgent');
    assert.equal(km.lookup.get('x'), 'kill');
    assert.equal(km.lookup.get('r'), 'respawn');
    assert.equal(km.lookup.get('q'), 'quit');
    assert.equal(km.lookup.get('ctrl-c'), 'quit');
    assert.equal(km.lookup.get('?'), 'help');
    assert.equal(km.lookup.get('['), 'scroll');
    assert.equal(km.lookup.get('pageup'), 'scroll');
    for (const d of ['left', 'right', 'up', 'down'] as const) assert.equal(km.lookup.get(d), d);
  });

  test('detach is not in the grid lookup; its letter is q', () => {
    assert.equal(km.lookup.get('ctrl-q'), undefined);
    assert.equal(km.detachLetter, 'q');
  });

  test('defaults are not mutated by overrides', () => {
    buildKeymap({ kill: 'k' });
    assert.deepEqual(DEFAULT_KEYS.kill, ['x']);
    assert.equal(buildKeymap().lookup.get('x'), 'kill');
  });
});

describe('buildKeymap overrides', () => {
  test('a string replaces the action\'s keys', () => {
    const km = buildKeymap({ kill: 'K' });
    assert.deepEqual(km.bindings.kill, ['K']);
    assert.equal(km.lookup.get('K'), 'kill');
    assert.equal(km.lookup.get('x'), undefined, 'old key unbound');
  });

  test('an array binds several keys', () => {
    const km = buildKeymap({ help: ['?', 'f1'] });
    assert.equal(km.lookup.get('?'), 'help');
    assert.equal(km.lookup.get('f1'), 'help');
  });

  test('named keys are case-insensitive, single characters keep their case', () => {
    const km = buildKeymap({ attach: 'Enter', newAgent: 'N', quit: ['Ctrl-X'] });
    assert.equal(km.lookup.get('enter'), 'attach');
    assert.equal(km.lookup.get('N'), 'newAgent');
    assert.equal(km.lookup.get('n'), undefined);
    assert.equal(km.lookup.get('ctrl-x'), 'quit');
  });

  test('two actions on the same key → config-invalid naming both', () => {
    const msg = configError(() => buildKeymap({ kill: 'n' }));
    assert.match(msg, /keys\.kill: "n" is already bound to newAgent/);
  });

  test('conflict within one override array of two actions', () => {
    const msg = configError(() => buildKeymap({ next: ['tab', 'j'], down: ['down', 'j'] }));
    assert.match(msg, /"j" is already bound to next/);
  });

  test('conflict detected after case folding of named keys', () => {
    const msg = configError(() => buildKeymap({ help: 'TAB' }));
    assert.match(msg, /"tab" is already bound to next/);
  });

  test('moving a key away from its default action is allowed', () => {
    const km = buildKeymap({ kill: 'n', newAgent: 'a' });
    assert.equal(km.lookup.get('n'), 'kill');
    assert.equal(km.lookup.get('a'), 'newAgent');
  });

  test(
    'binding an action to a digit 1–9 is rejected (digits always focus panes)',
    () => {
      configError(() => buildKeymap({ kill: '2' }));
    },
  );

  test('detach must be Ctrl+letter', () => {
    for (const bad of ['q', 'f1', 'alt-q', 'ctrl-1', 'ctrl-up', 'ctrl-]']) {
      const msg = configError(() => buildKeymap({ detach: bad }));
      assert.match(msg, /keys\.detach: must be a Ctrl\+letter/);
    }
    assert.equal(buildKeymap({ detach: 'Ctrl-B' }).detachLetter, 'b');
    assert.equal(buildKeymap({ detach: ['ctrl-o'] }).detachLetter, 'o');
  });

  test('detach may reuse a grid key (it only acts while attached)', () => {
    assert.equal(buildKeymap({ detach: 'ctrl-c' }).detachLetter, 'c');
  });

  test(
    'detach refuses Ctrl letters that are Enter, Tab, Backspace or newline',
    () => {
      for (const k of ['ctrl-m', 'ctrl-i', 'ctrl-h', 'ctrl-j']) configError(() => buildKeymap({ detach: k }));
    },
  );
});

describe('keyLabel', () => {
  test('labels for help and hints', () => {
    assert.equal(keyLabel('ctrl-q'), 'Ctrl-Q');
    assert.equal(keyLabel('shift-tab'), 'Shift-Tab');
    assert.equal(keyLabel('enter'), 'Enter');
    assert.equal(keyLabel('tab'), 'Tab');
    assert.equal(keyLabel('pageup'), 'PgUp');
    assert.equal(keyLabel('pagedown'), 'PgDn');
    assert.equal(keyLabel('ctrl-pageup'), 'Ctrl-PgUp');
    assert.equal(keyLabel('f1'), 'F1');
    assert.equal(keyLabel('up'), 'Up');
  });

  test('single characters are shown as they are', () => {
    for (const k of ['q', 'Q', '?', '[', '-', 'あ']) assert.equal(keyLabel(k), k);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findDetachKey, tokenizeKeys, type Key } from '../../src/ui/input/key-tokens.js';

const ESC = '\x1b';

function names(input: string): string[] {
  return tokenizeKeys(input).map((k) => (k.kind === 'key' ? k.name : k.kind));
}

function one(input: string): Key {
  const ks = tokenizeKeys(input);
  assert.equal(ks.length, 1, `expected one key for ${JSON.stringify(input)}, got ${JSON.stringify(ks)}`);
  return ks[0]!;
}

function name(input: string): string {
  const k = one(input);
  assert.equal(k.kind, 'key');
  return (k as Extract<Key, { kind: 'key' }>).name;
}

describe('tokenizeKeys: plain keys', () => {
  test('printable ASCII, one key per character, raw preserved', () => {
    const ks = tokenizeKeys('aZ?[ 1');
    assert.deepEqual(
      ks.map((k) => k.kind === 'key' && k.name),
      ['a', 'Z', '?', '[', ' ', '1'],
    );
    assert.deepEqual(
      ks.map((k) => k.raw),
      ['a', 'Z', '?', '[', ' ', '1'],
    );
  });

  test('multi-byte UTF-8 and emoji (surrogate pairs) are single keys', () => {
    assert.deepEqual(names('éあ😀👍x'), ['é', 'あ', '😀', '👍', 'x']);
    assert.equal(one('😀').raw, '😀');
  });

  test('enter, tab, backspace, ctrl letters', () => {
    assert.equal(name('\r'), 'enter');
    assert.equal(name('\n'), 'enter');
    assert.equal(name('\t'), 'tab');
    assert.equal(name('\x7f'), 'backspace');
    assert.equal(name('\x08'), 'backspace');
    assert.equal(name('\x01'), 'ctrl-a');
    assert.equal(name('\x03'), 'ctrl-c');
    assert.equal(name('\x11'), 'ctrl-q');
    assert.equal(name('\x1a'), 'ctrl-z');
    assert.equal(name('\x00'), 'ctrl-space');
    assert.equal(name('\x1c'), 'ctrl-\\');
  });

  test('raw bytes of the whole input are preserved in order', () => {
    const input = `ab${ESC}[A\r${ESC}x😀${ESC}[<0;5;6M${ESC}`;
    assert.equal(
      tokenizeKeys(input)
        .map((k) => k.raw)
        .join(''),
      input,
    );
  });
});

describe('tokenizeKeys: escape sequences', () => {
  test('shift-tab', () => assert.equal(name(`${ESC}[Z`), 'shift-tab'));

  test('arrows in CSI and SS3 (application cursor) form', () => {
    assert.deepEqual(names(`${ESC}[A${ESC}[B${ESC}[C${ESC}[D`), ['up', 'down', 'right', 'left']);
    assert.deepEqual(names(`${ESC}OA${ESC}OB${ESC}OC${ESC}OD`), ['up', 'down', 'right', 'left']);
    assert.deepEqual(names(`${ESC}[H${ESC}[F${ESC}OH${ESC}OF`), ['home', 'end', 'home', 'end']);
  });

  test('modified arrows', () => {
    assert.equal(name(`${ESC}[1;5A`), 'ctrl-up');
    assert.equal(name(`${ESC}[1;2B`), 'shift-down');
    assert.equal(name(`${ESC}[1;3C`), 'alt-right');
    assert.equal(name(`${ESC}[1;6D`), 'ctrl-shift-left');
    assert.equal(name(`${ESC}[1;7A`), 'ctrl-alt-up');
  });

  test('pageup/pagedown, home/end/insert/delete (tilde form), with modifiers', () => {
    assert.deepEqual(names(`${ESC}[5~${ESC}[6~${ESC}[1~${ESC}[4~${ESC}[2~${ESC}[3~`), ['pageup', 'pagedown', 'home', 'end', 'insert', 'delete']);
    assert.equal(name(`${ESC}[5;5~`), 'ctrl-pageup');
    assert.equal(name(`${ESC}[3;2~`), 'shift-delete');
  });

  test('function keys F1–F12 in SS3, CSI and tilde forms', () => {
    assert.deepEqual(names(`${ESC}OP${ESC}OQ${ESC}OR${ESC}OS`), ['f1', 'f2', 'f3', 'f4']);
    assert.deepEqual(names(`${ESC}[11~${ESC}[15~${ESC}[17~${ESC}[21~${ESC}[24~`), ['f1', 'f5', 'f6', 'f10', 'f12']);
    assert.equal(name(`${ESC}[1;5P`), 'ctrl-f1');
    assert.equal(name(`${ESC}[15;2~`), 'shift-f5');
  });

  test('alt-x (meta sends escape), alt with ctrl letter, alt-uppercase', () => {
    assert.equal(name(`${ESC}x`), 'alt-x');
    assert.equal(name(`${ESC}X`), 'alt-X');
    assert.equal(name(`${ESC}\x01`), 'alt-ctrl-a');
    assert.equal(name(`${ESC}\r`), 'alt-enter');
    assert.equal(name(`${ESC}あ`), 'alt-あ');
  });

  test('lone ESC, and ESC ESC', () => {
    assert.equal(name(ESC), 'escape');
    assert.deepEqual(names(`${ESC}${ESC}`), ['escape', 'escape']);
    assert.deepEqual(names(`${ESC}${ESC}[A`), ['escape', 'up']);
  });

  test('focus in/out reports', () => {
    assert.deepEqual(names(`${ESC}[I${ESC}[O`), ['focus-in', 'focus-out']);
  });

  test('unknown CSI does not swallow following keys', () => {
    assert.deepEqual(names(`${ESC}[99~a${ESC}[?1;2cb`), ['unknown', 'a', 'unknown', 'b']);
  });

  test('truncated CSI at end of input is one unknown key', () => {
    const ks = tokenizeKeys(`a${ESC}[1;5`);
    assert.equal(ks.length, 2);
    assert.deepEqual(ks[1], { kind: 'key', name: 'unknown', raw: `${ESC}[1;5` });
  });

  test('a sequence of mixed keys in one read', () => {
    assert.deepEqual(names(`j${ESC}[Bk\r${ESC}[Zq`), ['j', 'down', 'k', 'enter', 'shift-tab', 'q']);
  });
});

describe('tokenizeKeys: bracketed paste', () => {
  test('one paste token with the text, control characters included', () => {
    const text = `line 1\r\nline 2\t${ESC}[A q\x03`;
    const ks = tokenizeKeys(`a${ESC}[200~${text}${ESC}[201~b`);
    assert.equal(ks.length, 3);
    assert.deepEqual(ks[1], { kind: 'paste', text, raw: `${ESC}[200~${text}${ESC}[201~` });
    assert.deepEqual(names(`a${ESC}[200~x${ESC}[201~b`), ['a', 'paste', 'b']);
  });

  test('unterminated paste takes the rest of the input', () => {
    const ks = tokenizeKeys(`${ESC}[200~abc`);
    assert.deepEqual(ks, [{ kind: 'paste', text: 'abc', raw: `${ESC}[200~abc` }]);
  });

  test('empty paste', () => {
    assert.deepEqual(tokenizeKeys(`${ESC}[200~${ESC}[201~`), [{ kind: 'paste', text: '', raw: `${ESC}[200~${ESC}[201~` }]);
  });
});

describe('tokenizeKeys: SGR mouse', () => {
  test('left press and release, coordinates 0-based', () => {
    assert.deepEqual(one(`${ESC}[<0;10;5M`), { kind: 'mouse', button: 0, x: 9, y: 4, release: false, raw: `${ESC}[<0;10;5M` });
    assert.deepEqual(one(`${ESC}[<0;1;1m`), { kind: 'mouse', button: 0, x: 0, y: 0, release: true, raw: `${ESC}[<0;1;1m` });
  });

  test('wheel up/down and large coordinates', () => {
    const up = one(`${ESC}[<64;200;60M`);
    assert.equal(up.kind, 'mouse');
    assert.equal((up as Extract<Key, { kind: 'mouse' }>).button, 64);
    assert.equal((up as Extract<Key, { kind: 'mouse' }>).x, 199);
    assert.equal((up as Extract<Key, { kind: 'mouse' }>).y, 59);
    const down = one(`${ESC}[<65;3;4M`) as Extract<Key, { kind: 'mouse' }>;
    assert.equal(down.button, 65);
  });

  test('mouse between keys', () => {
    assert.deepEqual(names(`a${ESC}[<0;1;1M${ESC}[<0;1;1mb`), ['a', 'mouse', 'mouse', 'b']);
  });
});

describe('tokenizeKeys: extended keyboard protocols', () => {
  test('kitty CSI-u', () => {
    assert.equal(name(`${ESC}[113;5u`), 'ctrl-q');
    assert.equal(name(`${ESC}[97;3u`), 'alt-a');
    assert.equal(name(`${ESC}[13u`), 'enter');
    assert.equal(name(`${ESC}[13;5u`), 'ctrl-enter');
    assert.equal(name(`${ESC}[9;2u`), 'shift-tab');
    assert.equal(name(`${ESC}[27u`), 'escape');
    assert.equal(name(`${ESC}[127u`), 'backspace');
  });

  test('xterm modifyOtherKeys', () => {
    assert.equal(name(`${ESC}[27;5;113~`), 'ctrl-q');
    assert.equal(name(`${ESC}[27;5;13~`), 'ctrl-enter');
    assert.equal(name(`${ESC}[27;2;9~`), 'shift-tab');
    assert.equal(name(`${ESC}[27;3;120~`), 'alt-x');
  });

  test(
    'kitty CSI-u with sub-parameters never throws and keeps the modifiers',
    () => {
      // Alternate-key reporting (kitty flag 4): CSI code:shifted ; mods u
      assert.doesNotThrow(() => tokenizeKeys(`${ESC}[113:81;5u`));
      assert.equal(name(`${ESC}[113:81;5u`), 'ctrl-q');
      // Event types (kitty flag 2): CSI code ; mods:event u
      assert.equal(name(`${ESC}[113;5:1u`), 'ctrl-q');
      // An out-of-range code point is garbage, not a crash.
      assert.doesNotThrow(() => tokenizeKeys(`${ESC}[99999999u`));
    },
  );
});

describe('findDetachKey', () => {
  const encodings: [string, string][] = [
    ['legacy control byte', '\x11'],
    ['kitty CSI-u', `${ESC}[113;5u`],
    ['modifyOtherKeys', `${ESC}[27;5;113~`],
  ];
  for (const [label, seq] of encodings) {
    test(`${label}: alone, at the start, in the middle`, () => {
      assert.deepEqual(findDetachKey(seq, 'q'), [0, seq.length]);
      assert.deepEqual(findDetachKey(seq + 'abc', 'q'), [0, seq.length]);
      assert.deepEqual(findDetachKey('hello' + seq + 'world', 'q'), [5, seq.length]);
    });
  }

  test('absent: plain q, ctrl-w, other CSI-u keys', () => {
    assert.equal(findDetachKey('', 'q'), null);
    assert.equal(findDetachKey('quit q Q', 'q'), null);
    assert.equal(findDetachKey('\x17', 'q'), null);
    assert.equal(findDetachKey(`${ESC}[113u${ESC}[119;5u${ESC}[27;5;119~`, 'q'), null);
  });

  test('earliest of several encodings wins', () => {
    assert.deepEqual(findDetachKey(`ab${ESC}[27;5;113~c\x11`, 'q'), [2, `${ESC}[27;5;113~`.length]);
    assert.deepEqual(findDetachKey(`a\x11${ESC}[113;5u`, 'q'), [1, 1]);
  });

  test('other letters, upper-case letter argument', () => {
    assert.deepEqual(findDetachKey('x\x02', 'b'), [1, 1]);
    assert.deepEqual(findDetachKey(`${ESC}[98;5u`, 'B'), [0, `${ESC}[98;5u`.length]);
  });

  test('tokenizer and findDetachKey agree on every encoding', () => {
    for (const [, seq] of encodings) assert.equal(name(seq), 'ctrl-q');
  });
});

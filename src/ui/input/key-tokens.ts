/**
 * Split raw terminal input into keys. This reads *input* (what a keyboard sends), a small closed set
 * of encodings; screen output is never parsed here (that is @xterm/headless's job).
 */
export type Key =
  | { kind: 'key'; name: string; raw: string }
  | { kind: 'paste'; text: string; raw: string }
  | { kind: 'mouse'; button: number; x: number; y: number; release: boolean; raw: string };

const CSI_FINAL: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'shift-tab', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };
const TILDE: Record<string, string> = {
  '1': 'home', '2': 'insert', '3': 'delete', '4': 'end', '5': 'pageup', '6': 'pagedown', '7': 'home', '8': 'end',
  '11': 'f1', '12': 'f2', '13': 'f3', '14': 'f4', '15': 'f5', '17': 'f6', '18': 'f7', '19': 'f8', '20': 'f9', '21': 'f10', '23': 'f11', '24': 'f12',
};

/** xterm modifier parameter (1 + bits: shift 1, alt 2, ctrl 4) → prefix like "ctrl-shift-". */
function modifierPrefix(param: number): string {
  const m = Math.max(0, param - 1);
  return `${m & 4 ? 'ctrl-' : ''}${m & 2 ? 'alt-' : ''}${m & 1 ? 'shift-' : ''}`;
}

/** Name of a key given as a Unicode code point with xterm modifiers (kitty CSI-u, modifyOtherKeys). */
function codepointName(cp: number, mods: number): string {
  if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff) return 'unknown';
  const base = cp === 13 ? 'enter' : cp === 9 ? 'tab' : cp === 27 ? 'escape' : cp === 127 ? 'backspace' : String.fromCodePoint(cp).toLowerCase();
  const name = modifierPrefix(mods) + base;
  return name === 'shift-tab' ? 'shift-tab' : name;
}

function controlName(code: number): string {
  if (code === 13 || code === 10) return 'enter';
  if (code === 9) return 'tab';
  if (code === 8 || code === 127) return 'backspace';
  if (code === 0) return 'ctrl-space';
  if (code >= 1 && code <= 26) return `ctrl-${String.fromCharCode(96 + code)}`;
  if (code === 28) return 'ctrl-\\';
  if (code === 29) return 'ctrl-]';
  return `ctrl-${code}`;
}

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export function tokenizeKeys(input: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch !== '\x1b') {
      const code = ch.charCodeAt(0);
      if (code < 32 || code === 127) {
        keys.push({ kind: 'key', name: controlName(code), raw: ch });
        i++;
        continue;
      }
      const cp = input.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      keys.push({ kind: 'key', name: s, raw: s });
      i += s.length;
      continue;
    }
    if (input.startsWith(PASTE_START, i)) {
      const end = input.indexOf(PASTE_END, i + PASTE_START.length);
      const stop = end === -1 ? input.length : end;
      const text = input.slice(i + PASTE_START.length, stop);
      const next = end === -1 ? input.length : end + PASTE_END.length;
      keys.push({ kind: 'paste', text, raw: input.slice(i, next) });
      i = next;
      continue;
    }
    const n = input[i + 1];
    if (n === undefined) {
      keys.push({ kind: 'key', name: 'escape', raw: ch });
      i++;
      continue;
    }
    if (n === '[') {
      // CSI: parameters and intermediates, then one final byte in 0x40–0x7e.
      let j = i + 2;
      while (j < input.length && !(input.charCodeAt(j) >= 0x40 && input.charCodeAt(j) <= 0x7e)) j++;
      if (j >= input.length) {
        keys.push({ kind: 'key', name: 'unknown', raw: input.slice(i) });
        break;
      }
      const raw = input.slice(i, j + 1);
      const params = input.slice(i + 2, j);
      const final = input[j]!;
      keys.push(parseCsi(params, final, raw));
      i = j + 1;
      continue;
    }
    if (n === 'O' && i + 2 < input.length) {
      const raw = input.slice(i, i + 3);
      keys.push({ kind: 'key', name: CSI_FINAL[input[i + 2]!] ?? 'unknown', raw });
      i += 3;
      continue;
    }
    if (n === '\x1b') {
      keys.push({ kind: 'key', name: 'escape', raw: ch });
      i++;
      continue;
    }
    // ESC + key = Alt+key (meta sends escape).
    const cp = input.codePointAt(i + 1)!;
    const s = String.fromCodePoint(cp);
    const code = s.charCodeAt(0);
    const inner = code < 32 || code === 127 ? controlName(code) : s;
    keys.push({ kind: 'key', name: `alt-${inner}`, raw: input.slice(i, i + 1 + s.length) });
    i += 1 + s.length;
  }
  return keys;
}

function parseCsi(params: string, final: string, raw: string): Key {
  if (params.startsWith('<') && (final === 'M' || final === 'm')) {
    const [b, x, y] = params.slice(1).split(';').map(Number);
    return { kind: 'mouse', button: b ?? 0, x: (x ?? 1) - 1, y: (y ?? 1) - 1, release: final === 'm', raw };
  }
  // kitty may add sub-parameters after ':' (shifted key, event type): only the first one names the key.
  const parts = params.split(';').map((p) => p.split(':')[0] ?? '');
  if (final === 'u') {
    // kitty keyboard protocol: CSI codepoint ; modifiers u
    return { kind: 'key', name: codepointName(Number(parts[0]), Number(parts[1] || 1)), raw };
  }
  if (final === '~') {
    if (parts[0] === '27' && parts.length >= 3) {
      // xterm modifyOtherKeys: CSI 27 ; modifiers ; codepoint ~
      return { kind: 'key', name: codepointName(Number(parts[2]), Number(parts[1])), raw };
    }
    const base = TILDE[parts[0] ?? ''];
    if (!base) return { kind: 'key', name: 'unknown', raw };
    return { kind: 'key', name: modifierPrefix(Number(parts[1] ?? 1)) + base, raw };
  }
  const base = CSI_FINAL[final];
  if (!base) return { kind: 'key', name: final === 'I' ? 'focus-in' : final === 'O' ? 'focus-out' : 'unknown', raw };
  if (base === 'shift-tab') return { kind: 'key', name: base, raw };
  return { kind: 'key', name: modifierPrefix(Number(parts[1] ?? 1)) + base, raw };
}

/**
 * Where the detach key occurs in raw input, in any of the encodings a terminal may use for it.
 * Returns [index, length] or null. `ctrlLetter` is e.g. "q".
 */
export function findDetachKey(input: string, ctrlLetter: string): [number, number] | null {
  const letter = ctrlLetter.toLowerCase();
  const cp = letter.charCodeAt(0);
  const candidates = [String.fromCharCode(cp - 96), `\x1b[${cp};5u`, `\x1b[27;5;${cp}~`];
  let best: [number, number] | null = null;
  for (const c of candidates) {
    const at = input.indexOf(c);
    if (at !== -1 && (best === null || at < best[0])) best = [at, c.length];
  }
  return best;
}

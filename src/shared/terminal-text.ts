// The one sanitiser for text that came from a user, a file or a program and is about to be written to
// a terminal (status, log, pane headers, notices, errors): control characters become visible escapes
// (`\x1b`), so a name like $'E\e[2J' can neither clear a screen nor forge a line. Also the bidi
// controls that reorder what is shown ("Trojan source"). Pure; the UI and the CLI both use it.

// C0 (but not \n with keepNewlines), DEL, C1, and the bidi embedding/override/isolate controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_NL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c === 0x0a) return '\\n';
  if (c === 0x09) return '\\t';
  if (c === 0x0d) return '\\r';
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** `s` with every control character shown as an escape; `keepNewlines` for multi-line messages. */
export function cleanForTerminal(s: string, opts: { keepNewlines?: boolean } = {}): string {
  return s.replace(opts.keepNewlines ? CONTROL_KEEP_NL : CONTROL, escape);
}

/** Whether `s` holds anything cleanForTerminal would change. */
export function hasControlChars(s: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(s);
}

// Characters that join or restyle the character before them: a zero-width joiner (👨‍👩‍👧),
// variation selectors (❤️), skin-tone modifiers (👍🏽) and tag characters (subdivision flags).
// string-width counts such a sequence as one two-column character; terminals and xterm (Unicode 11
// widths) count each part, so a line measured by the one is wider on the other. Without them every
// measure agrees (👨👩👧 is six columns everywhere).
const JOINING = /[\u200d\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/gu;

/**
 * Text for the cockpit's chrome: escaped as by cleanForTerminal, and without joining characters, so
 * Ink's layout (string-width) and the emulator's cells agree and no border is pushed off its column.
 */
export function chromeText(s: string): string {
  return cleanForTerminal(s).replace(JOINING, '');
}


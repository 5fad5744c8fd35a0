/**
 * A dialog that blocks an agent, read off its screen. Pure.
 *
 * Hooks say when an agent asks permission, but not every dialog has a hook: Claude Code's "Auto
 * mode can't check actions in this session" (its server-side classifier unreachable) stops the
 * turn on a dialog while its hooks last said `working`; so do its pickers and confirmations, and
 * CLIs without hooks have only their screen. Such dialogs are drawn at the bottom of the screen and
 * end with a key hint that offers a way out ("… · Esc to cancel", "Esc to go back", "Press enter to
 * confirm or esc to cancel"); a working turn offers "esc to interrupt", never "to cancel".
 */

/** The key hint of a dialog: it waits for a choice that Esc cancels (or backs out of). */
const DIALOG_HINT = /\besc(ape)? to (cancel|go back|exit|close|dismiss)\b/i;
/** Claude Code and Codex draw a horizontal rule above their dialogs and input boxes. */
const RULE = /^\s*[─━—-]{12,}\s*$/;
/** Only the bottom of the screen: a dialog replaces the input box; text higher up is history. */
const BOTTOM_ROWS = 6;
/** How far above the hint a dialog's title may be. */
const MAX_DIALOG_ROWS = 30;

/**
 * The title of the dialog shown at the bottom of `rows` (the visible screen, top first), or null
 * when none is: "Auto mode can't check actions in this session", "Do you want to proceed?".
 */
export function blockingDialog(rows: readonly string[]): string | null {
  const filled: number[] = [];
  for (let y = rows.length - 1; y >= 0 && filled.length < BOTTOM_ROWS; y--) if (rows[y]!.trim() !== '') filled.push(y);
  const hint = filled.find((y) => DIALOG_HINT.test(rows[y]!));
  if (hint === undefined) return null;
  // The title: the first line under the nearest rule above the hint, else the first line of the block.
  let top = Math.max(0, hint - MAX_DIALOG_ROWS);
  for (let y = hint - 1; y >= top; y--) {
    if (RULE.test(rows[y]!)) {
      top = y + 1;
      break;
    }
  }
  for (let y = top; y < hint; y++) {
    const line = clean(rows[y]!);
    if (line) return line;
  }
  return clean(rows[hint]!) || 'a dialog';
}

function clean(row: string): string {
  // Box-drawing borders, selection markers and control characters are decoration, not the title.
  const s = row.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/^[\s│┃║▎▌|╭╰❯>]+|[\s│┃║╮╯|]+$/g, '').trim();
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
}

/**
 * What a respawn writes into the emulator it keeps: the old output stays above a separator, since
 * what the agent said before may be exactly what the operator needs. It undoes what the old program
 * left behind without moving the cursor, since both resets home it: DECSTBM (CSI r) always does,
 * and leaving the alternate screen (?1049l) restores the cursor saved on entry, which is row 1 when
 * there was no entry. So each is wrapped in save/restore (DECSC/DECRC; the saved cursor is per buffer).
 */
export function respawnSeparator(time: string): string {
  const keepCursor = (seq: string): string => `\x1b7${seq}\x1b8`;
  const leaveAltScreen = '\x1b7\x1b[?1049l';
  return `\x1b[0m${keepCursor('\x1b[r')}${leaveAltScreen}${keepCursor('\x1b[r')}\r\n\x1b[2m── respawned ${time} ──\x1b[0m\r\n`;
}

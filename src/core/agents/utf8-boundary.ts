/**
 * Where a chunk of UTF-8 stops being whole characters: the index of an incomplete multi-byte
 * sequence at its end (the chunk's length when it ends on a character boundary). A pty read can
 * end in the middle of a character; the server holds those bytes back for the next read, so every
 * chunk it emits (and every screen snapshot taken between chunks) falls on a character boundary,
 * and a mirror that starts from a snapshot never sees half a character.
 */
export function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  // A character is at most 4 bytes: only the last 3 can belong to an unfinished one.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf8 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1; // 0xf8+ is never a lead byte
    return need > back ? n - back : n;
  }
  return n; // only continuation bytes (or nothing) at the end: malformed or complete, pass it on
}

/**
 * Framing on the server socket: [u32 length][u8 kind][payload]. Control messages are JSON; pty
 * output travels as raw bytes with the agent id in front, so a burst of output is never re-encoded.
 */
export const FRAME_CONTROL = 1;
export const FRAME_OUTPUT = 2;
const HEADER = 5;
/** A frame larger than this is a protocol error, not something to allocate. */
const MAX_FRAME = 64 * 1024 * 1024;

export function encodeControl(msg: unknown): Buffer {
  return encodeFrame(FRAME_CONTROL, Buffer.from(JSON.stringify(msg), 'utf8'));
}

/** Output frame payload: [u16 id length][id utf8][bytes]. */
export function encodeOutput(agent: string, data: string | Uint8Array): Buffer {
  const id = Buffer.from(agent, 'utf8');
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const payload = Buffer.allocUnsafe(2 + id.length + body.length);
  payload.writeUInt16BE(id.length, 0);
  id.copy(payload, 2);
  payload.set(body, 2 + id.length);
  return encodeFrame(FRAME_OUTPUT, payload);
}

function encodeFrame(kind: number, payload: Buffer): Buffer {
  const head = Buffer.allocUnsafe(HEADER);
  head.writeUInt32BE(payload.length + 1, 0);
  head.writeUInt8(kind, 4);
  return Buffer.concat([head, payload]);
}

export type Frame = { kind: typeof FRAME_CONTROL; msg: unknown } | { kind: typeof FRAME_OUTPUT; agent: string; data: Buffer };

/** Incremental decoder: feed socket chunks, get whole frames. Partial frames wait for more bytes. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len < 1 || len > MAX_FRAME) throw new Error(`bad frame length ${len}`);
      if (this.buf.length < 4 + len) break;
      const kind = this.buf.readUInt8(4);
      const payload = this.buf.subarray(HEADER, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      if (kind === FRAME_CONTROL) out.push({ kind, msg: JSON.parse(payload.toString('utf8')) });
      else if (kind === FRAME_OUTPUT) {
        const idLen = payload.readUInt16BE(0);
        // A view, not a copy: socket chunks are never reused, and output is parsed at once.
        out.push({ kind, agent: payload.subarray(2, 2 + idLen).toString('utf8'), data: payload.subarray(2 + idLen) });
      } else throw new Error(`unknown frame kind ${kind}`);
    }
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return out;
  }
}

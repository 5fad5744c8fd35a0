import { Writable } from 'node:stream';

/**
 * The stdout Ink renders into. Ink believes it owns a terminal of this size; its output is fed to a
 * headless "chrome" terminal, from which the compositor takes the cells. Ink therefore never writes
 * to the real terminal, and its full-screen clears cost nothing visible.
 */
export class VirtualStdout extends Writable {
  readonly isTTY = true;
  columns: number;
  rows: number;

  constructor(
    cols: number,
    rows: number,
    private readonly sink: (chunk: string) => void,
  ) {
    super({ decodeStrings: false });
    this.columns = cols;
    this.rows = rows;
  }

  override _write(chunk: unknown, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.sink(typeof chunk === 'string' ? chunk : String(chunk));
    done();
  }

  resize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }

  // Ink asks these of a TTY stream.
  getColorDepth(): number {
    return 24;
  }
  hasColors(): boolean {
    return true;
  }
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }
  cursorTo(): boolean {
    return true;
  }
}

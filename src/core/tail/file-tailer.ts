import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface TailerOptions {
  /** Where to start in a file that already exists: its end (only new lines) or its start. */
  from: 'start' | 'end';
  /** Slow poll that catches what fs.watch misses (it does miss events). */
  pollMs?: number;
  /** The poll while the directory watch is in place (default: pollMs); set it slower where idle cost matters. */
  watchedPollMs?: number;
  /** On attaching to a big existing file with from: 'start', read at most its last this-many bytes. */
  maxInitialBytes?: number;
}

const CHUNK = 64 * 1024;

/**
 * Follows a growing line-oriented file: reads only the bytes appended since last time (cost per update
 * does not grow with the file), decodes UTF-8 across read boundaries, hands over complete lines and
 * keeps the partial last one. Truncation or replacement (rotation: a new inode) restarts from the top.
 */
export class FileTailer {
  private offset = 0;
  private inode: number | null = null;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    readonly file: string,
    private readonly onLines: (lines: string[]) => void,
    private readonly opts: TailerOptions = { from: 'end' },
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    try {
      const st = statSync(this.file);
      this.inode = st.ino;
      if (this.opts.from === 'end') this.offset = st.size;
      else if (this.opts.maxInitialBytes !== undefined && st.size > this.opts.maxInitialBytes) {
        this.offset = st.size - this.opts.maxInitialBytes;
        // Cutting mid-line leaves a fragment to drop; cutting right after a newline does not.
        this.skipToNextLine = !this.byteBeforeIsNewline(this.offset);
      }
    } catch {
      // Not there yet: it is read from its start once it appears.
    }
    this.poll();
    try {
      // Watch the directory: the file may not exist yet, or be replaced by rotation.
      this.watcher = watch(path.dirname(this.file), (_e, name) => {
        if (!name || name === path.basename(this.file)) this.poll();
      });
      this.watcher.on('error', () => {
        // The watch broke (its directory went away): back to the normal poll (unless stopped).
        if (!this.timer) return;
        this.watcher?.close();
        this.watcher = null;
        this.schedulePoll();
      });
    } catch {
      /* no watching: the poll still works */
    }
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.timer) clearInterval(this.timer);
    const base = this.opts.pollMs ?? 1000;
    this.timer = setInterval(() => this.poll(), this.watcher ? Math.max(base, this.opts.watchedPollMs ?? base) : base);
    this.timer.unref();
  }

  /** Starting mid-file: the first line is a fragment and is dropped. */
  private skipToNextLine = false;

  private byteBeforeIsNewline(offset: number): boolean {
    if (offset <= 0) return true;
    try {
      const fd = openSync(this.file, 'r');
      try {
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, offset - 1);
        return b[0] === 0x0a;
      } finally {
        closeSync(fd);
      }
    } catch {
      return false;
    }
  }

  /** Read whatever was appended. Safe to call any time (also by tests, synchronously). */
  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const st = fstatSync(fd);
      if (this.inode !== null && st.ino !== this.inode) this.reset(); // replaced (rotated)
      else if (st.size < this.offset) this.reset(); // truncated
      this.inode = st.ino;
      const buf = Buffer.allocUnsafe(CHUNK);
      let text = '';
      while (this.offset < st.size) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, st.size - this.offset), this.offset);
        if (n <= 0) break;
        this.offset += n;
        text += this.decoder.write(buf.subarray(0, n));
      }
      if (!text) return;
      const lines = (this.partial + text).split('\n');
      this.partial = lines.pop() ?? '';
      // The fragment is dropped once its end (a newline) has been seen; until then it stays partial.
      if (this.skipToNextLine && lines.length > 0) {
        lines.shift();
        this.skipToNextLine = false;
      }
      const complete = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l !== '');
      if (complete.length) this.onLines(complete);
    } finally {
      closeSync(fd);
    }
  }

  private reset(): void {
    this.offset = 0;
    this.partial = '';
    this.decoder = new StringDecoder('utf8');
    this.skipToNextLine = false;
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

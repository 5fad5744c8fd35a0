import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { SyncAdapter } from 'lowdb';

/** The file exists but is not valid JSON: the caller decides what to do with it (never silently lose it). */
export class CorruptFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * A lowdb adapter whose writes can never leave a half-written file: the JSON goes to a temp file in the
 * same directory (mode 0600), is fsync'd, then renamed over the target — rename is atomic, so a reader
 * or a crash sees either the old state or the new one.
 */
export class AtomicJsonFile<T> implements SyncAdapter<T> {
  constructor(readonly file: string) {}

  read(): T | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CorruptFileError(this.file, `unreadable (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new CorruptFileError(this.file, `not valid JSON (${(e as Error).message})`);
    }
  }

  write(data: T): void {
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(data, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, this.file);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        /* nothing to clean */
      }
      throw e;
    }
  }
}

/**
 * A file that could not be read as ours goes aside (`<file>.corrupt-<time>`), never lost: returns
 * where it went and why it was refused. The caller starts afresh and says so.
 */
export function moveAside(file: string, e: unknown, now: Date): { aside: string; reason: string } {
  const reason = e instanceof CorruptFileError ? e.reason : (e as Error).message;
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, aside);
  } catch {
    /* unreadable and unmovable: the caller still starts afresh, and its notice says so */
  }
  return { aside, reason };
}

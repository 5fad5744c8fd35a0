import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LowSync } from 'lowdb';
import { AtomicJsonFile, moveAside } from '../store/atomic-json-file.js';
import { BRIEF_STATUSES, type Brief } from './brief.js';

export const BRIEFS_FILE = 'briefs.json';

interface BriefsFile {
  version: 1;
  nextId: number;
  briefs: Brief[];
}

/** Keep what a hand-edited or older file holds where it is a brief; drop what is not. */
function normalise(raw: unknown): BriefsFile {
  if (!raw || typeof raw !== 'object' || (raw as { version?: unknown }).version !== 1) throw new Error('not a flower-tui briefs file (version 1)');
  const r = raw as Partial<BriefsFile>;
  const briefs = (Array.isArray(r.briefs) ? r.briefs : []).filter(
    (b): b is Brief => !!b && Number.isInteger(b.id) && b.id > 0 && typeof b.title === 'string' && BRIEF_STATUSES.includes(b.status),
  );
  for (const b of briefs) {
    b.links = Array.isArray(b.links) ? b.links : [];
    b.notes = Array.isArray(b.notes) ? b.notes : [];
    b.spec = typeof b.spec === 'string' ? b.spec : '';
  }
  const maxId = briefs.reduce((m, b) => Math.max(m, b.id), 0);
  return { version: 1, nextId: Math.max(Number.isInteger(r.nextId) ? r.nextId! : 1, maxId + 1), briefs };
}

/**
 * `<git common dir>/flower/briefs.json` (0600), never in MAIN's tree. Every change is written at once,
 * atomically (temp file, fsync, rename): a brief is the operator's work and a crash must not lose it.
 */
export class BriefStore {
  private readonly db: LowSync<BriefsFile>;

  private constructor(
    readonly file: string,
    data: BriefsFile,
  ) {
    this.db = new LowSync<BriefsFile>(new AtomicJsonFile<BriefsFile>(file), data);
    this.db.data = data;
  }

  /** Never fails on a bad file: it is moved aside (`briefs.json.corrupt-<time>`) and reported. */
  static open(dir: string, now = new Date()): { store: BriefStore; movedAside: string | null; reason: string | null } {
    const file = path.join(dir, BRIEFS_FILE);
    try {
      for (const f of readdirSync(dir)) if (f.startsWith(`.${BRIEFS_FILE}.`) && f.endsWith('.tmp')) rmSync(path.join(dir, f), { force: true });
    } catch {
      /* unreadable directory: the read below says what matters */
    }
    const empty = (): BriefsFile => ({ version: 1, nextId: 1, briefs: [] });
    try {
      const raw = new AtomicJsonFile<unknown>(file).read();
      return { store: new BriefStore(file, raw === null ? empty() : normalise(raw)), movedAside: null, reason: null };
    } catch (e) {
      const { aside, reason } = moveAside(file, e, now);
      return { store: new BriefStore(file, empty()), movedAside: aside, reason };
    }
  }

  /** A store that lives in memory only (tests without a state directory). */
  static memory(): BriefStore {
    const s = new BriefStore('', { version: 1, nextId: 1, briefs: [] });
    (s as unknown as { write: () => void }).write = () => {};
    return s;
  }

  all(): Brief[] {
    return this.db.data.briefs;
  }

  get(id: number): Brief | undefined {
    return this.db.data.briefs.find((b) => b.id === id);
  }

  /** Take the next id and store the brief under it. */
  insert(make: (id: number) => Brief): Brief {
    const b = make(this.db.data.nextId++);
    this.db.data.briefs.push(b);
    this.write();
    return b;
  }

  update(id: number, fn: (b: Brief) => void): Brief {
    const b = this.get(id);
    if (!b) throw new Error(`no brief #${id}`);
    fn(b);
    b.updatedAt = new Date().toISOString();
    this.write();
    return b;
  }

  write(): void {
    this.db.write();
  }
}

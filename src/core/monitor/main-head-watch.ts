import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TraceEntry } from '../store/trace.js';

// MAIN only receives flower-tui's merges. A commit, reset or checkout made in MAIN by anything else
// moves its HEAD without an edit ever showing: that raises an alarm like a direct edit does. The HEAD
// flower-tui last knew is kept in `<git common dir>/flower/main-head.json`, so a move made while no
// server ran is caught at the next start. Both alarms (HEAD moved, MAIN dirty) go into the trace.

export interface HeadMoved {
  /** The HEAD flower-tui knew (its last merge or rollback, or what it first saw). */
  from: string;
  to: string;
  subject: string | null;
  /** When flower-tui noticed (ISO). */
  at: string;
}

interface Persisted {
  known: string | null;
  moved: HeadMoved | null;
}

const FILE = 'main-head.json';

export class MainHeadWatch {
  private state: Persisted;
  private wasDirty: boolean | null = null;

  constructor(
    private readonly stateDir: string | null,
    private readonly record: (e: Omit<TraceEntry, 'ts'>) => void,
    private readonly target: string,
  ) {
    this.state = this.load();
  }

  /**
   * MAIN's HEAD as just read. `flowerMoving`: a merge (or its rollback) of ours is in flight, so a
   * move is ours and becomes the known HEAD (clearing an earlier alarm: MAIN is ours again).
   */
  observeHead(head: string | null, subject: string | null, flowerMoving: boolean): HeadMoved | null {
    if (!head) return this.state.moved;
    const { known } = this.state;
    if (flowerMoving) {
      if (known !== head || this.state.moved) this.save({ known: head, moved: null });
    } else if (known === null) {
      this.save({ known: head, moved: null });
    } else if (head !== known && this.state.moved?.to !== head) {
      const moved: HeadMoved = { from: known, to: head, subject, at: new Date().toISOString() };
      this.save({ known, moved });
      this.record({ actor: 'server', action: 'main.head-moved', target: this.target, details: { from: known, to: head, subject }, outcome: 'alarm' });
    } else if (head === known && this.state.moved) {
      this.save({ known, moved: null }); // moved back (reset to where flower-tui left it)
    }
    return this.state.moved;
  }

  /** MAIN's uncommitted changes as just read: the moment it turns dirty is traced. */
  observeDirty(changed: readonly string[]): void {
    const dirty = changed.length > 0;
    if (dirty && this.wasDirty !== true) this.record({ actor: 'server', action: 'main.dirty', target: this.target, details: { changes: changed.length, changed: changed.slice(0, 10) }, outcome: 'alarm' });
    this.wasDirty = dirty;
  }

  private load(): Persisted {
    if (!this.stateDir) return { known: null, moved: null };
    try {
      const j = JSON.parse(readFileSync(path.join(this.stateDir, FILE), 'utf8')) as Partial<Persisted>;
      return { known: typeof j.known === 'string' ? j.known : null, moved: j.moved && typeof j.moved.to === 'string' ? j.moved : null };
    } catch {
      return { known: null, moved: null };
    }
  }

  private save(next: Persisted): void {
    this.state = next;
    if (!this.stateDir) return;
    const file = path.join(this.stateDir, FILE);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(next), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch {
      /* the alarm still shows; only its memory across restarts is lost */
    }
  }
}

import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** A directory whose entries being created (or, for `changes`, rewritten) may mean a transcript to find. */
export interface WakeDir {
  dir: string;
  /** Only this entry counts (a session file); none: any entry. */
  name?: string;
  /** Count content changes too, not only entries appearing or going (a session file rewritten in place). */
  changes?: boolean;
}

/**
 * When a probe looks for its transcript again: soon at first, then less and less often while nothing
 * turns up (1.5 s doubling to 30 s), and at once (after a short settle) when a watched directory
 * says something appeared. Idle agents then cost almost nothing, and a new transcript or a /clear
 * is still picked up within a moment. Transcript appends do not wake it (the tailer follows those).
 */
export class LocateSchedule {
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly watches = new Map<string, { fsw: FSWatcher; wake: WakeDir }>();
  private stopped = false;

  constructor(
    private readonly run: () => void,
    private readonly opts: { minMs?: number; maxMs?: number; settleMs?: number } = {},
  ) {
    this.delay = opts.minMs ?? 1500;
  }

  start(): void {
    this.stopped = false;
    this.run();
    this.arm();
  }

  /** How long until the next look (for tests). */
  get nextDelayMs(): number {
    return this.delay;
  }

  /** After a run: found something new → keep looking often; found nothing → look less often. */
  ran(found: boolean): void {
    const min = this.opts.minMs ?? 1500;
    this.delay = found ? min : Math.min(this.delay * 2, this.opts.maxMs ?? 30_000);
  }

  /** Look soon, and often for a while: something happened (a watched entry, a refresh). */
  wake(): void {
    if (this.stopped) return;
    this.delay = this.opts.minMs ?? 1500;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), this.opts.settleMs ?? 100);
    this.timer.unref();
  }

  /**
   * Watch exactly these directories. One that does not exist yet (a first run: no projects folder)
   * is stood in for by its nearest existing ancestor, up to three levels, for anything appearing there.
   */
  watchDirs(wanted: WakeDir[]): void {
    if (this.stopped) return;
    const resolved = new Map<string, WakeDir>();
    for (const w of wanted) {
      const r = existing(w);
      if (r) resolved.set(`${r.dir}\0${r.name ?? ''}\0${r.changes ? 1 : 0}`, r);
    }
    for (const [k, w] of this.watches) {
      if (!resolved.has(k)) {
        w.fsw.close();
        this.watches.delete(k);
      }
    }
    for (const [k, wake] of resolved) {
      if (this.watches.has(k)) continue;
      try {
        const fsw = watch(wake.dir, { persistent: false }, (event, name) => {
          if (wake.name && name && String(name) !== wake.name) return;
          if (event === 'rename' || wake.changes) this.wake();
        });
        fsw.on('error', () => {
          fsw.close();
          if (this.watches.get(k)?.fsw === fsw) this.watches.delete(k);
        });
        this.watches.set(k, { fsw, wake });
      } catch {
        /* gone meanwhile, or no watches left: the backoff poll covers it */
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.watches.values()) w.fsw.close();
    this.watches.clear();
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    this.run();
    this.arm();
  }

  private arm(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => this.tick(), this.delay);
    this.timer.unref();
  }
}

/** `w` if its directory exists, else its nearest existing ancestor (up to 3 levels) watched for any new entry. */
function existing(w: WakeDir): WakeDir | null {
  let dir = w.dir;
  for (let up = 0; up <= 3; up++) {
    try {
      if (statSync(dir).isDirectory()) return up === 0 ? w : { dir };
      return null;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }
  return null;
}

import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ignoredPaths, trackedDirs } from './tree-paths.js';

/** A working tree to watch: MAIN or a linked worktree, at the commit it has checked out. */
export interface WatchedTree {
  root: string;
  head: string | null;
  isMain: boolean;
}

export interface GitWatcherOptions {
  commonDir: string;
  /** Re-read git. Never called twice at once; events during a run lead to one more run after it. */
  refresh: () => Promise<void>;
  /** Quiet time after the first event of a burst before refreshing (editors and git write in bursts). */
  debounceMs?: number;
  /** Least time between the end of one refresh and the start of the next: a build writing constantly costs at most this. */
  minGapMs?: number;
  /**
   * Most directories watched in MAIN's tree, in a lane's tree, and in all (inotify watches are a
   * shared, finite resource). MAIN over its cap makes the watcher incomplete (the dirty alarm must not
   * wait); a lane over its cap has its shallowest directories watched and the rest left to the safety poll.
   */
  maxMainDirs?: number;
  maxLaneDirs?: number;
  maxDirs?: number;
}

/** The files in git dirs whose change means HEAD, a branch, the index or the worktree list changed. */
const COMMON_DIR_NAMES = new Set(['HEAD', 'index', 'packed-refs', 'worktrees']);
const LINKED_GIT_DIR_NAMES = new Set(['HEAD', 'index', 'locked', 'gitdir']);

interface Watch {
  fsw: FSWatcher;
  /** The directory's inode when watched: one deleted and made again (a checkout) needs a new watch. */
  ino: number;
  /** null: a working-tree directory (any entry counts unless git ignores it). */
  names: Set<string> | 'refs' | 'any' | null;
  /** The working tree a working-tree directory belongs to. */
  root: string | null;
}

/**
 * Refreshes git state when git's files or a working tree change, instead of polling: fs.watch on
 * directories (git replaces files by rename, so a file's own watch would go stale) — the common dir
 * (MAIN's HEAD and index, packed-refs, the worktree list), refs/heads and its subdirectories, each
 * linked worktree's git dir, and the directories each working tree tracks (the dirty alarm).
 * Events are debounced and coalesced; paths git ignores (logs, build output) are learnt once and then
 * cost nothing. `complete` is false when something could not be watched (inotify limit, too many
 * directories): the owner then polls as before.
 */
export class GitWatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly dirsByTree = new Map<string, { head: string | null; dirs: string[] }>();
  /** Per working tree: relative path → ignored by git. Cleared when a .gitignore changes. */
  private readonly ignored = new Map<string, Map<string, boolean>>();
  private readonly unknown = new Map<string, Set<string>>();
  private relevant = false;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastEnd = 0;
  private closed = false;
  private full = true;

  constructor(private readonly opts: GitWatcherOptions) {}

  /** Everything that should be watched could be. */
  get complete(): boolean {
    return this.full;
  }

  private baseline = new Map<string, string>();

  /** Remember how every watched directory looks now: call as a read of git starts. */
  markBaseline(): void {
    this.baseline = new Map([...this.watches.keys()].map((d) => [d, dirStamp(d)]));
  }

  /**
   * A watched directory gained, lost or renamed an entry since the baseline, whether or not an event
   * said so. Git changes HEAD, refs and the index by renaming a lock file into place, so this sees
   * every git change; a file edited in place is not seen here (the owner reads git in full now and
   * then for that). A few stats: the owner's safety poll runs this instead of git.
   */
  changedSinceBaseline(): boolean {
    for (const [d, s] of this.baseline) if (dirStamp(d) !== s) return true;
    return false;
  }

  /** Directories currently watched (for tests and diagnostics). */
  get watchedDirs(): string[] {
    return [...this.watches.keys()];
  }

  /** Watch what git now has: call after each refresh with the current working trees. */
  async update(trees: WatchedTree[]): Promise<void> {
    if (this.closed) return;
    const want = new Map<string, Omit<Watch, 'fsw' | 'ino'>>();
    const common = this.opts.commonDir;
    want.set(common, { names: COMMON_DIR_NAMES, root: null });
    for (const d of dirTree(path.join(common, 'refs', 'heads'))) want.set(d, { names: 'refs', root: null });
    const linked = path.join(common, 'worktrees');
    want.set(linked, { names: 'any', root: null });
    for (const d of childDirs(linked)) want.set(d, { names: LINKED_GIT_DIR_NAMES, root: null });
    let full = true;
    let budget = this.opts.maxDirs ?? 6000;
    // MAIN first: its dirty alarm matters most.
    const ordered = [...trees].sort((a, b) => Number(b.isMain) - Number(a.isMain));
    for (const t of ordered) {
      const dirs = await this.treeDirs(t);
      const cap = Math.min(budget, t.isMain ? this.opts.maxMainDirs ?? 2000 : this.opts.maxLaneDirs ?? 1000);
      if (dirs.length > cap && (t.isMain || cap < budget)) full = false;
      for (const rel of dirs.slice(0, Math.max(0, cap))) want.set(rel === '' ? t.root : path.join(t.root, rel), { names: null, root: t.root });
      budget -= Math.min(cap, dirs.length);
    }
    for (const t of [...this.dirsByTree.keys()]) if (!trees.some((x) => x.root === t)) this.dirsByTree.delete(t);
    if (this.closed) return;
    for (const [dir, w] of this.watches) {
      if (!want.has(dir) || inode(dir) !== w.ino) {
        w.fsw.close();
        this.watches.delete(dir);
      }
    }
    let addedTreeDirs = false;
    for (const [dir, w] of want) {
      if (this.watches.has(dir)) continue;
      try {
        const ino = inode(dir);
        if (ino === null) continue; // not there (a directory deleted in the working tree): its parent's watch sees it come back
        const fsw = watch(dir, { persistent: false }, (_e, name) => this.onEvent(dir, name));
        fsw.on('error', () => {
          // The directory went away (a removed worktree): the event that said so already refreshes.
          fsw.close();
          if (this.watches.get(dir)?.fsw === fsw) this.watches.delete(dir);
        });
        this.watches.set(dir, { fsw, ino, ...w });
        if (w.root) addedTreeDirs = true;
      } catch (e) {
        // Gone already: nothing to watch. Anything else (ENOSPC: the inotify limit) means events will be missed.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') full = false;
      }
    }
    this.full = full;
    // An edit between the status just read and these new watches would go unseen: read once more.
    if (addedTreeDirs && this.updated) {
      this.relevant = true;
      this.kick();
    }
    this.updated = true;
  }

  /** The first update watches everything afresh: nothing before it was shown, so nothing was missed. */
  private updated = false;

  /** The tree's tracked directories ('' is its root), re-read only when its HEAD moved. */
  private async treeDirs(t: WatchedTree): Promise<string[]> {
    const cached = this.dirsByTree.get(t.root);
    if (cached && cached.head === t.head) return cached.dirs;
    const dirs = ['', ...(await trackedDirs(t.root).catch(() => []))];
    this.dirsByTree.set(t.root, { head: t.head, dirs });
    return dirs;
  }

  private onEvent(dir: string, name: string | Buffer | null): void {
    const w = this.watches.get(dir);
    if (!w || this.closed) return;
    const n = name === null ? null : String(name);
    if (n === null) this.relevant = true;
    else if (w.names === 'any') this.relevant = true;
    else if (w.names === 'refs') {
      if (!n.endsWith('.lock')) this.relevant = true;
    } else if (w.names) {
      if (w.names.has(n)) this.relevant = true;
      // Staging can make an ignored path tracked (add -f): what was learnt about ignores is re-learnt.
      if (n === 'index') this.ignored.clear();
    } else if (w.root) {
      if (n === '.git') return;
      if (n === '.gitignore') this.ignored.delete(w.root);
      const rel = path.relative(w.root, path.join(dir, n));
      const known = this.ignored.get(w.root)?.get(rel);
      if (known === true) return;
      if (known === false) this.relevant = true;
      else {
        let set = this.unknown.get(w.root);
        if (!set) this.unknown.set(w.root, (set = new Set()));
        set.add(rel);
      }
    }
    this.kick();
  }

  /** Schedule a run: after the debounce, and no sooner than minGap after the last one ended. */
  private kick(): void {
    if (this.timer || this.running || this.closed) return;
    const delay = Math.max(this.opts.debounceMs ?? 200, this.lastEnd + (this.opts.minGapMs ?? 2000) - Date.now());
    this.timer = setTimeout(() => void this.fire(), delay);
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    this.timer = null;
    this.running = true;
    try {
      const unknown = [...this.unknown];
      this.unknown.clear();
      let relevant = this.relevant;
      this.relevant = false;
      for (const [root, rels] of unknown) {
        const list = [...rels];
        const ign = await ignoredPaths(root, list);
        let cache = this.ignored.get(root);
        if (!cache || cache.size > 10_000) this.ignored.set(root, (cache = new Map()));
        for (const r of list) {
          cache.set(r, ign.has(r));
          if (!ign.has(r)) relevant = true;
        }
      }
      if (relevant && !this.closed) await this.opts.refresh();
    } catch {
      // The owner reports its own errors; a failed run must not stop later ones.
    } finally {
      this.running = false;
      this.lastEnd = Date.now();
    }
    // Events that came in meanwhile: one more run.
    if (this.relevant || this.unknown.size) this.kick();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.watches.values()) w.fsw.close();
    this.watches.clear();
  }
}

function dirStamp(dir: string): string {
  try {
    const st = statSync(dir);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return 'gone';
  }
}

function inode(dir: string): number | null {
  try {
    const st = statSync(dir);
    return st.isDirectory() ? st.ino : null;
  } catch {
    return null;
  }
}

function childDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return []; // missing: its parent's watch sees it appear
  }
}

/** `dir` and every directory below it (refs/heads nests: feature/x); none if it is missing. */
function dirTree(dir: string, levels = 16): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const below = levels > 0 ? entries.filter((e) => e.isDirectory()).flatMap((e) => dirTree(path.join(dir, e.name), levels - 1)) : [];
  return [dir, ...below];
}

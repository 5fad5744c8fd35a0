import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import { FlowerError, describeError } from '../../shared/errors.js';
import { GitWatcher } from '../git/git-watcher.js';
import { aheadBehind, uncommittedChanges } from '../git/lane-git.js';
import { listWorktrees, readMainStatus, type RepoLocation } from '../git/repo.js';
import type { WorktreeRecord } from '../store/state-store.js';
import type { LaneSetup, MainInfo, WorktreeInfo } from '../types.js';

/** Where files cannot be watched (inotify limit, a huge tree), git is polled at this old cadence instead. */
const UNWATCHED_POLL_MS = 3000;
/** A safety check that finds nothing changed still reads git in full every this-many checks (edits in place). */
const FULL_READ_EVERY_CHECKS = 10;

/** What git sync needs of the supervisor: its config, what it knows of lanes and agents, and where news goes. */
export interface GitSyncHost {
  repo: RepoLocation;
  config(): FlowerConfig;
  laneRecord(name: string): WorktreeRecord | undefined;
  setupOf(name: string): LaneSetup | null;
  /** A worktree git no longer lists keeps its pane while one of its agents lives. */
  hasLiveAgentIn(worktree: string): boolean;
  /** MAIN's new head and status, for the alarms: returns whether its HEAD moved by anything but our merge. */
  observeMain(head: string | null, main: MainInfo): MainInfo['headMoved'];
  /** Worktrees or MAIN's status changed. */
  changed(worktrees: WorktreeInfo[]): void;
  error(message: string): void;
  /** No safety poll while stopping. */
  stopping(): boolean;
}

/** Worktrees and MAIN's status, re-read when git's files change, with a safety poll behind the watching. */
export class GitSync {
  worktrees: WorktreeInfo[] = [];
  main: MainInfo = { branch: null, headShort: null, subject: null, changes: 0, changed: [], error: null };
  /** How many times git was read (tests check that an idle supervisor reads nothing). */
  gitReads = 0;
  /** Refreshes on git's file events; null when automatic refresh is off. */
  private watcher: GitWatcher | null = null;
  private pollOverride: number | undefined;
  private pollTimer: NodeJS.Timeout | null = null;
  /** Safety checks since the last read of git that found nothing changed. */
  private quietChecks = 0;
  private refreshing: Promise<void> | null = null;
  private refreshQueued: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly host: GitSyncHost) {}

  /** The worktree a name, path or branch means; a one-line error naming the known ones otherwise. */
  requireWorktree(name: string): WorktreeInfo {
    const w = this.worktrees.find((x) => x.name === name || x.path === name || x.branch === name);
    if (!w) throw new FlowerError('unknown-worktree', `no worktree "${name}" (known: ${this.worktrees.map((x) => x.name).join(', ')})`);
    return w;
  }

  /** Watch git's files, with `pollMs` (default: the config's monitor.gitPollMs) as the safety poll. */
  watch(pollMs: number | undefined): void {
    this.pollOverride = pollMs;
    this.watcher = new GitWatcher({ commonDir: this.host.repo.commonDir, refresh: () => this.refresh() });
  }

  /**
   * Re-read worktrees and MAIN's status. A call made while a refresh is running gets one more refresh
   * after it (shared by every caller meanwhile), so when the promise resolves the state reflects git
   * as it was when refresh() was called, never older.
   */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.refreshing) {
      this.refreshing = this.read().finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    this.refreshQueued ??= this.refreshing.then(() => {
      this.refreshQueued = null;
      return this.refresh();
    });
    return this.refreshQueued;
  }

  private async read(): Promise<void> {
    this.gitReads++;
    this.quietChecks = 0;
    this.watcher?.markBaseline();
    try {
      const { repo } = this.host;
      const [base, main] = await Promise.all([listWorktrees(repo), readMainStatus(repo.mainRoot, this.ownFiles())]);
      const list = await Promise.all(base.map((w) => this.withLaneInfo(w, main.branch)));
      // A worktree removed behind our back keeps its pane while its agents live: they are still running.
      const kept = this.worktrees.filter((old) => !list.some((w) => w.path === old.path) && this.host.hasLiveAgentIn(old.name));
      const next = [...list, ...kept.map((w) => ({ ...w, prunable: true }))];
      // Watch what git now has (a new worktree, a new commit's directories) before showing it: an edit
      // made the moment a pane shows the new commit is then seen.
      await this.watcher?.update(next.filter((w) => !w.prunable).map((w) => ({ root: w.path, head: w.head, isMain: w.isMain })));
      main.headMoved = this.host.observeMain(next.find((w) => w.isMain)?.head ?? null, main);
      const changed = JSON.stringify(next) !== JSON.stringify(this.worktrees) || JSON.stringify(main) !== JSON.stringify(this.main);
      this.worktrees = next;
      this.main = main;
      if (changed) this.host.changed(next);
    } catch (e) {
      this.host.error(`git: ${describeError(e)}`);
    }
    this.schedulePoll();
  }

  /**
   * The next safety poll, counted from the last refresh of any kind: with file events working it only
   * catches a missed event (slow, and mostly a few stats, no git); without them it is what keeps the
   * panes current (git read every 3 s, the old cadence).
   */
  schedulePoll(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (!this.watcher || this.closed || this.host.stopping()) return;
    const safety = this.pollOverride ?? this.host.config().monitor.gitPollMs;
    const ms = this.watcher.complete ? safety : safety > 0 ? Math.min(safety, UNWATCHED_POLL_MS) : UNWATCHED_POLL_MS;
    if (ms <= 0) return;
    this.pollTimer = setTimeout(() => this.safetyPoll(), ms);
    this.pollTimer.unref();
  }

  private safetyPoll(): void {
    this.pollTimer = null;
    const w = this.watcher;
    if (!w || this.closed) return;
    if (!w.complete || w.changedSinceBaseline() || ++this.quietChecks >= FULL_READ_EVERY_CHECKS) void this.refresh();
    else this.schedulePoll();
  }

  /** Stop polling and watching (the supervisor is stopping). */
  stop(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.watcher?.close();
  }

  /** No refresh after the supervisor has closed. */
  close(): void {
    this.closed = true;
  }

  /** A linked worktree plus what flower-tui knows of it: lane kind, port, ahead/behind MAIN, dirty, setup. */
  private async withLaneInfo(w: WorktreeInfo, mainBranch: string | null): Promise<WorktreeInfo> {
    if (w.isMain) return w;
    const rec = this.host.laneRecord(w.name);
    const counts = w.branch && mainBranch && !w.prunable ? await aheadBehind(this.host.repo.mainRoot, mainBranch, w.branch).catch(() => null) : null;
    const dirty = w.prunable ? null : await uncommittedChanges(w.path).then((c) => c.length, () => null);
    return {
      ...w,
      lane: { lane: rec?.lane ?? 'standing', kind: rec?.kind ?? null, port: rec?.port ?? null, ahead: counts?.ahead ?? null, behind: counts?.behind ?? null, dirty, setup: this.host.setupOf(w.name) },
    };
  }

  /** flower-tui's own files in MAIN (never the dirty alarm): its config there, the lanes' include list. */
  private ownFiles(): string[] {
    const config = this.host.config();
    const own = ['flower.config.json', config.lanes.includeFile];
    const src = config.source;
    if (src && path.dirname(src) === this.host.repo.mainRoot) own.push(path.basename(src));
    return own;
  }
}

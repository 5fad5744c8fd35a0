import type { Brief, BriefStatus } from './brief.js';
import { FLOWER } from './brief.js';
import { laneCommits } from './brief-git.js';
import { linksToAdd } from './brief-links.js';
import type { BriefStore } from './brief-store.js';
import type { WorktreeInfo } from '../types.js';

/** What linking needs of the desk's host (a part of BriefHost). */
export interface LinkHost {
  worktrees(): WorktreeInfo[];
  mainBranch(): string | null;
  changed(): void;
}

/** What linking does through the desk: its trace lines and its transitions (one table of them). */
export interface LinkSteps {
  trace(b: Brief, by: string, action: string, details: Record<string, unknown>): void;
  move(b: Brief, to: BriefStatus, by: string, reason: string | null): Brief;
}

/**
 * The links from briefs to what they produced: the commits of their lanes (by `Brief: #N` trailer or
 * by lane and claim time, see brief-links.ts) as git moves, and each merge of their lane as it ends.
 */
export class BriefLinks {
  /** The link reads, one after the other. */
  private queue: Promise<void> = Promise.resolve();
  private lastHeads = new Map<string, string | null>();

  constructor(
    private readonly store: BriefStore,
    private readonly host: LinkHost,
    private readonly steps: LinkSteps,
  ) {}

  /** Git moved somewhere: link new commits of lanes whose HEAD changed to their briefs. */
  async lanesChanged(): Promise<void> {
    const changed: Brief[] = [];
    for (const w of this.host.worktrees()) {
      if (w.isMain) continue;
      if (this.lastHeads.get(w.name) === w.head) continue;
      this.lastHeads.set(w.name, w.head);
      changed.push(...this.store.all().filter((b) => b.lane === w.name && (b.status === 'claimed' || b.status === 'ready' || b.status === 'dispatched')));
    }
    // A trailer may name a brief of another lane: lanes with a claimed brief are read anyway when they move.
    if (changed.length) await this.sync(changed);
  }

  /**
   * Read the lanes of these briefs and add the links their commits make (trailer or lane + time).
   * One read at a time, in order: a caller that must see the links before it goes on (`brief done`
   * before `ready`) waits for a read already running (git moved) and then reads again itself.
   */
  sync(briefs: Brief[]): Promise<void> {
    const next = this.queue.then(() => this.syncNow(briefs));
    this.queue = next.catch(() => {});
    return next;
  }

  private async syncNow(briefs: Brief[]): Promise<void> {
    try {
      const main = this.host.mainBranch();
      if (!main) return;
      const lanes = new Set(briefs.map((b) => b.lane).filter((l): l is string => !!l));
      for (const lane of lanes) {
        const wt = this.host.worktrees().find((w) => w.name === lane);
        if (!wt) continue;
        const commits = await laneCommits(wt.path, main).catch(() => []);
        for (const { brief, link } of linksToAdd(this.store.all(), lane, commits)) {
          this.store.update(brief.id, (x) => x.links.push(link));
          this.steps.trace(brief, FLOWER, 'brief.link', { kind: 'commit', sha: link.sha.slice(0, 12), subject: link.subject, via: link.via });
        }
      }
    } finally {
      this.host.changed();
    }
  }

  /** A merge of `lane` ended: link it to the lane's briefs with its outcome; a success makes them merged. */
  merged(lane: string, outcome: string, sha: string | null, message: string): void {
    for (const b of this.store.all().filter((x) => x.lane === lane && (x.status === 'ready' || x.status === 'claimed' || x.status === 'dispatched' || x.status === 'blocked'))) {
      if (outcome === 'refused' || outcome === 'locked' || outcome === 'cancelled') continue;
      const link = { kind: 'merge' as const, sha: sha ?? '', subject: message, via: 'merge' as const, outcome, ts: new Date().toISOString() };
      this.store.update(b.id, (x) => x.links.push(link));
      this.steps.trace(b, FLOWER, 'brief.link', { kind: 'merge', sha: (sha ?? '').slice(0, 12), outcome });
      if (outcome === 'merged' && b.status === 'ready') this.steps.move(b, 'merged', FLOWER, null);
    }
  }
}

import { briefTrailers, type Brief, type BriefLink } from './brief.js';
import type { LaneCommit } from './brief-git.js';

/** Commits made this long before a claim still count for it (clocks, a commit racing the claim). */
const CLAIM_SLACK_MS = 5_000;

/**
 * Pure: which links the commits of `lane` add. A `Brief: #N` trailer links a commit to brief N
 * (any lane); a commit on the lane after a brief's claim links to the brief the lane was on. A
 * commit already linked to a brief is never linked to it twice.
 */
export function linksToAdd(briefs: Brief[], lane: string, commits: LaneCommit[]): { brief: Brief; link: BriefLink }[] {
  const out: { brief: Brief; link: BriefLink }[] = [];
  const has = (b: Brief, sha: string) => b.links.some((l) => l.kind === 'commit' && l.sha === sha) || out.some((o) => o.brief === b && o.link.sha === sha);
  const linkable = (b: Brief) => b.status !== 'closed' && b.status !== 'merged' && b.status !== 'planned';
  for (const c of commits) {
    const ts = new Date(c.time).toISOString();
    const named = briefTrailers(c.message);
    for (const id of named) {
      const b = briefs.find((x) => x.id === id);
      if (b && linkable(b) && !has(b, c.sha)) out.push({ brief: b, link: { kind: 'commit', sha: c.sha, subject: c.subject, via: 'trailer', ts } });
    }
    // By lane and time: the brief this lane was on when the commit was made (latest claim before it).
    const onLane = briefs
      .filter((b) => b.lane === lane && linkable(b) && b.claimedAt && Date.parse(b.claimedAt) - CLAIM_SLACK_MS <= c.time)
      .sort((a, b) => Date.parse(b.claimedAt!) - Date.parse(a.claimedAt!))[0];
    if (onLane && !named.includes(onLane.id) && !has(onLane, c.sha)) out.push({ brief: onLane, link: { kind: 'commit', sha: c.sha, subject: c.subject, via: 'lane', ts } });
  }
  return out;
}

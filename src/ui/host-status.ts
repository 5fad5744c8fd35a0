import type { HostLinkView, Snapshot, WorktreeInfo } from '../core/types.js';

/** A host's link in one line, as its lanes' titles and MAIN's monitor show it; null when connected. */
export function hostLinkLine(link: HostLinkView, now: number): string | null {
  const wait = link.retryAt === null ? null : `${Math.max(1, Math.ceil((link.retryAt - now) / 1000))}s`;
  switch (link.state) {
    case 'connected':
      return null;
    case 'connecting':
      return `${link.name}: connecting…`;
    case 'disconnected':
      return `${link.name}: disconnected — reconnecting${wait ? ` (${wait})` : ''}`;
    case 'unreachable':
      return `${link.message ?? `${link.name}: unreachable`}${wait ? ` — retrying (${wait})` : ''}`;
  }
}

/** The link of the host a lane lives on, when that link is not up (its panes are then greyed). */
export function hostDown(snapshot: Snapshot, worktree: WorktreeInfo | undefined): HostLinkView | null {
  if (!worktree?.host) return null;
  const link = snapshot.hosts?.find((h) => h.name === worktree.host);
  return link && link.state !== 'connected' ? link : null;
}

import { FlowerError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import { FLOWER, OPERATOR, type Brief } from './brief.js';
import type { BriefCommand } from './brief-ops.js';

/** Who a trace entry says acted: the operator, flower-tui's own policy, or an agent through the CLI. */
export function traceActor(by: string): TraceActor {
  return by === OPERATOR ? 'operator' : by === FLOWER ? 'policy' : 'cli';
}

/** A lane name from a title: `brief-12-move-design-off-main`. */
export function ephemeralLaneName(id: number, title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return slug ? `brief-${id}-${slug}` : `brief-${id}`;
}

/** A title is one short line: it shows in the cockpit's list, the trace and the packet's first line. */
export function checkTitle(raw: string): string {
  const title = raw.trim();
  if (!title) throw new FlowerError('bad-usage', 'a brief needs a title');
  if (/[\x00-\x1f\x7f]/.test(title)) throw new FlowerError('bad-usage', 'a title is one line of text (no control characters)');
  if (title.length > 200) throw new FlowerError('bad-usage', 'a title is at most 200 characters (put the rest in the spec)');
  return title;
}

/** A new brief as `brief add` makes it: planned, nothing dispatched, linked or noted yet. */
export function newBrief(id: number, title: string, cmd: Extract<BriefCommand, { op: 'add' }>, now: string): Brief {
  return {
    id,
    title,
    spec: cmd.spec ?? '',
    status: 'planned',
    reason: null,
    lane: cmd.lane ?? null,
    agent: null,
    ephemeral: cmd.ephemeral === true ? ephemeralLaneName(id, title) : cmd.ephemeral ?? null,
    served: cmd.served ?? false,
    profile: cmd.profile ?? null,
    auto: cmd.auto ?? false,
    createdAt: now,
    updatedAt: now,
    dispatchedAt: null,
    claimedAt: null,
    packet: null,
    links: [],
    notes: [],
  };
}

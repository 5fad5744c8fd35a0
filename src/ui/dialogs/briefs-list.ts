import type { BriefView } from '../../core/briefs/brief-ops.js';
import type { Dialog } from '../ui-state.js';
import type { Effect } from '../input/key-result.js';

// The briefs view's list and the steps its keys take (dialogs/briefs.tsx), apart from the view so
// the view (components/BriefsView.tsx) and the keys both read them without importing each other.

export type BriefsDialog = Extract<Dialog, { kind: 'briefs' }>;

/** Status order of the briefs view: what needs attention first, history last. */
const ORDER = ['dispatched', 'claimed', 'blocked', 'failed', 'planned', 'ready', 'merged'];

/** The briefs as the view lists them: by status, then oldest first. */
export function briefsInOrder(briefs: BriefView[]): BriefView[] {
  return [...briefs].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.id - b.id);
}

/** The effect that adds a brief (no spec when it is blank). */
export function addBrief(title: string, spec: string): Effect {
  return { type: 'lane', cmd: { type: 'brief', op: 'add', title, ...(spec.trim() ? { spec } : {}) } };
}

export function openBriefs(): BriefsDialog {
  return { kind: 'briefs', selected: 0, adding: null, detail: null };
}

/** What the spec step turns a paste into: newlines kept (a spec is markdown), CR LF and lone CR as LF. */
export function pastedSpec(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** How a brief is named on screen: `#12`, or `box#3` for one a host's server holds. */
export function briefLabel(b: Pick<BriefView, 'id' | 'host'>): string {
  return `${b.host ?? ''}#${b.id}`;
}

/** The same brief: ids are per server, so the host too. */
export function sameBrief(a: Pick<BriefView, 'id' | 'host'> | null | undefined, b: Pick<BriefView, 'id' | 'host'>): boolean {
  return !!a && a.id === b.id && (a.host ?? null) === (b.host ?? null);
}

import type { Dialog } from '../ui-state.js';

// The new-worktree form's shape (its keys and render: new-worktree.tsx).

export type Form = Extract<Dialog, { kind: 'new-worktree' }>;

/** The form's fields in order: text fields are typed into, choices flip with Space or ←/→. */
export const FORM_FIELDS = ['name', 'lane', 'served', 'base', 'agents'] as const;

/** The form as `lanes.defaultLane` / `lanes.defaultKind` say a new lane should be, until changed. */
export function newWorktreeForm(defaults: { lane?: 'standing' | 'ephemeral'; kind?: 'served' | 'code-only' } = {}): Form {
  return { kind: 'new-worktree', field: 0, name: '', lane: defaults.lane ?? 'standing', served: defaults.kind === 'served', base: '', agents: '', error: null };
}

/** A lane's name as the form accepts it (the server checks it again with git). */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

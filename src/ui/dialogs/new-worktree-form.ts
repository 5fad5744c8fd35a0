import type { Dialog } from '../ui-state.js';

// The new-worktree form's shape (its keys and render: new-worktree.tsx).

export type Form = Extract<Dialog, { kind: 'new-worktree' }>;

/** The form's fields in order: text fields are typed into, choices flip with Space or ←/→. */
export const FORM_FIELDS = ['name', 'lane', 'served', 'base', 'agents', 'host'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The fields this form shows: where to make the lane only when there is a host to choose. */
export function fieldsOf(f: Pick<Form, 'hosts'>): readonly FormField[] {
  return f.hosts.length ? FORM_FIELDS : FORM_FIELDS.filter((x) => x !== 'host');
}

/**
 * The form as `lanes.defaultLane` / `lanes.defaultKind` say a new lane should be, until changed;
 * `hosts`: the configured hosts a lane may be made on instead of this machine.
 */
export function newWorktreeForm(defaults: { lane?: 'standing' | 'ephemeral'; kind?: 'served' | 'code-only' } = {}, hosts: string[] = []): Form {
  return { kind: 'new-worktree', field: 0, name: '', lane: defaults.lane ?? 'standing', served: defaults.kind === 'served', base: '', agents: '', error: null, host: '', hosts };
}

/** The next choice of where to make the lane: this machine, then each host in turn. */
export function nextHost(f: Pick<Form, 'host' | 'hosts'>, step: 1 | -1): string {
  const choices = ['', ...f.hosts];
  return choices[(choices.indexOf(f.host) + step + choices.length) % choices.length]!;
}

/** A lane's name as the form accepts it (the server checks it again with git). */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

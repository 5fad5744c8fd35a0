import { FlowerError } from '../../shared/errors.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';

// Names an operator gives things that become paths, branch names, ids and screen text: worktrees
// (lanes) and agents follow the same rules, checked before anything is created or started, so a bad
// name never leaves a half-made lane or a running agent behind.

export const MAX_NAME_LENGTH = 63;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What is wrong with `name` as a worktree or agent name, or null. Pure. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name.length > MAX_NAME_LENGTH) return `it is ${name.length} characters long (at most ${MAX_NAME_LENGTH})`;
  if (!NAME.test(name)) return 'use letters, digits, ".", "_" and "-" (not starting with "-" or ".")';
  if (name.includes('..')) return 'it may not contain ".."';
  if (name.endsWith('.') || name.endsWith('.lock')) return 'it may not end with "." or ".lock"';
  return null;
}

/** Throw a one-line usage error (exit 2) naming the thing, the name (escaped) and the rule it breaks. */
export function checkName(kind: 'worktree' | 'agent', name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new FlowerError('bad-usage', `invalid ${kind} name "${cleanForTerminal(name.length > 80 ? `${name.slice(0, 80)}…` : name)}": ${problem}`);
}

/**
 * Errors a user can cause. They carry a stable code (for --json and tests) and a one-line message
 * that is shown as is: no stack trace reaches the user unless --debug is given.
 */
export type FlowerErrorCode =
  | 'not-a-repo'
  | 'config-invalid'
  | 'config-unreadable'
  | 'main-read-only'
  | 'unknown-profile'
  | 'unknown-worktree'
  | 'unknown-agent'
  | 'command-not-found'
  | 'spawn-failed'
  | 'git-failed'
  | 'bad-usage'
  | 'unsafe-path'
  | 'no-server'
  | 'server-failed'
  | 'protocol-mismatch'
  | 'agent-not-running'
  | 'would-lose-work'
  | 'merge-locked'
  | 'merge-failed'
  /** A configured host could not be reached over ssh, or its flower-tui did not answer. */
  | 'host-unreachable'
  /** `wait` gave up (exit 124, as timeout(1)). */
  | 'timeout';

/** Exit codes the CLI uses; 2 for "you pointed me at the wrong place" mirrors git's own usage errors. */
export const EXIT_CODES: Partial<Record<FlowerErrorCode, number>> = {
  'not-a-repo': 2,
  'config-invalid': 2,
  'config-unreadable': 2,
  'bad-usage': 2,
  'no-server': 3,
  'protocol-mismatch': 4,
  'host-unreachable': 5,
  timeout: 124,
};

export class FlowerError extends Error {
  readonly code: FlowerErrorCode;
  constructor(code: FlowerErrorCode, message: string) {
    super(message);
    this.name = 'FlowerError';
    this.code = code;
  }
}

export function isFlowerError(e: unknown): e is FlowerError {
  return e instanceof FlowerError;
}

/** A one-line description of any thrown value, for status lines and logs. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}

import type { SupervisorCommand } from './types.js';

/** Commands whose result the caller shows (a removal preview, a merge report, a diff). */
export const RESULT_COMMANDS = ['addWorktree', 'removeWorktree', 'checkRemoval', 'retrySetup', 'removedLanes', 'restoreLane', 'mergePreview', 'merge', 'cancelMerge', 'dismissMerge', 'diff', 'brief', 'queue', 'updateLane'] as const;
export type ResultCommand = Extract<SupervisorCommand, { type: (typeof RESULT_COMMANDS)[number] }>;

export function isResultCommand(cmd: SupervisorCommand): cmd is ResultCommand {
  return (RESULT_COMMANDS as readonly string[]).includes(cmd.type);
}

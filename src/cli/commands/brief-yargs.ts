import type { Argv } from 'yargs';

/** `brief <action>`'s options. Only yargs here: the handler's module is imported when it runs. */
export const BRIEF_ACTIONS = ['add', 'ls', 'show', 'edit', 'note', 'close', 'block', 'fail', 'dispatch', 'claim', 'done'] as const;
export type BriefAction = (typeof BRIEF_ACTIONS)[number];

export function briefOptions(y: Argv) {
  return y
    .positional('action', {
      choices: BRIEF_ACTIONS,
      demandOption: true,
      describe: 'add TITLE | ls | show N | edit N | note N TEXT | close N | block N | fail [N] | dispatch N | claim [N] | done [N]',
    })
    .positional('args', { type: 'string', array: true, describe: 'the title (add), the brief number, a note\'s text' })
    .option('json', { type: 'boolean', describe: 'machine-readable output' })
    .option('spec', { type: 'string', describe: 'add/edit: the spec (markdown); "-" reads it from stdin' })
    .option('spec-file', { type: 'string', describe: 'add/edit: read the spec from this file' })
    .option('title', { type: 'string', describe: 'edit: a new title' })
    .option('lane', { type: 'string', describe: 'add/dispatch: the lane it goes to' })
    .option('agent', { type: 'string', describe: 'dispatch: to this agent; claim: on this agent\'s behalf' })
    .option('ephemeral', { type: 'string', describe: 'add/dispatch: in a new ephemeral lane (optionally named) with a fresh agent' })
    .option('served', { type: 'boolean', describe: 'with --ephemeral: a served lane (default code-only)' })
    .option('profile', { type: 'string', describe: 'with --ephemeral: the agent\'s profile (default: lanes.agents[0])' })
    .option('auto', { type: 'boolean', describe: 'add: dispatched by flower-tui to the first idle agent of a standing lane' })
    .option('status', { type: 'string', describe: 'ls: only this status (planned, dispatched, unclaimed, claimed, ready, merged, closed, blocked, failed)' })
    .option('reason', { type: 'string', describe: 'close/block/fail: why' })
    .option('summary', { type: 'string', describe: 'done: what was done' })
    .option('as-agent', { type: 'boolean', describe: 'show: print exactly the packet the agent receives' });
}

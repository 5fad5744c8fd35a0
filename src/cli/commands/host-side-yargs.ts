import type { Argv, CommandModule } from 'yargs';
import type { RepoArgs } from './common.js';

// The hidden commands MAIN's server on another machine runs on this host over ssh (issue 19):
// not for people, so not in --help; their handlers load only when run (startup, base memory).

/** The options every command takes, as the handlers want them. */
const repoArgs = (a: Record<string, unknown>): RepoArgs => ({ repo: a.repo as string | undefined, config: a.config as string | undefined, json: a.json as boolean | undefined });

/** `gate LANE`: report on one of this host's lanes and, at the expected commit, run MAIN's gate in it. */
export const GATE_COMMAND: CommandModule = {
  command: 'gate <lane>',
  describe: false,
  builder: (y: Argv) =>
    y
      .positional('lane', { type: 'string', demandOption: true })
      .option('expect', { type: 'string', describe: 'run the gate only when the lane is at this commit (and clean)' })
      .option('run', { type: 'string', describe: "the gate command (MAIN's merge.gate)" })
      .option('timeout-ms', { type: 'number' })
      .option('json', { type: 'boolean' }),
  handler: async (a) => {
    const { gateCommand } = await import('./gate-command.js');
    await gateCommand({ ...repoArgs(a), lane: String(a.lane), expect: a.expect as string | undefined, run: a.run as string | undefined, timeoutMs: a.timeoutMs as number | undefined });
  },
};

/** `landed LANE`: a merge of one of this host's lanes ended in MAIN elsewhere; its briefs here follow. */
export const LANDED_COMMAND: CommandModule = {
  command: 'landed <lane>',
  describe: false,
  builder: (y: Argv) =>
    y
      .positional('lane', { type: 'string', demandOption: true })
      .option('outcome', { type: 'string', demandOption: true })
      .option('sha', { type: 'string' })
      .option('message', { type: 'string', default: '' }),
  handler: async (a) => {
    const { landedCommand } = await import('./gate-command.js');
    await landedCommand({ ...repoArgs(a), lane: String(a.lane), outcome: String(a.outcome), sha: a.sha as string | undefined, message: a.message as string | undefined });
  },
};

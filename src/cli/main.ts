import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFileSync } from 'node:fs';
import { EXIT_CODES, isFlowerError, describeError } from '../core/errors.js';
import { openCockpit } from './open-cockpit.js';
import { createDemoRepo } from './demo-repo.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Print a user's error as one line and exit; a stack only with --debug. */
function fail(e: unknown, debug: boolean): never {
  if (isFlowerError(e)) {
    process.stderr.write(`flower-tui: ${e.message}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    process.exit(EXIT_CODES[e.code] ?? 1);
  }
  process.stderr.write(`flower-tui: ${describeError(e)}${debug ? `\n${(e as Error)?.stack ?? ''}` : ' (run with --debug for details)'}\n`);
  process.exit(1);
}

const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

try {
  await yargs(argv)
    .scriptName('flower-tui')
    .usage('$0 [--repo DIR] [--config FILE]\n\nThe cockpit for AI coding agents in git worktrees: every worktree in a pane, every agent live, MAIN read-only.')
    .option('repo', { type: 'string', describe: 'repository to open (default: the one containing the current directory)' })
    .option('config', { type: 'string', describe: 'config file (default: flower.config.json in MAIN, then ~/.config/flower-tui/config.json)' })
    .option('debug', { type: 'boolean', describe: 'show stack traces on errors' })
    .command(
      '$0',
      'open the cockpit on a repository',
      () => {},
      async (a) => {
        process.exitCode = await openCockpit({ repo: a.repo, config: a.config, debug: a.debug });
      },
    )
    .command(
      'demo',
      'create a scratch repository with worktrees and demo agents, and open the cockpit on it',
      () => {},
      async (a) => {
        const demo = await createDemoRepo();
        process.exitCode = await openCockpit({
          repo: demo.mainRoot,
          config: demo.configFile,
          debug: a.debug,
          farewell: `flower-tui demo: the scratch repository is kept at ${demo.dir} (remove it with: rm -rf ${demo.dir})`,
        });
      },
    )
    .strict()
    .version(pkg.version)
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((msg, err) => {
      if (err) fail(err, debug);
      process.stderr.write(`flower-tui: ${msg}\n(see flower-tui --help)\n`);
      process.exit(2);
    })
    .parseAsync();
} catch (e) {
  fail(e, debug);
}
// The TUI's handles (stdin, timers) are closed by now; exit explicitly so a stray handle never hangs us.
process.exit(process.exitCode ?? 0);

import { loadConfig } from '../config/config.js';
import { FlowerError, describeError } from '../core/errors.js';
import { locateRepo } from '../core/git/repo.js';
import { Supervisor } from '../core/supervisor.js';
import { buildKeymap } from '../ui/keymap.js';
import { Tui, TERMINAL_RESTORE } from '../ui/tui.js';

export interface CockpitArgs {
  repo?: string;
  config?: string;
  debug?: boolean;
  /** Printed after the TUI closes (the demo says where its scratch repository is). */
  farewell?: string;
}

/**
 * Open the cockpit on a repository and run until the user quits. Every way out — q, a signal, the
 * terminal closing, a crash — stops every agent's whole process tree and restores the terminal.
 */
export async function openCockpit(args: CockpitArgs): Promise<number> {
  const repo = await locateRepo(args.repo ?? process.cwd());
  const config = loadConfig({ file: args.config, mainRoot: repo.mainRoot });
  const keymap = buildKeymap(config.keys);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new FlowerError('bad-usage', 'the cockpit needs an interactive terminal (stdin and stdout must be a TTY)');
  }
  const supervisor = await Supervisor.open({ repo, config });
  const { errors } = supervisor.startConfiguredAgents();
  const tui = new Tui({
    supervisor,
    config,
    keymap,
    stdin: process.stdin,
    stdout: process.stdout,
    initialMessage: errors.length ? { text: errors.join('; '), level: 'error' } : undefined,
  });

  // Last line of defence: whatever happens, no agent outlives us and the terminal is usable again.
  process.on('exit', () => supervisor.killAllNow());
  // Writes to a terminal that has gone away (SIGHUP) fail with EIO: that must not become a crash.
  process.stdout.on('error', () => {});
  const onSignal = (sig: NodeJS.Signals) => {
    void tui.quit().finally(() => process.exit(sig === 'SIGHUP' ? 129 : sig === 'SIGINT' ? 130 : 143));
  };
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(sig, onSignal);
  const onCrash = (e: unknown) => {
    try {
      tui.teardownTerminal();
    } catch {
      process.stdout.write(TERMINAL_RESTORE);
    }
    supervisor.killAllNow();
    process.stderr.write(`flower-tui: internal error: ${describeError(e)}${args.debug ? `\n${(e as Error)?.stack ?? ''}` : ' (run with --debug for details)'}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  tui.start();
  await tui.exited;
  if (args.farewell) process.stdout.write(args.farewell + '\n');
  return 0;
}

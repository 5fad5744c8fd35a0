import { loadConfig } from '../config/config.js';
import type { CockpitBackend } from '../core/backend/cockpit-backend.js';
import { FlowerError, describeError } from '../shared/errors.js';
import { locateRepo } from '../core/git/repo.js';
import { agentIsLive } from '../core/types.js';
import { connectOrStartServer } from '../client/server-process.js';
import { serverLocation } from '../protocol/server-location.js';
import { buildKeymap } from '../ui/keymap.js';
import { startupMark } from '../shared/startup-trace.js';

/** The cockpit's heavy half — Ink, React, the compositor — and the backend that feeds it, loaded on demand. */
const loadUi = () => import('../ui/tui.js');

export interface CockpitArgs {
  repo?: string;
  config?: string;
  debug?: boolean;
  /** Run agents inside this process (they end with it) instead of in the repository's server. */
  inProcess?: boolean;
  /** Printed after the TUI closes, given how it closed. */
  farewell?: (outcome: 'detached' | 'stopped', running: number) => string | null;
}

/**
 * Open the cockpit on a repository. By default the agents live in the repository's server (started
 * if needed), so closing the cockpit — q, a signal, the terminal going away, a crash — leaves them
 * running. With `inProcess`, every way out stops every agent's whole process tree instead.
 * The terminal is restored on every path.
 */
export async function openCockpit(args: CockpitArgs): Promise<number> {
  startupMark('cockpit: open');
  const repo = await locateRepo(args.repo ?? process.cwd());
  startupMark('cockpit: repo located');
  // Loaded here too (the server loads its own copy): a broken config is reported before anything starts.
  const config = loadConfig({ file: args.config, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  const keymap = buildKeymap(config.keys, config.source);
  startupMark('cockpit: config loaded');
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new FlowerError('bad-usage', 'the cockpit needs an interactive terminal (stdin and stdout must be a TTY)');
  }
  let backend: CockpitBackend;
  let initialError: string | null = null;
  let ui: ReturnType<typeof loadUi>;
  if (args.inProcess) {
    const [{ openSupervisor }, { LocalBackend }, { sizeHintFor }] = await Promise.all([
      import('../core/supervisor/open-supervisor.js'),
      import('../core/backend/local-backend.js'),
      import('../layout/size-hint.js'),
    ]);
    const supervisor = await openSupervisor({ repo, config, actor: 'operator', sizeHint: sizeHintFor(process.stdout.columns || 80, process.stdout.rows || 24) });
    backend = new LocalBackend(supervisor);
    ui = loadUi();
  } else {
    const loc = serverLocation(repo);
    const size = { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
    const connect = async () => (await connectOrStartServer(loc, 'tui', { config: args.config, size })).client;
    // Connecting (and, cold, the server's start in its own process) overlaps with loading the UI
    // here: the first frame waits for whichever is slower, not for both in turn. The connection
    // starts first so a cold server is spawned before this process gets busy compiling Ink.
    const client = connect();
    ui = loadUi();
    // Awaited below, in turn: a failure of either must not count as unhandled meanwhile.
    client.catch(() => {});
    ui.catch(() => {});
    const { RemoteBackend } = await import('../client/remote-backend.js');
    const connected = await client;
    startupMark('cockpit: connected');
    backend = await RemoteBackend.open(connected, { scrollback: config.ui.scrollback, reconnect: connect });
    startupMark('cockpit: backend open (snapshot in)');
  }
  // Other hosts' servers, over ssh, in the same grid; each connects in the background (hosts-backend.ts).
  if (Object.keys(config.hosts).length > 0) {
    const [{ HostsBackend }, { connectToHost }] = await Promise.all([import('../client/hosts-backend.js'), import('../client/host-client.js')]);
    const hosts = new HostsBackend(backend, config.hosts, { mainRoot: repo.mainRoot, scrollback: config.ui.scrollback, connect: (name, host) => connectToHost(name, host, repo.mainRoot, 'tui') });
    hosts.start();
    backend = hosts;
  }
  const { Tui, TERMINAL_RESTORE } = await ui;
  startupMark('cockpit: ui loaded');
  const tui = new Tui({
    backend,
    config,
    keymap,
    stdin: process.stdin,
    stdout: process.stdout,
    initialMessage: initialError ? { text: initialError, level: 'error' } : undefined,
  });

  // Last line of defence: in-process agents never outlive us, and the terminal is usable again.
  process.on('exit', () => backend.closeNow());
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
    backend.closeNow();
    process.stderr.write(`flower-tui: internal error: ${describeError(e)}${args.debug ? `\n${(e as Error)?.stack ?? ''}` : ' (run with --debug for details)'}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  tui.start();
  startupMark('cockpit: tui started');
  setImmediate(() => startupMark('cockpit: first turn after start'));
  await tui.exited;
  const running = backend.snapshot().agents.filter((a) => agentIsLive(a.state)).length;
  const defaultFarewell =
    tui.outcome === 'detached'
      ? `flower-tui: detached — ${running} agent${running === 1 ? '' : 's'} keep running. \`flower-tui\` re-attaches, \`flower-tui server stop\` stops them.`
      : null;
  const text = args.farewell ? args.farewell(tui.outcome, running) : defaultFarewell;
  if (text) process.stdout.write(text + '\n');
  return 0;
}

import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { completionArgs, withoutDefaultCommand } from './completion-words.js';
import { EXIT_CODES, FlowerError, isFlowerError, describeError } from '../shared/errors.js';
import { flowerVersion } from '../protocol/flower-version.js';
import { startupMark } from '../shared/startup-trace.js';
import { exitFlushed } from './exit-flushed.js';
import { cleanForTerminal } from '../shared/terminal-text.js';
import { briefOptions } from './commands/brief-yargs.js';
import { GATE_COMMAND, LANDED_COMMAND } from './commands/host-side-yargs.js';

// Every command's module is imported by its handler, never up front: the cockpit must not pay for the
// CLI commands, the CLI commands not for Ink, and `server run` (run-server.js) not for either.
// Startup time and base memory both depend on it; test/unit/module-graph.test.ts guards it.
const agentCommands = () => import('./commands/agent-commands.js');

/** Print a user's error as one line and exit (once stdout/stderr drained); a stack only with --debug. */
let failing: Promise<never> | null = null;
function fail(e: unknown, debug: boolean): Promise<never> {
  // yargs' fail handler and the catch below may both see the same error while stdout drains: say it once.
  if (failing) return failing;
  failing = report(e, debug);
  return failing;
}

function report(e: unknown, debug: boolean): Promise<never> {
  if (isFlowerError(e)) {
    process.stderr.write(`flower-tui: ${cleanForTerminal(e.message, { keepNewlines: true })}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return exitFlushed(EXIT_CODES[e.code] ?? 1);
  }
  process.stderr.write(`flower-tui: ${cleanForTerminal(describeError(e), { keepNewlines: true })}${debug ? `\n${(e as Error)?.stack ?? ''}` : ' (run with --debug for details)'}\n`);
  return exitFlushed(1);
}

startupMark('main: loaded');
const argv = completionArgs(hideBin(process.argv));
const debug = argv.includes('--debug');
/** Set while `--get-yargs-completions` is being answered. */
let completing: Promise<void> | null = null;
/** The commands that go through a server connection (commands/common.ts withClient), so take --host. */
const HOST_COMMANDS = new Set(['log', 'status', 'spawn', 'send', 'kill', 'respawn', 'refresh', 'wait', 'worktree', 'merge', 'brief', 'queue', 'ready', 'update']);
const json = (y: Argv) => y.option('json', { type: 'boolean', describe: 'machine-readable output' });

try {
  await yargs(argv)
    .scriptName('flower-tui')
    .usage(
      '$0 [--repo DIR] [--config FILE]\n\nThe cockpit for AI coding agents in git worktrees: every worktree in a pane, every agent live, MAIN read-only.\nAgents run in a per-repository server: closing the cockpit leaves them running; run it again to re-attach.',
    )
    .option('repo', { type: 'string', describe: 'repository (default: the one containing the current directory)' })
    .option('config', { type: 'string', describe: 'config file (default: flower.config.json in MAIN, then ~/.config/flower-tui/config.json)' })
    .option('debug', { type: 'boolean', describe: 'show stack traces on errors' })
    .option('host', { type: 'string', describe: 'the commands that talk to a server (status, spawn, send, kill, worktree, brief, log, …): that of this configured host (hosts.NAME), over ssh' })
    .command(
      '$0',
      'open the cockpit (starts the repository\'s server if none runs)',
      (y) => y.option('in-process', { type: 'boolean', describe: 'run agents inside the cockpit: they stop when it closes (no server)' }),
      async (a) => {
        const { openCockpit } = await import('./open-cockpit.js');
        process.exitCode = await openCockpit({ repo: a.repo, config: a.config, debug: a.debug, inProcess: a.inProcess });
      },
    )
    .command(
      'demo',
      'open the cockpit on a demo (a scratch repository with worktrees and demo agents): the running one, else a new one',
      (y) =>
        y
          .option('in-process', { type: 'boolean', describe: 'run agents inside the cockpit (no server; always a new demo)' })
          .option('new', { type: 'boolean', describe: 'a fresh demo even when one runs' })
          .option('clean', { type: 'boolean', describe: 'remove the scratch repositories of demos that no longer run, then exit' }),
      async (a) => {
        process.exitCode = await (await import('./commands/demo-command.js')).demoCommand(a);
      },
    )
    .command('status', 'worktrees and agents of the running server (exit 3 when none runs)', json, async (a) => (await agentCommands()).statusCommand(a))
    .command(
      'spawn <worktree> <profile>',
      'start an agent in a worktree',
      (y) =>
        json(y)
          .positional('worktree', { type: 'string', demandOption: true })
          .positional('profile', { type: 'string', demandOption: true })
          .option('name', { type: 'string', describe: 'agent name (default: the profile name)' })
          .option('prompt', { type: 'string', describe: 'text to send once the agent is ready' })
          .option('prompt-file', { type: 'string', describe: 'file whose contents to send once the agent is ready' }),
      async (a) => (await agentCommands()).spawnCommand({ ...a, worktree: a.worktree, profile: a.profile }),
    )
    .command(
      'send <agent> <text>',
      'type text into an agent once it is ready (multi-line: one bracketed paste), then Enter',
      (y) =>
        json(y)
          .positional('agent', { type: 'string', demandOption: true, describe: 'agent id: <worktree>/<name>' })
          .positional('text', { type: 'string', demandOption: true })
          .option('enter', { type: 'boolean', default: true, describe: 'press Enter after the text (--no-enter to only type it)' })
          .option('timeout', { type: 'number', default: 30, describe: 'seconds to wait for the agent to be ready' }),
      async (a) => (await agentCommands()).sendCommand({ ...a, agent: a.agent, text: a.text }),
    )
    .command(
      'log',
      'the trace: every action, who did it and how it ended (oldest first)',
      (y) =>
        json(y)
          .option('follow', { alias: 'f', type: 'boolean', describe: 'keep printing new entries' })
          .option('agent', { type: 'string', describe: 'only this agent (<worktree>/<name>)' })
          .option('worktree', { type: 'string', describe: 'only this worktree and its agents' })
          .option('action', { type: 'string', describe: 'only this action (spawn, kill, send, restore, …)' })
          .option('since', { type: 'string', describe: 'only entries since: 30m, 2h, 1d, or a date' })
          .option('limit', { alias: 'n', type: 'number', describe: 'only the last N entries' })
          .option('until-stdin-ends', { type: 'boolean', hidden: true, describe: 'with --follow: also end when stdin closes (what --host runs over ssh)' }),
      async (a) => (await import('./commands/log-command.js')).logCommand(a),
    )
    .command('worktree <action> [name]', 'lanes: add | rm | ls | setup (see flower-tui worktree --help)', (y) =>
      json(y)
        .positional('action', { choices: ['add', 'rm', 'ls', 'setup', 'removed', 'restore'] as const, demandOption: true, describe: 'add: create a lane; rm: remove one (its work is kept under refs/flower/removed/); ls: list; setup: retry a failed setup; removed: lanes removed so far; restore: bring one back (NAME or NAME@TIME)' })
        .positional('name', { type: 'string', describe: 'lane name (the branch is prefix + name)' })
        .option('lane', { choices: ['standing', 'ephemeral'] as const, describe: 'add: standing lanes persist; ephemeral ones are removed with their branch after the merge' })
        .option('base', { type: 'string', describe: 'add: branch from this ref (default: MAIN\'s HEAD); with --host, resolved here and pushed to the host\'s clone first' })
        .option('served', { type: 'boolean', describe: 'add: a served lane: .env overrides and its own port' })
        .option('code-only', { type: 'boolean', describe: 'add: a code-only lane: secrets emptied from copied .env files' })
        .option('agents', { type: 'string', describe: 'add: profiles to start, comma-separated (e.g. claude,shell)' })
        .option('prompt-file', { type: 'string', describe: 'add: send this file to the first agent once it is ready' })
        .option('force', { type: 'boolean', describe: 'rm: remove even with unmerged commits, uncommitted changes or stashes (kept under refs/flower/removed/, see worktree restore)' }),
      async (a) => {
        const { worktreeAddCommand, worktreeLsCommand, worktreeRmCommand, worktreeSetupCommand, worktreeRemovedCommand, worktreeRestoreCommand } = await import('./commands/worktree-commands.js');
        if (a.action === 'ls') return worktreeLsCommand(a);
        if (a.action === 'removed') return worktreeRemovedCommand(a);
        // `worktree add -- NAME`: yargs leaves what follows `--` among the plain words, after the command's.
        const name = a.name ?? a._.map(String).filter((w) => w !== 'worktree')[0];
        if (!name) throw new FlowerError('bad-usage', `worktree ${a.action} needs a NAME`);
        a.name = name;
        if (a.action === 'add') return worktreeAddCommand({ ...a, name: a.name, lane: a.lane, codeOnly: a.codeOnly });
        if (a.action === 'rm') return worktreeRmCommand({ ...a, name: a.name });
        if (a.action === 'restore') return worktreeRestoreCommand({ ...a, name: a.name });
        return worktreeSetupCommand({ ...a, name: a.name });
      },
    )
    .command(
      'merge <worktree>',
      'merge a worktree into MAIN safely: preview, gate, merge, health check, rollback',
      (y) =>
        json(y)
          .positional('worktree', { type: 'string', demandOption: true })
          .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation' })
          .option('commit', { type: 'string', describe: "commit the worktree's uncommitted changes first, with this message" }),
      async (a) => (await import('./commands/merge-command.js')).mergeCommand({ ...a, worktree: a.worktree }),
    )
    .command(GATE_COMMAND)
    .command(LANDED_COMMAND)
    .command(
      'ready [lane]',
      'mark a lane ready: it joins the merge queue (inside a lane\'s worktree, LANE defaults to that lane)',
      (y) => json(y).positional('lane', { type: 'string', describe: 'lane name (default: the lane of the current directory)' }),
      async (a) => (await import('./commands/queue-commands.js')).readyCommand({ ...a, lane: a.lane }),
    )
    .command(
      'queue [action] [lane]',
      'the merge queue: ls (default) | ready LANE | rm LANE | move LANE --to N | up LANE | down LANE | pause | resume',
      (y) =>
        json(y)
          .positional('action', { choices: ['ls', 'ready', 'rm', 'move', 'up', 'down', 'pause', 'resume'] as const, describe: 'ls: the queue in order, each lane\'s step; ready: as flower-tui ready LANE; rm: take a lane out; move/up/down: reorder; pause/resume: stop or restart the runner (the lane being merged finishes)' })
          .positional('lane', { type: 'string' })
          .option('to', { type: 'number', describe: 'move: the new position (1 is the head)' }),
      async (a) => (await import('./commands/queue-commands.js')).queueCommand({ ...a, action: a.action, lane: a.lane, to: a.to }),
    )
    .command(
      'update <lane>',
      'bring a lane up to date with MAIN in its own worktree (merge.update: rebase or merge); only a clean lane whose agents are idle',
      (y) => json(y).positional('lane', { type: 'string', demandOption: true }),
      async (a) => (await import('./commands/queue-commands.js')).updateCommand({ ...a, lane: a.lane }),
    )
    .command('brief <action> [args..]', 'briefs: add | ls | show | edit | note | close | block | dispatch | claim | done', (y) => briefOptions(y), async (a) =>
      (await import('./commands/brief-command.js')).briefCommand({ ...a, action: a.action, args: a.args?.map(String) }),
    )
    .command('doctor', 'check what flower-tui depends on (git, bubblewrap, user namespaces, inotify, tmux, agent CLIs, socket dir), one line each with the fix', json, async (a) => {
      process.exitCode = await (await import('./commands/doctor-command.js')).doctorCommand(a);
    })
    .command('mcp', "flower-tui's MCP server on stdio (briefs, status, spawn, send) for the agents it starts", (y) => y, async (a) =>
      (await import('./commands/mcp-command.js')).mcpCommand(a),
    )
    .command('refresh <agent>', 'recycle an agent whose context has rotted (its profile says how; waits until it is idle)', (y) => json(y).positional('agent', { type: 'string', demandOption: true }).option('cancel', { type: 'boolean', describe: 'drop a refresh that is waiting for the agent to be idle' }), async (a) =>
      (await agentCommands()).refreshCommand({ ...a, agent: a.agent }),
    )
    .command(
      'report <state>',
      'say what this agent is doing (run by the agent itself: it has FLOWER_AGENT): working | needs-you | idle | compacting',
      (y) =>
        json(y)
          .positional('state', { choices: ['working', 'needs-you', 'idle', 'compacting', 'starting'] as const, demandOption: true })
          .option('reason', { type: 'string', describe: 'why: the tool, the question, the last message' })
          .option('agent', { type: 'string', describe: 'agent id (default: $FLOWER_AGENT)' }),
      async (a) => (await import('./commands/report-commands.js')).reportCommand({ ...a, state: a.state }),
    )
    .command('hook <kind>', false, (y) => y.positional('kind', { choices: ['claude', 'codex'] as const, demandOption: true }), async (a) =>
      (await import('./commands/report-commands.js')).hookCommand({ ...a, kind: a.kind }),
    )
    .command(
      'wait <agent>',
      'wait until an agent is idle, needs you, or has exited (exit 0; 124 on timeout)',
      (y) =>
        json(y)
          .positional('agent', { type: 'string', demandOption: true })
          .option('for', { choices: ['idle', 'needs-you', 'exited', 'working'] as const, demandOption: true, describe: 'the state to wait for' })
          .option('timeout', { type: 'number', describe: 'give up after this many seconds (exit 124)' })
          .option('since-input', { type: 'boolean', describe: 'only a state entered after the last text sent to the agent counts (send, then wait)' }),
      async (a) => (await import('./commands/report-commands.js')).waitCommand({ ...a, agent: a.agent, for: a.for, sinceInput: a.sinceInput }),
    )
    .command('kill <agent>', 'kill an agent and everything it started', (y) => json(y).positional('agent', { type: 'string', demandOption: true }), async (a) => (await agentCommands()).killCommand({ ...a, agent: a.agent }))
    .command('respawn <agent>', 'restart an agent with the same profile, args and cwd', (y) => json(y).positional('agent', { type: 'string', demandOption: true }), async (a) =>
      (await agentCommands()).respawnCommand({ ...a, agent: a.agent }),
    )
    .command('config <action>', "this repository's config: init | edit | path | show | check", (y) =>
      json(y)
        .positional('action', {
          choices: ['init', 'edit', 'path', 'show', 'check'] as const,
          demandOption: true,
          describe: 'init: create <git common dir>/flower/config.json (outside MAIN\'s tree); edit: open it in $EDITOR; path: which file is used; show: it with defaults; check: validate it',
        })
        .option('force', { type: 'boolean', describe: 'init: replace an existing file' }),
      async (a) => {
        const c = await import('./commands/config-commands.js');
        const run = { init: c.configInitCommand, edit: c.configEditCommand, path: c.configPathCommand, show: c.configShowCommand, check: c.configCheckCommand }[a.action];
        await run(a);
      },
    )
    .command('server <action>', 'the repository\'s server: status | stop', (y) =>
      json(y)
        .positional('action', { choices: ['status', 'stop', 'run', 'bridge'] as const, demandOption: true, describe: 'status: is it running; stop: stop every agent and the server; bridge: join stdin/stdout to it (what another host runs over ssh)' })
        .option('size', { type: 'string', hidden: true, describe: 'run: the first cockpit\'s terminal size, COLSxROWS' })
        , async (a) => {
          if (a.action === 'status') await (await import('./commands/server-commands.js')).serverStatusCommand(a);
          else if (a.action === 'stop') await (await import('./commands/server-commands.js')).serverStopCommand(a);
          else if (a.action === 'bridge') await (await import('./commands/server-commands.js')).serverBridgeCommand(a);
          else await (await import('../server/run-server.js')).runServer({ repoDir: String(a.repo ?? process.cwd()), config: a.config as string | undefined, size: a.size });
        },
    )
    // `flower-tui completion` prints the script (bash, or zsh when $SHELL is zsh); completing also
    // offers the running server's lane names and agent ids (src/cli/completion.ts).
    .completion('completion', 'print a bash/zsh completion script (source it from your shell rc)', (current: string, argv: { _: unknown[]; repo?: unknown }, completionFilter: (cb?: (err: Error | null, defaults: string[] | undefined) => void) => void, done: (c: string[]) => void) => {
      let finished = () => {};
      completing = new Promise<void>((resolve) => (finished = resolve));
      const finish = (c: string[]) => {
        done(c);
        finished();
      };
      completionFilter((_err, found) => {
        const defaults = withoutDefaultCommand(found ?? []);
        const words = argv._.map(String).filter((w) => w !== ''); // the words typed so far (the program name is not among them)
        // Where a lane, agent or profile goes, only those (the server's, or none when none runs): not the options.
        void import('./completion.js')
          .then(({ liveCompletions }) => liveCompletions(words, current, typeof argv.repo === 'string' ? argv.repo : undefined))
          .then((live) => finish(live ?? defaults), () => finish(defaults));
      });
    })
    // --host reaches another host's server: only commands that talk to a server can honour it. Others
    // refuse it rather than quietly acting on this machine (log reads this repository's trace file).
    .middleware((a) => {
      if (a.host === undefined) return;
      const cmd = String(a._[0] ?? '');
      if (!HOST_COMMANDS.has(cmd)) throw new FlowerError('bad-usage', `--host is not supported by ${cmd ? `flower-tui ${cmd}` : 'the cockpit'} yet (it is by: ${[...HOST_COMMANDS].join(', ')})`);
    }, true)
    .demandCommand(0)
    .strict()
    .version(flowerVersion())
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((msg, err) => {
      if (err) return void fail(err, debug);
      // One line. `-rf` given as a name reads as options -r -f: say what happened, not "r, f".
      const dashed = argv.find((w) => /^-[A-Za-z]{2,}$/.test(w));
      const what = dashed && /^Unknown argument/.test(msg) ? `unknown option ${dashed} (names cannot start with "-")` : msg;
      process.stderr.write(`flower-tui: ${cleanForTerminal(what)} (see flower-tui --help)\n`);
      void exitFlushed(2);
    })
    .parseAsync();
} catch (e) {
  await fail(e, debug);
}
// Completion answers asynchronously (it asks the running server): print it before exiting.
if (completing) await completing;
// `server run` keeps serving; every other command is done: exit explicitly so a stray handle never hangs us.
// Only once stdout has drained: on a pipe, exiting at once cuts the output at 64 KiB.
if (!(argv[0] === 'server' && argv[1] === 'run')) await exitFlushed(Number(process.exitCode ?? 0));

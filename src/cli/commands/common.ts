import { cleanForTerminal } from '../../shared/terminal-text.js';
import { onHost, splitHostName } from '../../core/hosts/host-name.js';
import { FlowerError } from '../../shared/errors.js';
import { locateRepo } from '../../core/git/repo.js';
import type { FlowerClient } from '../../client/client.js';
import type { HostConfig } from '../../config/hosts-schema.js';
import { checkSameConfig, connectOrStartServer, connectToServer } from '../../client/server-process.js';
import { serverLocation, type ServerLocation } from '../../protocol/server-location.js';

export interface RepoArgs {
  repo?: string;
  config?: string;
  json?: boolean;
  /** A configured host (hosts.NAME): the command goes to its server, over ssh. */
  host?: string;
}

export async function locate(args: RepoArgs): Promise<ServerLocation> {
  return serverLocation(await locateRepo(args.repo ?? process.cwd()));
}

/** Run `fn` with a client, closing it afterwards. `start`: start the server when none runs. */
export async function withClient<T>(args: RepoArgs, start: boolean, fn: (c: FlowerClient, loc: ServerLocation) => Promise<T>): Promise<T> {
  const loc = await locate(args);
  let client: FlowerClient;
  if (args.host !== undefined) client = await hostClient(loc, args);
  else if (start) client = (await connectOrStartServer(loc, 'cli', { config: args.config })).client;
  else {
    client = await connectToServer(loc, 'cli');
    // --config is never silently dropped: it must be valid and the one the server runs with.
    if (args.config) await checkSameConfig(loc, client, args.config);
  }
  // The config on disk was refused by the running server: whatever this command does uses the old one.
  const problem = client.server.configProblem;
  if (problem) process.stderr.write(`flower-tui: warning: ${problem} — the server keeps using ${client.server.config ?? 'the built-in defaults'} until it is fixed\n`);
  try {
    return await fn(client, loc);
  } finally {
    client.close();
  }
}

/** The configured host `args.host`, or a one-line usage error naming the ones there are. */
export async function hostConfigOf(loc: ServerLocation, args: RepoArgs): Promise<HostConfig> {
  const { loadConfig } = await import('../../config/config.js');
  const cfg = loadConfig({ file: args.config, mainRoot: loc.repo.mainRoot, commonDir: loc.repo.commonDir });
  const name = args.host!;
  const host = Object.hasOwn(cfg.hosts, name) ? cfg.hosts[name] : undefined;
  if (!host) {
    const known = Object.keys(cfg.hosts);
    throw new FlowerError('bad-usage', `no host "${name}" in the config (${known.length ? `hosts: ${known.join(', ')}` : 'add it under "hosts": {"NAME": {"ssh": "user@box", "repo": "/path/of/the/clone"}}'})`);
  }
  return host;
}

/** The server of the configured host `args.host`, over ssh (the bridge starts it there when none runs). */
async function hostClient(loc: ServerLocation, args: RepoArgs): Promise<FlowerClient> {
  const { connectToHost } = await import('../../client/host-client.js');
  return connectToHost(args.host!, await hostConfigOf(loc, args), loc.repo.mainRoot, 'cli');
}

/**
 * A lane on a host merges into MAIN here, so `merge LANE --host box` (or `merge box:LANE`) goes to
 * this repository's server as `box:LANE`, never to the host's (issue 19: merging stays a MAIN operation).
 */
export function mainSideLane(args: RepoArgs, lane: string): { args: RepoArgs; lane: string } {
  if (args.host === undefined) return { args, lane };
  return { args: { ...args, host: undefined }, lane: splitHostName(lane) ? lane : onHost(args.host, lane) };
}

export function print(args: RepoArgs, human: string, json: unknown): void {
  // An answer from another host says which: `{"host": "box", …}`, in each item of a list.
  const withHost = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { host: args.host, ...v } : v);
  const said = args.host === undefined ? json : Array.isArray(json) ? json.map(withHost) : withHost(json);
  // Names, subjects and paths in human output are shown, never obeyed by the terminal.
  process.stdout.write((args.json ? JSON.stringify(said, null, 2) : cleanForTerminal(human, { keepNewlines: true })) + '\n');
}

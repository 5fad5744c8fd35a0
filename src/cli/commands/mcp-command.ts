import { serveMcpOnStdio } from '../../mcp/mcp-server.js';
import { withClient, type RepoArgs } from './common.js';
import { briefCaller } from './brief-command.js';

/**
 * `flower-tui mcp`: the MCP server on stdio. Each tool call is one request over a fresh connection
 * to the repository's server (started when none runs), so a restarted server is simply reached on
 * the next call. Nothing but MCP is written to stdout.
 */
export async function mcpCommand(args: RepoArgs): Promise<void> {
  const request = (cmd: unknown) => withClient(args, true, (c) => c.request(cmd as never));
  await serveMcpOnStdio(request, briefCaller());
}

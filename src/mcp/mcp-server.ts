import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { describeError } from '../shared/errors.js';
import { flowerVersion } from '../protocol/flower-version.js';
import { TOOLS } from './mcp-tools.js';

export type Requester = (cmd: never) => Promise<unknown>;

/**
 * `flower-tui mcp`: flower-tui's tools over MCP (stdio), for the agents flower-tui starts. Every tool
 * is a request to the repository's server, as the CLI makes it; a refused command is a tool error
 * (isError, its one-line message), never a crash of the MCP server.
 */
export function buildMcpServer(request: (cmd: unknown) => Promise<unknown>, caller: string | undefined): McpServer {
  const server = new McpServer({ name: 'flower-tui', version: flowerVersion() });
  for (const t of TOOLS) {
    server.registerTool(t.name, { description: t.description, inputSchema: t.input }, async (args: Record<string, unknown>) => {
      try {
        const out = await t.run(args ?? {}, request as never, caller);
        return { content: [{ type: 'text' as const, text: typeof out === 'string' ? out : JSON.stringify(out, null, 2) }] };
      } catch (e) {
        return { isError: true, content: [{ type: 'text' as const, text: describeError(e) }] };
      }
    });
  }
  return server;
}

export async function serveMcpOnStdio(request: (cmd: unknown) => Promise<unknown>, caller: string | undefined): Promise<void> {
  const server = buildMcpServer(request, caller);
  await server.connect(new StdioServerTransport());
  // Serve until the client closes stdin.
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
  });
  await server.close().catch(() => {});
}

import { fileURLToPath } from 'node:url';

/**
 * How an agent (or its hooks, or its MCP client) runs this very flower-tui: the same Node and the
 * same launcher, whatever PATH says. Two levels up from dist/<dir>/ and dist/bundle/ alike.
 */
export const FLOWER_LAUNCHER = fileURLToPath(new URL('../../bin/flower-tui.js', import.meta.url));

export function flowerCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [FLOWER_LAUNCHER] };
}

/** Claude Code's --mcp-config value offering flower-tui's MCP server as "flower" (tools mcp__flower__*). */
export function claudeMcpConfig(): string {
  const { command, args } = flowerCommand();
  return JSON.stringify({ mcpServers: { flower: { type: 'stdio', command, args: [...args, 'mcp'] } } });
}

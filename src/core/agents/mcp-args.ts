import type { Profile } from '../../config/schema.js';
import { claudeMcpConfig, flowerCommand } from '../self-command.js';

/**
 * The args that offer flower-tui's MCP server to an agent (`mcp.enabled`), without touching the
 * user's own MCP configuration: Claude Code takes an extra --mcp-config (added to the user's
 * servers), Codex takes -c overrides of mcp_servers.flower (TOML values) for this run only.
 */
export function mcpArgs(profile: Profile, enabled: boolean): string[] {
  if (!enabled) return [];
  const kind = profile.usage?.source;
  if (kind === 'claude') return ['--mcp-config', claudeMcpConfig()];
  if (kind === 'codex') {
    const { command, args } = flowerCommand();
    return ['-c', `mcp_servers.flower.command=${JSON.stringify(command)}`, '-c', `mcp_servers.flower.args=${JSON.stringify([...args, 'mcp'])}`];
  }
  return [];
}

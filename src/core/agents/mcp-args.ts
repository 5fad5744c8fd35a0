import type { Profile } from '../../config/schema.js';
import { claudeMcpConfig, flowerCommand } from '../self-command.js';

/**
 * The args that offer flower-tui's MCP server to an agent (`mcp.enabled`), without touching the
 * user's own MCP configuration: Claude Code takes an extra --mcp-config (added to the user's
 * servers), Codex takes -c overrides of mcp_servers.flower (TOML values) for this run only.
 */
export function mcpArgs(profile: Profile, enabled: boolean, agentId?: string): string[] {
  if (!enabled) return [];
  const kind = profile.usage?.source;
  if (kind === 'claude') return ['--mcp-config', claudeMcpConfig()];
  if (kind === 'codex') {
    const { command, args } = flowerCommand();
    return [
      '-c', `mcp_servers.flower.command=${JSON.stringify(command)}`,
      '-c', `mcp_servers.flower.args=${JSON.stringify([...args, 'mcp'])}`,
      // Codex asks before every MCP tool call (and refuses outright under approval "never"). These
      // are flower-tui's own tools, doing what the agent may do with the flower-tui CLI in its shell
      // anyway, so they are approved; the user's other MCP servers keep their own setting.
      '-c', 'mcp_servers.flower.default_tools_approval_mode="approve"',
      // Codex starts MCP servers with a short list of variables, not its own environment: the
      // caller's identity (who claims, who notes) has to be given to it.
      ...(agentId ? ['-c', `mcp_servers.flower.env.FLOWER_AGENT=${JSON.stringify(agentId)}`] : []),
    ];
  }
  return [];
}

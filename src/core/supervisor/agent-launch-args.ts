import { statSync } from 'node:fs';
import type { FlowerConfig } from '../../config/config.js';
import type { Profile } from '../../config/schema.js';
import { mcpArgs } from '../agents/mcp-args.js';
import { claudeSettings } from '../status/claude-hooks.js';
import { codexHookArgs } from '../status/codex-hooks.js';
import type { AgentInfo } from '../types.js';
import type { UsageMonitor } from '../usage/usage-monitor.js';

/** What an agent's start needs to know beyond its profile: the config, the server's hook socket, the session files. */
export interface LaunchHost {
  config(): FlowerConfig;
  hooks: { socket: string; command: string } | null;
  monitor: Pick<UsageMonitor, 'sessionFileFor'>;
}

/**
 * An agent's args after the profile's own: the user's, the session's, and for Claude Code a
 * SessionStart hook (passed with --settings) that tells us its session after /clear or a resume.
 */
export function launchArgs(host: LaunchHost, id: string, profile: Profile, userArgs: string[], session: string[]): string[] {
  const settings =
    profile.usage?.source === 'claude' || hooksOf(profile) === 'claude'
      ? claudeSettings({ sessionFile: profile.usage?.source === 'claude' && host.monitor.sessionFileFor(id) !== null, stateCommand: hookCommand(host, profile, 'claude') })
      : null;
  const codexHooks = hookCommand(host, profile, 'codex');
  return [...userArgs, ...session, ...(settings ? ['--settings', settings] : []), ...(codexHooks ? codexHookArgs(codexHooks) : []), ...mcpArgs(profile, host.config().mcp.enabled, id)];
}

/** The command an agent's hooks run to report its state (null: that profile has no such hooks, or no server). */
export function hookCommand(host: LaunchHost, profile: Profile, kind: 'claude' | 'codex'): string | null {
  return host.hooks && hooksOf(profile) === kind ? `${host.hooks.command} hook ${kind}` : null;
}

/** Variables an agent's hooks (and `flower-tui report`) use to reach us. */
export function hookEnv(host: LaunchHost, id: string): Record<string, string> {
  const sessionFile = host.monitor.sessionFileFor(id);
  return { ...(sessionFile ? { FLOWER_SESSION_FILE: sessionFile } : {}), ...(host.hooks ? { FLOWER_SOCKET: host.hooks.socket } : {}) };
}

/**
 * Claude Code has started its session (its SessionStart hook reported, through the server or by
 * writing the session file since this process started): its input box is ready for text.
 */
export function sessionStarted(info: AgentInfo, sessionFile: string | null): boolean {
  if (info.status.hookAt !== null && info.status.state !== 'starting') return true;
  if (!sessionFile) return false;
  try {
    return statSync(sessionFile).mtimeMs >= info.startedAt - 1000;
  } catch {
    return false;
  }
}

/** Which hooks report a profile's state: its own choice, else its usage source's (Claude, Codex). */
function hooksOf(profile: Profile): 'claude' | 'codex' | 'none' {
  if (profile.hooks) return profile.hooks;
  const src = profile.usage?.source;
  return src === 'claude' || src === 'codex' ? src : 'none';
}

/**
 * The `--settings` JSON flower-tui passes Claude Code: its SessionStart hook that records the current
 * session (usage), and one command for every event that says what the agent is doing. Settings given
 * with --settings are merged with the user's own settings files, hooks included: the user's hooks
 * still run, and nothing of theirs is written to.
 */

/** Every event the state model listens to (see hook-events.ts for what each means). */
export const CLAUDE_STATE_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'Stop',
  'StopFailure',
  'PreCompact',
  'PostCompact',
  'SessionEnd',
] as const;

/** How long Claude waits for our hook (seconds): a server that does not answer must not stall a turn. */
const HOOK_TIMEOUT_S = 5;

export function claudeSettings(opts: { sessionFile: boolean; stateCommand: string | null }): string | null {
  const hooks: Record<string, { hooks: { type: 'command'; command: string; timeout?: number }[] }[]> = {};
  if (opts.sessionFile) hooks.SessionStart = [{ hooks: [{ type: 'command', command: 'cat > "$FLOWER_SESSION_FILE"' }] }];
  if (opts.stateCommand) {
    for (const event of CLAUDE_STATE_EVENTS) {
      (hooks[event] ??= []).push({ hooks: [{ type: 'command', command: opts.stateCommand, timeout: HOOK_TIMEOUT_S }] });
    }
  }
  return Object.keys(hooks).length ? JSON.stringify({ hooks }) : null;
}

/** A shell word for a path (single quotes, with embedded quotes escaped). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

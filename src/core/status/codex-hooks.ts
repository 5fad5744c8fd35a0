import { createHash } from 'node:crypto';

/**
 * The `-c` overrides that give a Codex CLI flower-tui's state hooks for this run only: the user's
 * config.toml, hooks.json and their trust records are neither read nor written, and their own hooks
 * still run (each config layer's hooks all run).
 *
 * Codex runs a hook only once it is trusted: trust is recorded per hook as the sha256 of its
 * normalized definition (`hooks.state."<key>".trusted_hash`), and the session-flags layer (`-c`) may
 * carry that record. So flower-tui trusts exactly the hooks it adds, by their hash, instead of
 * `--dangerously-bypass-hook-trust`, which would also run every unreviewed hook of the repository
 * (a `.codex/hooks.json` an agent wrote in a lane). How Codex 0.169 computes both (checked against
 * the real CLI in test/integration/real-codex-hooks.test.ts: a wrong hash shows its "hooks need
 * review" dialog and no hook runs):
 * - key: `<layer file>:<event in snake_case>:<group index>:<handler index>`; the `-c` layer's file
 *   is `/<session-flags>/config.toml`;
 * - hash: `sha256:` + hex sha256 of the compact JSON, keys sorted, of
 *   `{event_name, hooks: [{type: "command", command, timeout, async: false}]}` (the matcher group
 *   with its one normalized handler; absent optional fields are left out).
 */

/** The events the state model listens to (Codex has no Notification and no SessionEnd for us). */
export const CODEX_STATE_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop', 'PreCompact', 'PostCompact'] as const;

/** Seconds Codex waits for our hook: a server that does not answer must not stall a turn. */
const HOOK_TIMEOUT_S = 5;

const SESSION_FLAGS_FILE = '/<session-flags>/config.toml';

export function codexHookArgs(stateCommand: string): string[] {
  const args: string[] = [];
  const trust: string[] = [];
  for (const event of CODEX_STATE_EVENTS) {
    args.push('-c', `hooks.${event}=[{hooks=[{type="command",command=${tomlString(stateCommand)},timeout=${HOOK_TIMEOUT_S}}]}]`);
    trust.push(`${tomlString(codexHookKey(event))}={trusted_hash=${tomlString(codexHookHash(event, stateCommand, HOOK_TIMEOUT_S))}}`);
  }
  args.push('-c', `hooks.state={${trust.join(',')}}`);
  return args;
}

export function codexHookKey(event: string): string {
  return `${SESSION_FLAGS_FILE}:${snakeCase(event)}:0:0`;
}

export function codexHookHash(event: string, command: string, timeoutS: number): string {
  const identity = { event_name: snakeCase(event), hooks: [{ type: 'command', command, timeout: timeoutS, async: false }] };
  return `sha256:${createHash('sha256').update(JSON.stringify(sortKeys(identity))).digest('hex')}`;
}

function snakeCase(event: string): string {
  return event.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** A TOML basic string: JSON's escapes (\" \\ \n \uXXXX) are TOML's too. */
function tomlString(s: string): string {
  return JSON.stringify(s);
}

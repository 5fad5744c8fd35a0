import path from 'node:path';
import type { ReportState } from '../types.js';

/**
 * What a hook event says about an agent's state. Pure: the input is the JSON the agent passes its
 * hooks on stdin (Claude Code and Codex use the same field names: hook_event_name, tool_name,
 * tool_input, notification_type, last_assistant_message, trigger, source).
 */
export interface HookReport {
  state: ReportState;
  reason: string | null;
  /** Keep the current reason when the state is unchanged (a late, vaguer repeat of what we know). */
  keepReason?: boolean;
}

type Input = Record<string, unknown>;

export function reportForHook(input: Input, agent: 'claude' | 'codex' = 'claude'): HookReport | null {
  const event = str(input.hook_event_name);
  switch (event) {
    case 'SessionStart':
      // After a compaction the session goes on where it was: PostCompact says where.
      if (input.source === 'compact') return null;
      // Codex (0.169) starts its session with the first prompt, just before UserPromptSubmit: an
      // "idle" then would be a transition that never happened.
      if (agent === 'codex') return null;
      return { state: 'idle', reason: input.source === 'resume' ? 'resumed' : input.source === 'clear' ? 'cleared' : 'session started' };
    case 'UserPromptSubmit':
      return { state: 'working', reason: null };
    case 'PreToolUse': {
      const tool = str(input.tool_name);
      // Asking the operator is done through a tool: it needs them as much as a permission prompt.
      if (tool === 'AskUserQuestion') return { state: 'needs-you', reason: `question: ${questionOf(input.tool_input) ?? 'a question'}` };
      if (tool === 'ExitPlanMode') return { state: 'needs-you', reason: 'plan approval' };
      return { state: 'working', reason: toolLabel(input) };
    }
    case 'PermissionRequest':
      return { state: 'needs-you', reason: `permission: ${toolLabel(input) ?? 'a tool'}` };
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return { state: 'working', reason: null };
    case 'Notification': {
      const kind = str(input.notification_type);
      // permission_prompt comes seconds after PermissionRequest (which said which tool): keep that.
      if (kind === 'permission_prompt') return { state: 'needs-you', reason: str(input.message) ?? 'permission', keepReason: true };
      if (kind === 'idle_prompt') return { state: 'idle', reason: 'waiting for input', keepReason: true };
      if (kind === 'elicitation_dialog') return { state: 'needs-you', reason: `question: ${str(input.message) ?? 'a question'}` };
      return null;
    }
    case 'Stop':
      return { state: 'idle', reason: str(input.last_assistant_message) ?? 'turn done' };
    case 'StopFailure':
      return { state: 'idle', reason: `turn failed: ${str(input.error) ?? str(input.error_type) ?? str(input.last_assistant_message) ?? 'error'}` };
    case 'PreCompact':
      return { state: 'compacting', reason: str(input.trigger) ?? null };
    case 'PostCompact':
      // A manual /compact ends at the prompt; an automatic one happens mid-turn, which goes on.
      return input.trigger === 'auto' ? { state: 'working', reason: 'compacted' } : { state: 'idle', reason: 'compacted' };
    case 'SessionEnd':
      // /clear ends one session and starts the next (SessionStart follows); an exit is the process's to say.
      return null;
    default:
      return null;
  }
}

/** `Bash(npm test)`, `Edit(src/a.ts)`: the tool and what it acts on, as the agents show it. */
export function toolLabel(input: Input): string | null {
  const tool = str(input.tool_name);
  if (!tool) return null;
  const arg = toolArg(tool, input.tool_input, str(input.cwd));
  return arg ? `${tool}(${arg.length > 80 ? `${arg.slice(0, 79)}…` : arg})` : tool;
}

function toolArg(tool: string, ti: unknown, cwd: string | null): string | null {
  if (!ti || typeof ti !== 'object') return typeof ti === 'string' ? ti : null;
  const o = ti as Input;
  const file = str(o.file_path) ?? str(o.notebook_path) ?? str(o.path);
  const pick = str(o.command) ?? (Array.isArray(o.command) ? o.command.join(' ') : null) ?? (file && cwd ? relative(cwd, file) : file) ?? str(o.pattern) ?? str(o.url) ?? str(o.query) ?? str(o.description) ?? str(o.prompt);
  if (pick) return pick.split('\n')[0]!;
  const first = Object.values(o).find((v) => typeof v === 'string');
  return typeof first === 'string' ? first.split('\n')[0]! : tool === 'Bash' ? null : null;
}

function questionOf(ti: unknown): string | null {
  if (!ti || typeof ti !== 'object') return null;
  const qs = (ti as Input).questions;
  if (Array.isArray(qs) && qs[0] && typeof qs[0] === 'object') return str((qs[0] as Input).question);
  return str((ti as Input).question);
}

function relative(cwd: string, file: string): string {
  const r = path.relative(cwd, file);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : file;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

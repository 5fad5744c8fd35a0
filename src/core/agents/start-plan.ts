import { statSync } from 'node:fs';
import type { AgentInfo } from '../types.js';
import { resolveCommand } from './command-path.js';
import { PROCESS_TAG_VAR } from './process-tag.js';
import { wrapCommand } from '../sandbox/bwrap-args.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';

/** What one start of an agent needs decided before a pty is opened. */
export interface StartInput {
  cwd: string;
  command: string;
  profileName: string;
  /** The real (unredacted) args after the command. */
  argv: string[];
  /** The agent's environment before the sandbox's filter. */
  env: Record<string, string>;
  /** Variables the profile sets explicitly (a code-only lane's filter keeps those). */
  profileEnv: Record<string, string>;
  sandbox?: () => SandboxDecision;
  /** This start's process tag (process-tag.ts). */
  tag: string;
}

export type StartPlan =
  /** Nothing runs: `note` goes in the pane (the header is one truncated line), `patch` into the info. */
  | { kind: 'failed'; reason: string; note: string; patch: Partial<AgentInfo> }
  | { kind: 'run'; file: string; args: string[]; env: Record<string, string>; sandbox: Pick<AgentInfo, 'sandbox' | 'sandboxReason'> };

/**
 * Decides what to run, or why nothing can: the worktree, then the sandbox (decided at every start:
 * lanes come and go between respawns), then the command on the PATH the agent will really get.
 */
export function planStart(input: StartInput): StartPlan {
  if (!isDirectory(input.cwd)) {
    const reason = `no such directory: ${input.cwd}`;
    return failed(reason, 'The worktree was removed; remove this agent or recreate the worktree.', { pid: null });
  }
  const decision = input.sandbox?.() ?? null;
  if (decision?.kind === 'refused') {
    // sandbox.mode "required" and no working bubblewrap: nothing runs unprotected.
    return failed(decision.reason, 'Or set sandbox.mode to "auto" in your flower-tui config to run unsandboxed.', { pid: null, sandbox: 'none', sandboxReason: decision.reason });
  }
  // The tag goes in after the sandbox's filter: kill and the watchdog find the processes by it.
  const env: Record<string, string> = { ...(decision ? decision.env(input.env, input.profileEnv) : input.env), [PROCESS_TAG_VAR]: input.tag };
  const file = resolveCommand(input.command, env.PATH, input.cwd);
  if (!file) {
    return failed(`command not found: ${input.command}`, `Install it, or fix profile "${input.profileName}" in your flower-tui config.`, { pid: null });
  }
  // The sandbox wraps the program itself (bwrap … -- file args): an argument vector, no shell.
  const run = decision?.kind === 'bwrap' ? wrapCommand(decision.bwrap, decision.args, file, input.argv) : { file, args: input.argv };
  const sandbox = { sandbox: decision?.kind === 'bwrap' ? ('bwrap' as const) : ('none' as const), sandboxReason: decision?.kind === 'none' ? decision.reason : null };
  return { kind: 'run', file: run.file, args: run.args, env, sandbox };
}

/** The reason in red, then what to do about it, dimmed. */
function failed(reason: string, fix: string, patch: Partial<AgentInfo>): StartPlan {
  return { kind: 'failed', reason, note: `\x1b[31m${reason}\x1b[0m\r\n\x1b[2m${fix}\x1b[0m\r\n`, patch };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

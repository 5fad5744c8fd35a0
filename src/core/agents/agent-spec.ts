import type { Profile } from '../../config/schema.js';
import type { AgentInfo } from '../types.js';
import { initialStatus } from '../status/agent-status.js';
import { redactArgs } from '../store/redact.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';

export interface AgentSpawnSpec {
  id: string;
  name: string;
  worktree: string;
  profileName: string;
  profile: Profile;
  /** Extra args after the profile's own (session args included). */
  extraArgs: string[];
  sessionId: string | null;
  /** Variables of flower-tui's own for this agent (e.g. where its session hook writes). */
  extraEnv?: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
  scrollback: number;
  killGraceMs: number;
  baseEnv: NodeJS.ProcessEnv;
  /**
   * How this process is sandboxed, decided at every start (lanes come and go between respawns).
   * None: unsandboxed (flower-tui's own tests of the pty layer).
   */
  sandbox?: () => SandboxDecision;
  /**
   * Its hooks report its state (Claude Code's SessionStart says when its input is ready): text sent
   * to it waits for that report, not only for a quiet screen (a TUI can pause before drawing its input).
   */
  readyWhen?: (info: AgentInfo) => boolean;
}

/** A new agent's info, before its first start. `size` is the emulator's, which has the last word on sizes. */
export function initialAgentInfo(spec: AgentSpawnSpec, argv: string[], size: { cols: number; rows: number }): AgentInfo {
  return {
    id: spec.id,
    name: spec.name,
    worktree: spec.worktree,
    profile: spec.profileName,
    command: spec.profile.command,
    args: redactArgs(argv),
    cwd: spec.cwd,
    state: { kind: 'starting' },
    pid: null,
    // The emulator has the last word on sizes (xterm's minimum is 2 columns): pty and info follow it.
    cols: size.cols,
    rows: size.rows,
    startedAt: Date.now(),
    respawns: 0,
    sessionId: spec.sessionId,
    usage: { source: spec.profile.usage?.source ?? 'none', tokens: null, window: null, percent: null, level: 'unknown', compacted: false, file: null, updatedAt: null },
    activity: 'unknown',
    status: initialStatus(),
    refreshCount: 0,
    sandbox: 'none',
    sandboxReason: null,
  };
}

import type { TraceActor } from '../store/trace.js';
import type { SupervisorCommand } from '../types.js';
import type { CommandContext } from './context.js';

export type CommandName = SupervisorCommand['type'];
/** The command of that name, with its fields. */
export type CommandOf<N extends CommandName> = Extract<SupervisorCommand, { type: N }>;

export interface TraceOptions {
  sentText?: 'hash' | 'preview';
}

/** What dispatch writes to the trace for a command: one line after it ran, with its outcome. */
export interface TraceSpec<N extends CommandName, R> {
  /** The action name of the trace line. */
  action: string;
  /** The line's target when the result names none (default: the agent, else MAIN's root). */
  target?(cmd: CommandOf<N>): string;
  /** What the line says about the command: enough to know what happened, never the secrets. */
  details?(cmd: CommandOf<N>, result: NoInfer<R> | undefined, opts: TraceOptions): Record<string, unknown> | undefined;
}

/**
 * One command, declared in its own file (as tmux's cmd_entry): its name, how an operator's agent name
 * in it is resolved, what dispatch writes to the trace, its handler, and so its result type.
 */
export interface CommandEntry<N extends CommandName, R, W = R> {
  readonly name: N;
  /** Names an agent as an operator types it (CLI, MCP): resolved to its id before the handler runs. */
  readonly targetsAgent?: boolean;
  /**
   * What dispatch writes to the trace: a TraceSpec; 'own' when the handler traces its own steps
   * (lanes, merges, briefs, refresh); absent when it is not an action (keystrokes, resizes, focus).
   */
  readonly trace?: TraceSpec<N, R> | 'own';
  run(ctx: CommandContext, cmd: CommandOf<N>, actor: TraceActor): Promise<R>;
  /** What a client receives over the socket, when it is not the result itself. */
  reply?(result: NoInfer<R>, cmd: CommandOf<N>): W;
}

/** Declares a command, its types inferred from the handler. */
export function defineCommand<N extends CommandName, R, W = R>(entry: CommandEntry<N, R, W>): CommandEntry<N, R, W> {
  return entry;
}

import type { AgentInfo, SupervisorCommand } from '../types.js';
import type { CommandEntry, CommandName, TraceOptions } from './command.js';
import { COMMANDS } from './table.js';

/** What a trace line says about a command (its entry's `trace.details`): enough to know what happened, never the secrets. */
export function traceDetails(cmd: SupervisorCommand, result?: AgentInfo, opts: TraceOptions = {}): Record<string, unknown> | undefined {
  const trace = (COMMANDS[cmd.type] as CommandEntry<CommandName, unknown>).trace;
  return trace && trace !== 'own' ? trace.details?.(cmd as never, result, opts) : undefined;
}

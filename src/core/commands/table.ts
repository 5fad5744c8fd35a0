import { describeError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import type { SupervisorCommand } from '../types.js';
import { addWorktree } from './add-worktree.js';
import { brief } from './brief.js';
import { cancelMerge } from './cancel-merge.js';
import { checkRemoval } from './check-removal.js';
import type { CommandEntry, CommandName } from './command.js';
import type { CommandContext } from './context.js';
import { diff } from './diff.js';
import { dismissMerge } from './dismiss-merge.js';
import { gateLane } from './gate-lane.js';
import { input } from './input.js';
import { kill } from './kill.js';
import { mergePreview } from './merge-preview.js';
import { merge } from './merge.js';
import { note } from './note.js';
import { queue } from './queue.js';
import { refreshWorktrees } from './refresh-worktrees.js';
import { refresh } from './refresh.js';
import { removeWorktree } from './remove-worktree.js';
import { remove } from './remove.js';
import { removedLanes } from './removed-lanes.js';
import { report } from './report.js';
import { resize } from './resize.js';
import { respawn } from './respawn.js';
import { restoreLane } from './restore-lane.js';
import { restore } from './restore.js';
import { retrySetup } from './retry-setup.js';
import { saveFocus } from './save-focus.js';
import { send } from './send.js';
import { spawn } from './spawn.js';
import { updateLane } from './update-lane.js';
import { wait } from './wait.js';

/**
 * Every command of the vocabulary, by name: a new command is one file in this folder plus one line
 * here (and its shape in SupervisorCommand, core/types.ts). `satisfies` makes a missing or misnamed
 * entry a compile error, and keeps each entry's own result type for ResultOf.
 */
export const COMMANDS = {
  spawn,
  kill,
  respawn,
  remove,
  input,
  send,
  resize,
  refreshWorktrees,
  restore,
  note,
  saveFocus,
  refresh,
  report,
  wait,
  addWorktree,
  removeWorktree,
  checkRemoval,
  retrySetup,
  removedLanes,
  restoreLane,
  mergePreview,
  merge,
  cancelMerge,
  dismissMerge,
  diff,
  gateLane,
  queue,
  updateLane,
  brief,
} satisfies { [N in CommandName]: CommandEntry<N, any, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- the entries' own types are kept

type Entry<C extends SupervisorCommand> = (typeof COMMANDS)[C['type']];

/** What a command resolves to in-process (the supervisor, the local backend). */
export type ResultOf<C extends SupervisorCommand> = C extends SupervisorCommand ? Awaited<ReturnType<Entry<C>['run']>> : never;

/** What a client receives for a command over the socket: the entry's reply, else its result (nothing is null). */
export type ReplyOf<C extends SupervisorCommand> = C extends SupervisorCommand
  ? Entry<C> extends { reply(...a: never[]): infer W }
    ? W
    : [ResultOf<C>] extends [void]
      ? null
      : ResultOf<C>
  : never;

/**
 * The one path every command takes (CLI, cockpit, MCP, the supervisor's own parts): resolve the agent
 * an operator named, run the entry's handler, and write the entry's trace line with its outcome.
 * User mistakes throw FlowerError with a one-line message.
 */
export async function dispatchCommand<C extends SupervisorCommand>(ctx: CommandContext, cmd: C, actor: TraceActor): Promise<ResultOf<C>> {
  // Typed per name above; here one entry stands for all of them.
  const entry = COMMANDS[cmd.type] as unknown as CommandEntry<CommandName, ResultOf<C>>;
  // Agents are named as tmux names targets: exact id, unique name, unique id prefix.
  if (entry.targetsAgent && 'agent' in cmd && typeof cmd.agent === 'string') cmd = { ...cmd, agent: ctx.agents.resolve(cmd.agent) };
  const trace = entry.trace;
  if (!trace || trace === 'own') return entry.run(ctx, cmd as never, actor);
  const target = trace.target?.(cmd as never) ?? ('agent' in cmd && typeof cmd.agent === 'string' ? cmd.agent : ctx.repo.mainRoot);
  const opts = { sentText: ctx.config().trace.sentText };
  try {
    const result = await entry.run(ctx, cmd as never, actor);
    const r: unknown = result;
    const named = typeof r === 'object' && r !== null && 'id' in r ? String(r.id) : target;
    ctx.record({ actor, action: trace.action, target: named, details: trace.details?.(cmd as never, result ?? undefined, opts), outcome: 'ok' });
    return result;
  } catch (e) {
    ctx.record({ actor, action: trace.action, target, details: trace.details?.(cmd as never, undefined, opts), outcome: 'error', error: describeError(e) });
    throw e;
  }
}

/** A command's result as a client receives it (the entry's reply; nothing is null). */
export function replyOf<C extends SupervisorCommand>(cmd: C, result: ResultOf<C>): ReplyOf<C> {
  const entry = COMMANDS[cmd.type] as unknown as CommandEntry<CommandName, ResultOf<C>, ReplyOf<C>>;
  return entry.reply ? entry.reply(result, cmd as never) : ((result ?? null) as ReplyOf<C>);
}

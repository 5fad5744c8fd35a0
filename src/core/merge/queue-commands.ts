import { FlowerError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import type { SupervisorCommand } from '../types.js';
import type { MergeQueueRunner } from './merge-queue-runner.js';
import type { QueueState } from './merge-queue.js';

export type QueueCommand = Extract<SupervisorCommand, { type: 'queue' }>;

/** Who marked a lane ready, as the queue shows it. */
function byOf(actor: TraceActor, by: string | undefined): string {
  return by ?? (actor === 'operator' ? 'operator' : actor === 'agent' ? 'agent' : actor);
}

/** The queue's commands (CLI, cockpit, MCP alike): each answers with the queue as it now is. */
export async function executeQueueCommand(runner: MergeQueueRunner, cmd: QueueCommand, actor: TraceActor): Promise<{ queue: QueueState; lane?: string; position?: number }> {
  switch (cmd.op) {
    case 'list':
      return { queue: runner.state };
    case 'ready': {
      const r = await runner.ready(cmd.lane, byOf(actor, cmd.by), actor);
      return { queue: runner.state, ...r };
    }
    case 'rm':
      runner.remove(cmd.lane, actor);
      return { queue: runner.state, lane: cmd.lane };
    case 'move': {
      const position = runner.move(cmd.lane, cmd.to, actor);
      return { queue: runner.state, lane: cmd.lane, position };
    }
    case 'pause':
      if (runner.state.paused) throw new FlowerError('bad-usage', 'the queue is already paused');
      runner.pause(actor);
      return { queue: runner.state };
    case 'resume':
      if (!runner.state.paused) throw new FlowerError('bad-usage', 'the queue is not paused');
      runner.resume(actor);
      return { queue: runner.state };
  }
}

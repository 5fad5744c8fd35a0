import { executeQueueCommand } from '../merge/queue-commands.js';
import { defineCommand } from './command.js';

/** The merge queue: ready, list, rm, move, pause, resume (the runner traces each change). */
export const queue = defineCommand({
  name: 'queue',
  trace: 'own',
  run: (ctx, cmd, actor) => executeQueueCommand(ctx.services.mergeQueue.runner, cmd, actor),
});

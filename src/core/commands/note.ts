import { defineCommand } from './command.js';

/** An operator action that happens in a cockpit (attach, detach): a trace line of its own. */
export const note = defineCommand({
  name: 'note',
  trace: 'own',
  run: async (ctx, cmd, actor): Promise<void> => {
    ctx.record({ actor, action: cmd.action, target: cmd.agent, outcome: 'ok' });
  },
});

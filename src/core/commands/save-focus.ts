import { defineCommand } from './command.js';

/** Where the cockpit's focus was, kept in state for the next cockpit. */
export const saveFocus = defineCommand({
  name: 'saveFocus',
  run: async (ctx, cmd): Promise<void> => {
    ctx.store?.update((s) => (s.ui = { focusLane: cmd.lane, focusAgent: cmd.agent }));
  },
});

import { defineCommand } from './command.js';

/** The gate of a lane of this host, run for MAIN's server on another machine (issue 19); it traces the run here. */
export const gateLane = defineCommand({
  name: 'gateLane',
  trace: 'own',
  run: (ctx, cmd, actor) => ctx.services.merges.gateForRemoteMain(cmd, actor),
});

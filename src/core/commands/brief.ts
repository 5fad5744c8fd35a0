import { describeError } from '../../shared/errors.js';
import type { BriefResult } from '../briefs/brief-ops.js';
import { defineCommand } from './command.js';

/** Every brief operation (see briefs/brief-ops.ts); the desk traces each step with target #N. */
export const brief = defineCommand({
  name: 'brief',
  trace: 'own',
  run: async (ctx, cmd, actor): Promise<BriefResult> => {
    const { briefs, mergeQueue } = ctx.services;
    const r = await briefs.execute(cmd);
    // A brief done with a lane: that lane is ready, it joins the merge queue.
    const lane = cmd.op === 'done' && ctx.config().briefs.queueOnDone ? (r as { brief?: { lane?: string | null } } | undefined)?.brief?.lane : null;
    if (lane && !mergeQueue.runner.state.entries.some((e) => e.lane === lane)) {
      try {
        await mergeQueue.runner.ready(lane, `brief #${(r as { brief: { id: number } }).brief.id}`, actor);
      } catch (e) {
        ctx.notify(`brief done, but ${lane} could not join the merge queue: ${describeError(e)}`, 'error');
      }
    }
    return r;
  },
});

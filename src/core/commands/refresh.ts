import { FlowerError } from '../../shared/errors.js';
import type { AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** Recycle an agent whose context has rotted (never mid-turn), or cancel a queued refresh; the refresher traces it. */
export const refresh = defineCommand({
  name: 'refresh',
  targetsAgent: true,
  trace: 'own',
  run: async (ctx, cmd, actor): Promise<AgentInfo> => {
    const { refresher } = ctx.services;
    if (cmd.cancel) {
      if (!refresher.cancel(cmd.agent, actor)) throw new FlowerError('bad-usage', `no refresh of ${cmd.agent} is queued`);
      ctx.notify(`refresh of ${cmd.agent} cancelled`);
      ctx.changed();
      return ctx.agents.require(cmd.agent).info;
    }
    const r = await refresher.refresh(cmd.agent, 'manual', actor);
    if (r.outcome === 'error') throw new FlowerError('spawn-failed', `refresh of ${cmd.agent} failed: ${r.detail}`);
    if (r.outcome === 'skipped') throw new FlowerError('bad-usage', `${cmd.agent} was not refreshed: ${r.detail}`);
    ctx.notify(r.outcome === 'queued' ? r.detail : `${cmd.agent} refreshed: ${r.detail}`);
    ctx.changed();
    const info = ctx.agents.require(cmd.agent).info;
    return r.outcome === 'queued' ? { ...info, refreshQueued: true } : info;
  },
});

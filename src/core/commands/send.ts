import { createHash } from 'node:crypto';
import type { AgentInfo } from '../types.js';
import { defineCommand } from './command.js';

/** Type text once the agent is ready (multi-line as one bracketed paste), then Enter unless told not to. */
export const send = defineCommand({
  name: 'send',
  targetsAgent: true,
  trace: {
    action: 'send',
    // What an operator types to an agent may be a password: by default only its size and a hash
    // (enough to tell two sends apart or match one to a file); a redacted beginning if configured.
    details: (cmd, _result, opts) => ({
      chars: cmd.text.length,
      lines: cmd.text.split('\n').length,
      sha256: createHash('sha256').update(cmd.text).digest('hex'),
      ...(opts.sentText === 'preview' ? { preview: cmd.text.slice(0, 80) } : {}),
      enter: cmd.enter,
    }),
  },
  run: async (ctx, cmd): Promise<AgentInfo> => {
    const a = ctx.agents.requireWritable(cmd.agent);
    await a.sendText(cmd.text, { enter: cmd.enter, timeoutMs: cmd.timeoutMs });
    return a.info;
  },
  // A client is told it arrived, and at which agent (the name it gave may have been a prefix).
  reply: (info: AgentInfo | undefined, cmd): { delivered: true; agent: string } => ({ delivered: true, agent: info ? info.id : cmd.agent }),
});

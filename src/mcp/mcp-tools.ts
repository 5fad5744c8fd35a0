import { z } from 'zod';
import type { BriefOp } from '../core/briefs/brief-ops.js';
import type { SupervisorCommand } from '../core/types.js';

/**
 * flower-tui's MCP tools: each is a command of the supervisor's vocabulary, sent over the same
 * client as the CLI's. `request` is the one path to the server; the caller is the agent named by
 * FLOWER_AGENT in the MCP server's environment (the agent started it).
 */
export interface ToolDef {
  name: string;
  description: string;
  input: z.ZodRawShape;
  run(args: Record<string, unknown>, request: (cmd: SupervisorCommand | { type: 'status' }) => Promise<unknown>, caller: string | undefined): Promise<unknown>;
}

const id = z.number().int().positive().optional().describe('the brief number (default: your current brief)');
const brief = (op: BriefOp, caller: string | undefined): SupervisorCommand => ({ type: 'brief', by: caller, ...op });

export const TOOLS: ToolDef[] = [
  {
    name: 'recall_brief',
    description: 'The dispatch packet of your current brief (or of the brief given): its id, title, spec, lane and how to report back.',
    input: { id },
    run: async (a, request, caller) => ((await request(brief({ op: 'packet', id: a.id as number | undefined }, caller))) as { packet: string }).packet,
  },
  {
    name: 'claim_brief',
    description: 'Claim a brief dispatched to you: say you have picked it up. Do this before starting the work.',
    input: { id },
    run: async (a, request, caller) => request(brief({ op: 'claim', id: a.id as number | undefined }, caller)),
  },
  {
    name: 'note_brief',
    description: 'Add a note for the operator to a brief (progress, a decision, a question).',
    input: { id: z.number().int().positive().describe('the brief number'), text: z.string().min(1).describe('the note') },
    run: async (a, request, caller) => request(brief({ op: 'note', id: a.id as number, text: a.text as string }, caller)),
  },
  {
    name: 'complete_brief',
    description: 'Report a brief done (committed in your lane): it then waits for the merge into MAIN.',
    input: { id, summary: z.string().optional().describe('what was done, in a line or two') },
    run: async (a, request, caller) => request(brief({ op: 'done', id: a.id as number | undefined, summary: a.summary as string | undefined }, caller)),
  },
  {
    name: 'fail_brief',
    description: 'Report that a brief cannot be done as asked (say why): the operator decides what next.',
    input: { id, reason: z.string().describe('why it cannot be done') },
    run: async (a, request, caller) => request(brief({ op: 'fail', id: a.id as number | undefined, reason: a.reason as string }, caller)),
  },
  {
    name: 'list_briefs',
    description: 'The briefs of this repository with their status, lane and agent.',
    input: { status: z.string().optional().describe('only this status: planned, dispatched, unclaimed, claimed, ready, merged, closed, blocked, failed') },
    run: async (a, request, caller) => request(brief({ op: 'list', status: a.status as never }, caller)),
  },
  {
    name: 'mark_ready',
    description: 'Mark your lane (or the lane given) ready to merge: it joins the merge queue, which updates it onto the latest MAIN, gates and merges it when your turn ends. Commit your work first.',
    input: { lane: z.string().min(1).optional().describe('the lane (default: yours)') },
    run: async (a, request, caller) => {
      const lane = (a.lane as string | undefined) ?? caller?.split('/')[0];
      if (!lane) throw new Error('which lane? (no FLOWER_AGENT to take it from)');
      return request({ type: 'queue', op: 'ready', lane, ...(caller ? { by: caller } : {}) });
    },
  },
  {
    name: 'merge_queue',
    description: 'The merge queue in order (each lane\'s step) and the lanes recently taken out of it, with why (a conflicting update says which files).',
    input: {},
    run: async (_a, request) => request({ type: 'queue', op: 'list' }),
  },
  {
    name: 'status',
    description: "The repository's worktrees (lanes) and agents with their state, and MAIN's status.",
    input: {},
    run: async (_a, request) => {
      const r = (await request({ type: 'status' })) as { snapshot: { worktrees: unknown[]; agents: { id: string; profile: string; state: unknown; activity: unknown }[]; main: unknown } };
      const s = r.snapshot;
      return { worktrees: s.worktrees, agents: s.agents.map((x) => ({ id: x.id, profile: x.profile, state: x.state, activity: x.activity })), main: s.main };
    },
  },
  {
    name: 'spawn',
    description: 'Start an agent of a profile in a lane.',
    input: { worktree: z.string().min(1), profile: z.string().min(1), name: z.string().optional() },
    run: async (a, request) => request({ type: 'spawn', worktree: a.worktree as string, profile: a.profile as string, name: a.name as string | undefined }),
  },
  {
    name: 'send',
    description: "Type text into an agent once it is ready (then Enter), e.g. to hand a worker its next step.",
    input: { agent: z.string().min(1), text: z.string().min(1) },
    run: async (a, request) => {
      await request({ type: 'send', agent: a.agent as string, text: a.text as string, enter: true });
      return { delivered: true, agent: a.agent };
    },
  },
  {
    name: 'wait',
    description: 'Wait until an agent is idle (its turn ended), needs the operator, is working, or has exited; returns its state. Use it after send to hand a worker its next step when it is done.',
    input: {
      agent: z.string().min(1),
      for: z.enum(['idle', 'needs-you', 'exited', 'working']),
      timeout: z.number().positive().max(3600).optional().describe('seconds (default 600)'),
    },
    run: async (a, request) => {
      const info = (await request({ type: 'wait', agent: a.agent as string, for: a.for as never, timeoutMs: ((a.timeout as number | undefined) ?? 600) * 1000 })) as { id: string; status?: unknown; state: unknown };
      return { agent: info.id, state: info.state, status: info.status };
    },
  },
];

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { FlowerError } from '../../shared/errors.js';
import { stepLabel, type QueueState } from '../../core/merge/merge-queue.js';
import type { Snapshot } from '../../core/types.js';
import type { ServerInfo } from '../../protocol/messages.js';
import { mainSideLane, print, withClient, type RepoArgs } from './common.js';

/** The queue as text: one line per lane in order, the head's step, then lanes recently taken out. */
export function formatQueue(q: QueueState, now = Date.now()): string {
  const lines: string[] = [];
  lines.push(q.paused ? `merge queue: paused${q.pausedReason ? ` (${q.pausedReason})` : ''} — flower-tui queue resume` : 'merge queue:');
  if (!q.entries.length) lines.push('  (empty — mark a lane ready with flower-tui ready LANE, or M in the cockpit)');
  q.entries.forEach((e, i) => {
    const step = stepLabel(e, now);
    lines.push(`  ${i + 1}. ${e.lane}${step ? `  ${step}` : '  queued'}${e.detail ? `  — ${e.detail}` : ''}  (ready by ${e.by})`);
  });
  const out = q.out.slice(-5).reverse();
  if (out.length) {
    lines.push('recently:');
    for (const o of out) lines.push(`  ${o.outcome === 'merged' ? '✓' : '✗'} ${o.lane} ${o.outcome}: ${o.reason}`);
  }
  return lines.join('\n');
}

/** The lane whose worktree holds `dir` (the deepest one), or null (MAIN, or outside the repository). */
export function laneOfDir(snapshot: Snapshot, dir: string): string | null {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return null;
  }
  const within = snapshot.worktrees
    .filter((w) => real === w.path || real.startsWith(w.path + path.sep))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return within && !within.isMain ? within.name : null;
}

/** `flower-tui ready [LANE]`: without LANE, the lane of the current directory (an agent inside its lane). */
export async function readyCommand(given: RepoArgs & { lane?: string }): Promise<void> {
  // A lane on a host joins MAIN's queue here, as box:LANE (issue 19).
  const args = given.host !== undefined && given.lane ? { ...given, ...mainSideLane(given, given.lane).args, lane: mainSideLane(given, given.lane).lane } : given;
  // From inside a lane, the repository is the one of the current directory.
  await withClient(args, true, async (c) => {
    let lane = args.lane;
    if (!lane) {
      const { snapshot } = (await c.request({ type: 'status' })) as { snapshot: Snapshot; server: ServerInfo };
      lane = laneOfDir(snapshot, process.cwd()) ?? undefined;
      if (!lane) throw new FlowerError('bad-usage', 'not inside a lane\'s worktree: name the lane (flower-tui ready LANE)');
    }
    const by = process.env.FLOWER_AGENT || undefined;
    const r = await c.request({ type: 'queue', op: 'ready', lane, ...(by ? { by } : {}) });
    print(args, `${r.lane} is ready: position ${r.position} in the merge queue${r.queue.paused ? ' (the queue is paused)' : ''}`, r);
  });
}

export async function queueCommand(given: RepoArgs & { action?: string; lane?: string; to?: number }): Promise<void> {
  const action = given.action ?? 'ls';
  if (action === 'ready') return readyCommand(given);
  // MAIN's queue is this repository's: --host names the host of the lane (box:LANE), not another queue.
  const args = given.host !== undefined && given.lane ? { ...given, ...mainSideLane(given, given.lane).args, lane: mainSideLane(given, given.lane).lane } : given;
  const needLane = (): string => {
    if (!args.lane) throw new FlowerError('bad-usage', `queue ${action} needs a LANE`);
    return args.lane;
  };
  // The queue lives in the server: asking for it starts one (which resumes a queue left by a stopped one).
  await withClient(args, true, async (c) => {
    const req = (() => {
      switch (action) {
        case 'ls':
          return { type: 'queue', op: 'list' } as const;
        case 'rm':
          return { type: 'queue', op: 'rm', lane: needLane() } as const;
        case 'move':
          if (args.to === undefined) throw new FlowerError('bad-usage', 'queue move LANE needs --to N (1 is the head), or use queue up|down LANE');
          return { type: 'queue', op: 'move', lane: needLane(), to: args.to } as const;
        case 'up':
        case 'down':
          return { type: 'queue', op: 'move', lane: needLane(), to: action } as const;
        case 'pause':
        case 'resume':
          return { type: 'queue', op: action } as const;
        default:
          throw new FlowerError('bad-usage', `unknown queue action "${action}" (ls, rm, move, up, down, pause, resume)`);
      }
    })();
    const r = await c.request(req);
    const head =
      action === 'ls' ? '' : action === 'rm' ? `${r.lane} taken out of the queue\n` : action === 'pause' ? 'queue paused\n' : action === 'resume' ? 'queue resumed\n' : `${r.lane} is now at position ${r.position}\n`;
    print(args, head + formatQueue(r.queue), r);
  });
}

export async function updateCommand(args: RepoArgs & { lane: string }): Promise<void> {
  await withClient(args, true, async (c) => {
    const r = await c.request({ type: 'updateLane', worktree: args.lane });
    print(args, r.message, r);
  });
}

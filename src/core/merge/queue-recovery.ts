import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { describeError } from '../../shared/errors.js';
import { acquireMergeLock } from './merge-lock.js';
import { gitStatus, headSha, trackedChanges } from './merge-git.js';
import { abortUpdate } from './lane-update.js';
import { runCheck } from './run-check.js';
import * as Q from './merge-queue.js';

/**
 * A server that died while the queue ran left its head in some step. At the next start the head is
 * re-validated against what git now says, so the queue resumes or stops cleanly, and MAIN is never
 * left half-merged:
 * - waiting, update, gate: MAIN was not touched yet; a half-done update in the lane is aborted (the
 *   lane back on its own commits) and the lane starts over (update again, gate again).
 * - merge, health, rollback: a merge left in progress in MAIN is aborted and MAIN reset to the
 *   recorded pre-merge commit. If the merge had completed, health has not confirmed it: the health
 *   check runs now, and a failure rolls back to the recorded commit, as the pipeline does.
 * - MAIN somewhere the queue did not put it: the queue pauses and says so.
 */
export interface RecoveryContext {
  mainRoot: string;
  stateDir: string;
  config: FlowerConfig;
  laneDir(lane: string): string | null;
  sandbox?(worktree: string, cwd: string): SandboxDecision;
  /** Our own move of MAIN's HEAD (the rollback): not the head-moved alarm. */
  movingMain(on: boolean): void;
}

export interface Recovery {
  queue: Q.QueueState;
  /** What was found and done, one line each (trace, notice). */
  lines: string[];
  /** The head's fate: "resumed" (starts over), "landed", "out", "paused". */
  head: { lane: string; was: Q.QueueStep; now: 'resumed' | 'landed' | 'out' | 'paused' } | null;
}

async function mergeInProgress(mainRoot: string): Promise<boolean> {
  for (const f of ['MERGE_HEAD', 'SQUASH_MSG']) {
    const p = (await gitStatus(mainRoot, ['rev-parse', '--git-path', f])).stdout.trim();
    if (p && existsSync(path.resolve(mainRoot, p))) return true;
  }
  return (await gitStatus(mainRoot, ['diff', '--name-only', '--diff-filter=U'])).stdout.trim() !== '';
}

export async function recoverQueue(q0: Q.QueueState, ctx: RecoveryContext, now = new Date()): Promise<Recovery> {
  const head = q0.entries[0];
  if (!head || head.step === 'queued') return { queue: q0, lines: [], head: null };
  const lines: string[] = [];
  let q = q0;
  const lane = head.lane;
  const was = head.step;
  const requeue = (why: string): Recovery => {
    lines.push(`${lane} was in ${was} when the server stopped: ${why}; it starts over`);
    return { queue: Q.setStep(q, lane, 'queued', now, { detail: null }), lines, head: { lane, was, now: 'resumed' } };
  };

  if (was === 'waiting' || was === 'update' || was === 'gate') {
    const dir = ctx.laneDir(lane);
    if (dir) {
      const aborted = await abortUpdate(dir).catch(() => null);
      if (aborted) lines.push(`${lane}: its half-done ${aborted} was aborted (the lane is back on its own commits)`);
    }
    return requeue('MAIN was not touched');
  }

  // merge, health, rollback: MAIN may hold the merge.
  const mainAt = head.mainAt;
  let release: (() => Promise<void>) | null = null;
  try {
    release = await acquireMergeLock(ctx.stateDir);
  } catch (e) {
    lines.push(`${lane} was in ${was}: ${describeError(e)} — the queue is paused until that merge ends`);
    return { queue: Q.pause(Q.setStep(q, lane, 'queued', now), 'a merge of another process holds the lock'), lines, head: { lane, was, now: 'paused' } };
  }
  ctx.movingMain(true);
  try {
    if (!mainAt) return requeue('no pre-merge commit was recorded');
    if (await mergeInProgress(ctx.mainRoot)) {
      await gitStatus(ctx.mainRoot, ['merge', '--abort']);
      await gitStatus(ctx.mainRoot, ['reset', '--merge', mainAt]);
      lines.push(`MAIN had ${lane}'s merge in progress: aborted, MAIN back at ${mainAt.slice(0, 7)}`);
    }
    const nowHead = await headSha(ctx.mainRoot);
    if (nowHead === mainAt) return requeue(`MAIN is at its pre-merge commit ${mainAt.slice(0, 7)}`);
    // Did the merge complete? MAIN's HEAD is the tested commit (fast-forward) or a commit on top of mainAt.
    const parent = (await gitStatus(ctx.mainRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^1'])).stdout.trim();
    const ours = nowHead === head.tested || parent === mainAt || (head.tested !== null && (await gitStatus(ctx.mainRoot, ['merge-base', '--is-ancestor', mainAt, nowHead])).code === 0 && (await gitStatus(ctx.mainRoot, ['merge-base', '--is-ancestor', nowHead, head.tested])).code === 0);
    if (!ours) {
      lines.push(`${lane} was in ${was}, and MAIN is now at ${nowHead.slice(0, 7)}, not where the merge left it: check MAIN, then flower-tui queue resume`);
      return { queue: Q.pause(Q.setStep(q, lane, 'queued', now), `MAIN moved during ${lane}'s interrupted merge`), lines, head: { lane, was, now: 'paused' } };
    }
    const health = ctx.config.merge.health;
    if (!health) {
      lines.push(`${lane} had been merged (MAIN ${mainAt.slice(0, 7)} → ${nowHead.slice(0, 7)}); no health check is configured`);
      return { queue: Q.finish(q, lane, 'merged', `merged ${lane}: ${mainAt.slice(0, 7)} → ${nowHead.slice(0, 7)} (finished after a server restart)`, now), lines, head: { lane, was, now: 'landed' } };
    }
    const h = await runCheck(health, { cwd: ctx.mainRoot, sandbox: ctx.sandbox?.('MAIN', ctx.mainRoot), timeoutMs: ctx.config.merge.healthTimeoutMs });
    if (h.ok) {
      lines.push(`${lane} had been merged; its health check ran again after the restart and passed`);
      return { queue: Q.finish(q, lane, 'merged', `merged ${lane}: ${mainAt.slice(0, 7)} → ${nowHead.slice(0, 7)} (health confirmed after a server restart)`, now), lines, head: { lane, was, now: 'landed' } };
    }
    if ((await trackedChanges(ctx.mainRoot)).length) {
      lines.push(`${lane} had been merged and health fails, but MAIN has uncommitted changes: not rolled back — MAIN is at ${nowHead.slice(0, 7)}, the merge came from ${mainAt.slice(0, 7)}`);
      q = Q.finish(q, lane, 'health-failed', `health failed after a server restart; MAIN not rolled back (uncommitted changes in MAIN): reset it to ${mainAt.slice(0, 7)} by hand`, now);
      return { queue: Q.pause(q, 'MAIN needs a look after an interrupted merge'), lines, head: { lane, was, now: 'paused' } };
    }
    const r = await gitStatus(ctx.mainRoot, ['reset', '--hard', mainAt]);
    if (r.code !== 0) {
      lines.push(`rollback of ${lane} failed: ${r.stderr.trim()}`);
      return { queue: Q.pause(Q.finish(q, lane, 'health-failed', `health failed and the rollback failed: reset MAIN to ${mainAt.slice(0, 7)} by hand`, now), 'rollback failed'), lines, head: { lane, was, now: 'paused' } };
    }
    lines.push(`${lane} had been merged; health failed when it ran again after the restart: rolled back to ${mainAt.slice(0, 7)}`);
    return { queue: Q.finish(q, lane, 'health-failed', `health failed (exit ${h.code}) after a server restart, rolled back to ${mainAt.slice(0, 7)}`, now), lines, head: { lane, was, now: 'out' } };
  } finally {
    ctx.movingMain(false);
    await release?.();
  }
}

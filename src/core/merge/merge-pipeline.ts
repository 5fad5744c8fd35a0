import { rmSync } from 'node:fs';
import path from 'node:path';
import { FlowerError, describeError } from '../../shared/errors.js';
import { acquireMergeLock } from './merge-lock.js';
import { allChanges, gitStatus, headSha, revParse, trackedChanges } from './merge-git.js';
import { previewMerge, type MergePreview } from './merge-preview.js';
import type { SandboxDecision } from '../sandbox/sandbox-plan.js';
import { runCheck, type CheckResult } from './run-check.js';
import { reapplyRescue, rescueChanges, type Rescue } from './rescue-changes.js';
import { explainingLine } from './explaining-line.js';

/** How the pipeline reaches a lane on another host: fetch its commit here, run the gate there. */
export interface RemoteGate {
  host: string;
  /** Bring the lane's tip into `worktree.branch` here; the lane's uncommitted changes on its host. */
  fetch(): Promise<{ dirty: string[]; line: string }>;
  /** MAIN's gate, in the lane on its host, on `tested` only; null check: not run (the lane moved or is dirty there). */
  gate(tested: string): Promise<{ check: CheckResult | null; headAfter: string | null; dirtyAfter: string[] }>;
}

export type MergeStep = 'preconditions' | 'baseline' | 'gate' | 'merge' | 'health' | 'rollback' | 'done';

export interface MergeProgress {
  step: MergeStep;
  status: 'running' | 'ok' | 'failed' | 'skipped';
  /** A line of output (gate/health), or what the step did. */
  line?: string;
}

export type MergeOutcome = 'merged' | 'conflict' | 'gate-failed' | 'health-failed' | 'refused' | 'locked' | 'cancelled';

export interface MergeResult {
  outcome: MergeOutcome;
  /** The one line the CLI prints and exits with. */
  message: string;
  worktree: string;
  preMerge: string | null;
  postMerge: string | null;
  conflicts: string[];
  preview: MergePreview | null;
  /** Edits found in MAIN at rollback time: the ref they were saved under, and whether they were re-applied. */
  rescued?: { ref: string; paths: string[]; reapplied: boolean };
}

export interface MergeSettings {
  strategy: 'ff-only' | 'no-ff' | 'squash';
  gate: string | null;
  gateTimeoutMs: number;
  health: string | null;
  healthTimeoutMs: number;
  baseline: boolean;
  flagged: { pattern: string; message: string }[];
}

/** git's reason for a failure in one line: its error lines and what they list, without the noise. */
function gitWhy(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^(Aborting|Merge with strategy \S+ failed\.)$/.test(l));
  return (lines.join(' ') || 'git failed without a word').slice(0, 300);
}

/** A failed squash leaves .git/SQUASH_MSG, which `reset --hard` keeps: the next commit in MAIN would pick it up. */
async function dropSquashMessage(mainRoot: string): Promise<void> {
  const p = (await gitStatus(mainRoot, ['rev-parse', '--git-path', 'SQUASH_MSG'])).stdout.trim();
  if (p) rmSync(path.resolve(mainRoot, p), { force: true });
}

/**
 * Bringing a worktree's branch into MAIN without ever leaving MAIN broken:
 * preconditions → gate (in the worktree) → merge (in MAIN, of the exact commit the gate tested) →
 * health (in MAIN) → rollback to the recorded pre-merge commit on failure. A conflict aborts the
 * merge and leaves MAIN exactly as it was. One merge at a time, across processes.
 */
export async function runMerge(opts: {
  mainRoot: string;
  mainBranch: string | null;
  stateDir: string;
  worktree: { name: string; path: string; branch: string | null };
  settings: MergeSettings;
  onProgress: (p: MergeProgress) => void;
  signal?: AbortSignal;
  /** Commit the worktree's changes with this message first (the operator chose to, in the dialog). */
  commitMessage?: string;
  /** How the gate (worktree name, cwd) and the health check ("MAIN", MAIN's root) are sandboxed. */
  sandbox?: (worktree: string, cwd: string) => SandboxDecision;
  /** A lane on another host (merge/remote-lane.ts): `worktree.branch` is the ref its commit is fetched to here. */
  remote?: RemoteGate;
}): Promise<MergeResult> {
  const { mainRoot, settings, worktree } = opts;
  const progress = opts.onProgress;
  const base = { worktree: worktree.name, preMerge: null as string | null, postMerge: null as string | null, conflicts: [] as string[], preview: null as MergePreview | null };
  let release: (() => Promise<void>) | null = null;
  try {
    release = await acquireMergeLock(opts.stateDir);
  } catch (e) {
    return { ...base, outcome: 'locked', message: describeError(e) };
  }
  try {
    // 1. Preconditions.
    progress({ step: 'preconditions', status: 'running', line: opts.remote ? `${worktree.name}: asking ${opts.remote.host} for the lane and fetching its commit` : undefined });
    let remoteDirty: string[] | undefined;
    if (opts.remote) {
      try {
        const f = await opts.remote.fetch();
        remoteDirty = f.dirty;
        progress({ step: 'preconditions', status: 'running', line: f.line });
      } catch (e) {
        progress({ step: 'preconditions', status: 'failed', line: describeError(e) });
        return { ...base, outcome: 'refused', message: `${describeError(e)} — MAIN untouched` };
      }
    }
    if (opts.commitMessage && opts.remote) {
      progress({ step: 'preconditions', status: 'failed', line: 'commit on the host' });
      return { ...base, outcome: 'refused', message: `${worktree.name}: commit its changes on ${opts.remote.host}, in the lane, then merge` };
    }
    if (opts.commitMessage && (await allChanges(worktree.path)).length) {
      await gitStatus(worktree.path, ['add', '-A']);
      const c = await gitStatus(worktree.path, ['commit', '-m', opts.commitMessage]);
      progress({ step: 'preconditions', status: 'running', line: c.code === 0 ? `committed the worktree's changes: ${opts.commitMessage}` : `commit failed: ${c.stderr.trim()}` });
    }
    const preview = await previewMerge({ mainRoot, mainBranch: opts.mainBranch, worktree, strategy: settings.strategy, flagged: settings.flagged, dirtyWorktree: remoteDirty });
    base.preview = preview;
    const refuse = (message: string): MergeResult => {
      progress({ step: 'preconditions', status: 'failed', line: message });
      return { ...base, outcome: 'refused', message };
    };
    if (preview.dirtyMain.length) return refuse(`MAIN has uncommitted changes (${preview.dirtyMain.map((l) => l.slice(3)).slice(0, 5).join(', ')}): someone edited production directly — resolve that first`);
    if (preview.dirtyWorktree.length) return refuse(`${worktree.name} has uncommitted changes${opts.remote ? ` on ${opts.remote.host}` : ''} (${preview.dirtyWorktree.map((l) => l.slice(3)).slice(0, 5).join(', ')}): commit them first`);
    if (preview.commits.length === 0) return refuse(`${worktree.name} has nothing to merge: no commits ahead of MAIN`);
    if (settings.strategy === 'ff-only' && !preview.ffPossible) return refuse(`MAIN moved since ${worktree.name} forked: a fast-forward is impossible (rebase the lane, or use no-ff)`);
    if (preview.conflicts && preview.conflicts.length) {
      progress({ step: 'preconditions', status: 'failed', line: `conflicts predicted: ${preview.conflicts.join(', ')}` });
      return { ...base, outcome: 'conflict', conflicts: preview.conflicts, message: `conflict: ${preview.conflicts.join(', ')} (merge MAIN into the lane and resolve there)` };
    }
    const tested = preview.branchSha;
    progress({ step: 'preconditions', status: 'ok', line: `${preview.commits.length} commit(s), ${preview.files.length} file(s)` });

    // 2. Baseline: is MAIN healthy before we touch it?
    let baselineFailing = false;
    if (settings.baseline && settings.health) {
      progress({ step: 'baseline', status: 'running' });
      const b = await runCheck(settings.health, { cwd: mainRoot, sandbox: opts.sandbox?.('MAIN', mainRoot), timeoutMs: settings.healthTimeoutMs, onLine: (line) => progress({ step: 'baseline', status: 'running', line }) });
      baselineFailing = !b.ok;
      progress({ step: 'baseline', status: b.ok ? 'ok' : 'failed', line: b.ok ? 'MAIN healthy before the merge' : 'MAIN was already failing its health check: a failing check after the merge will not roll back' });
    }

    // 3. Gate, in the worktree.
    if (settings.gate) {
      progress({ step: 'gate', status: 'running', line: `$ ${settings.gate}${opts.remote ? `  (on ${opts.remote.host}, in ${worktree.name}, on ${tested.slice(0, 12)})` : ''}` });
      let g: CheckResult;
      let after: { sha: string | null; changes: string[] } | null = null;
      if (opts.remote) {
        // The gate runs on the host; its output comes back with its result (its last lines).
        let r: Awaited<ReturnType<RemoteGate['gate']>>;
        try {
          r = await opts.remote.gate(tested);
        } catch (e) {
          if (opts.signal?.aborted) {
            progress({ step: 'gate', status: 'failed', line: 'cancelled' });
            return { ...base, outcome: 'cancelled', message: 'cancelled before the merge: MAIN untouched' };
          }
          progress({ step: 'gate', status: 'failed', line: describeError(e) });
          return { ...base, outcome: 'refused', message: `${describeError(e)} — MAIN untouched` };
        }
        if (!r.check) {
          progress({ step: 'gate', status: 'failed', line: `${worktree.name} changed on ${opts.remote.host} since it was fetched` });
          return { ...base, outcome: 'refused', message: `${worktree.name} changed on ${opts.remote.host} since it was fetched (${r.headAfter !== tested ? 'new commits' : 'uncommitted changes'}): run the merge again — MAIN untouched` };
        }
        for (const line of r.check.tail.slice(-20)) progress({ step: 'gate', status: 'running', line });
        g = r.check;
        after = { sha: r.headAfter, changes: r.dirtyAfter };
      } else g = await runCheck(settings.gate, { cwd: worktree.path, sandbox: opts.sandbox?.(worktree.name, worktree.path), timeoutMs: settings.gateTimeoutMs, signal: opts.signal, onLine: (line) => progress({ step: 'gate', status: 'running', line }) });
      if (opts.signal?.aborted) {
        progress({ step: 'gate', status: 'failed', line: 'cancelled' });
        return { ...base, outcome: 'cancelled', message: 'cancelled before the merge: MAIN untouched' };
      }
      if (!g.ok) {
        const why = g.timedOut ? `timed out after ${Math.round(settings.gateTimeoutMs / 1000)} s` : `exit ${g.code}`;
        progress({ step: 'gate', status: 'failed', line: why });
        const line = explainingLine(g.tail);
        return { ...base, outcome: 'gate-failed', message: `gate failed${opts.remote ? ` on ${opts.remote.host}` : ''} (${why}): MAIN untouched${line ? ` — ${line}` : ''}` };
      }
      // An agent may have kept working during the gate: what passed must be exactly what we merge.
      const nowSha = after ? after.sha : await revParse(mainRoot, worktree.branch!);
      const changes = after ? after.changes : await allChanges(worktree.path);
      if (nowSha !== tested || changes.length) {
        progress({ step: 'gate', status: 'failed', line: 'the worktree changed while the gate ran' });
        return { ...base, outcome: 'refused', message: `${worktree.name} changed while the gate ran${opts.remote ? ` on ${opts.remote.host}` : ''} (${nowSha !== tested ? 'new commits' : 'uncommitted changes'}): run the merge again` };
      }
      progress({ step: 'gate', status: 'ok', line: `passed in ${Math.round(g.durationMs / 100) / 10} s${opts.remote ? ` on ${opts.remote.host}` : ''}` });
    } else progress({ step: 'gate', status: 'skipped', line: 'no gate configured (merge.gate)' });

    if (opts.signal?.aborted) return { ...base, outcome: 'cancelled', message: 'cancelled before the merge: MAIN untouched' };

    // 4. Merge, in MAIN's worktree (git will not update a branch checked out elsewhere).
    if ((await trackedChanges(mainRoot)).length) return refuse('MAIN changed while the gate ran: merge refused, MAIN untouched');
    const pre = await headSha(mainRoot);
    base.preMerge = pre;
    progress({ step: 'merge', status: 'running', line: `${settings.strategy} of ${tested.slice(0, 12)} into ${preview.mainBranch} at ${pre.slice(0, 12)}` });
    const message = `Merge ${worktree.name} (${preview.commits.length} commit${preview.commits.length === 1 ? '' : 's'}) via flower-tui`;
    const args =
      settings.strategy === 'ff-only'
        ? ['merge', '--ff-only', tested]
        : settings.strategy === 'no-ff'
          ? ['merge', '--no-ff', '--no-edit', '-m', message, tested]
          : ['merge', '--squash', tested];
    const m = await gitStatus(mainRoot, args);
    if (m.code !== 0) {
      const conflicted = (await gitStatus(mainRoot, ['diff', '--name-only', '--diff-filter=U'])).stdout.split('\n').filter(Boolean);
      // Back to exactly the pre-merge state: abort, and make sure HEAD and index are where they were.
      await gitStatus(mainRoot, ['merge', '--abort']);
      await gitStatus(mainRoot, ['reset', '--merge', pre]);
      if (settings.strategy === 'squash') await dropSquashMessage(mainRoot);
      const why = gitWhy(m.stderr || m.stdout);
      progress({ step: 'merge', status: 'failed', line: conflicted.length ? `conflict: ${conflicted.join(', ')}` : why });
      if (!conflicted.length) return { ...base, outcome: 'refused', message: `merge failed: ${why} — MAIN untouched` };
      return { ...base, outcome: 'conflict', conflicts: conflicted, message: `conflict: ${conflicted.join(', ')} — MAIN untouched` };
    }
    if (settings.strategy === 'squash') {
      const c = await gitStatus(mainRoot, ['commit', '--no-verify', '-m', `${message}\n\n${preview.commits.map((l) => `* ${l}`).join('\n')}`]);
      if (c.code !== 0) {
        await gitStatus(mainRoot, ['reset', '--hard', pre]);
        await dropSquashMessage(mainRoot);
        const why = gitWhy(c.stderr || c.stdout);
        progress({ step: 'merge', status: 'failed', line: why });
        return { ...base, outcome: 'refused', message: `squash commit failed: ${why} — MAIN untouched` };
      }
    }
    const post = await headSha(mainRoot);
    base.postMerge = post;
    progress({ step: 'merge', status: 'ok', line: `MAIN ${pre.slice(0, 7)} → ${post.slice(0, 7)}` });

    let healthStillFailing = false;
    // 5. Health, in MAIN; failure rolls back to the recorded commit (never HEAD~1: a fast-forward may be many commits).
    if (settings.health) {
      progress({ step: 'health', status: 'running', line: `$ ${settings.health}` });
      const h = await runCheck(settings.health, { cwd: mainRoot, sandbox: opts.sandbox?.('MAIN', mainRoot), timeoutMs: settings.healthTimeoutMs, onLine: (line) => progress({ step: 'health', status: 'running', line }) });
      if (!h.ok) {
        const why = h.timedOut ? `timed out after ${Math.round(settings.healthTimeoutMs / 1000)} s` : `exit ${h.code}`;
        if (baselineFailing) {
          healthStillFailing = true;
          progress({ step: 'health', status: 'failed', line: `${why}, as before the merge: not rolled back` });
        } else {
          progress({ step: 'health', status: 'failed', line: why });
          // Nothing is lost: edits someone made in MAIN meanwhile are saved before the reset.
          let rescue: Rescue | null;
          try {
            rescue = await rescueChanges(mainRoot);
          } catch (e) {
            progress({ step: 'rollback', status: 'failed', line: describeError(e) });
            throw new FlowerError('merge-failed', `health failed, but MAIN has uncommitted changes that could not be saved, so it was not rolled back: ${describeError(e)} (MAIN is at ${post.slice(0, 12)}; the merge came from ${pre.slice(0, 12)})`);
          }
          if (rescue) progress({ step: 'rollback', status: 'running', line: `MAIN was edited during the health check (${rescue.paths.slice(0, 5).join(', ')}): saved as ${rescue.ref}` });
          progress({ step: 'rollback', status: 'running', line: `git reset --hard ${pre.slice(0, 12)}` });
          const r = await gitStatus(mainRoot, ['reset', '--hard', pre]);
          if (r.code !== 0) throw new FlowerError('merge-failed', `health failed and the rollback failed too: ${r.stderr.trim()} (MAIN is at ${post.slice(0, 12)}; reset it to ${pre.slice(0, 12)} by hand)`);
          let kept = '';
          let back = false;
          if (rescue) {
            back = await reapplyRescue(mainRoot, rescue, pre);
            kept = back
              ? ` — MAIN's uncommitted edits (${rescue.paths.slice(0, 5).join(', ')}) were re-applied, and are kept in ${rescue.ref}`
              : ` — MAIN's uncommitted edits (${rescue.paths.slice(0, 5).join(', ')}) do not apply to the rolled-back MAIN: they are kept in ${rescue.ref} (git stash apply ${rescue.ref})`;
            progress({ step: 'rollback', status: 'running', line: back ? `edits made in MAIN re-applied (uncommitted; also kept in ${rescue.ref})` : `edits made in MAIN do not apply cleanly after the rollback: kept in ${rescue.ref}` });
          }
          progress({ step: 'rollback', status: 'ok', line: `MAIN back at ${pre.slice(0, 7)}; ${opts.remote ? worktree.name : worktree.branch} keeps its commits${rescue ? `; MAIN's edits saved in ${rescue.ref}` : ''}` });
          const last = explainingLine(h.tail);
          const rescued = rescue ? { rescued: { ref: rescue.ref, paths: rescue.paths, reapplied: back } } : {};
          return { ...base, ...rescued, outcome: 'health-failed', message: `health failed (${why}), rolled back to ${pre.slice(0, 7)}${last ? ` — ${last}` : ''}${kept}` };
        }
      } else progress({ step: 'health', status: 'ok', line: `healthy (${Math.round(h.durationMs / 100) / 10} s)` });
    } else progress({ step: 'health', status: 'skipped', line: 'no health check configured (merge.health)' });

    progress({ step: 'done', status: 'ok' });
    const still = healthStillFailing ? ' — health still failing, as before the merge: not rolled back' : '';
    return { ...base, outcome: 'merged', message: `merged ${worktree.name} into ${preview.mainBranch}: ${pre.slice(0, 7)} → ${post.slice(0, 7)}${still}` };
  } finally {
    await release?.();
  }
}

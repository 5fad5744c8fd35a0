/**
 * From flower-tui's state (config, worktrees, lane kinds) to one process's sandbox: the impure half
 * of the policy — it reads where git keeps each worktree's admin dir, finds secret files, makes sure
 * the directories it binds exist — and hands the paths to the pure bwrapArgs().
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import picomatch from 'picomatch';
import type { SandboxConfig } from '../../config/sandbox-schema.js';
import { bwrapArgs, stripSecretEnv, type SandboxWorktree } from './bwrap-args.js';
import { probeBwrap } from './bwrap-probe.js';
import { rootSandboxIdentity } from './root-identity.js';

/** What the plan reads of a worktree (a WorktreeInfo has it; the plan needs no more). */
export interface PlannedWorktree {
  name: string;
  path: string;
  branch: string | null;
  isMain: boolean;
  prunable: boolean;
}

export interface SandboxContext {
  config: SandboxConfig;
  mainRoot: string;
  commonDir: string;
  /** Every worktree git lists, MAIN included. */
  worktrees: PlannedWorktree[];
  laneKind: (name: string) => 'served' | 'code-only' | null;
  /** Secret-named variables (lanes.secretPatterns) removed from code-only lanes' environments. */
  secretPatterns: string[];
  /** PATH bwrap is looked up in. */
  envPath: string | undefined;
}

export interface SandboxTarget {
  /** "MAIN" (ops, health check) or a lane's name. */
  worktree: string;
  cwd: string;
  /** Directories flower-tui's own hooks write for this process. */
  hookDirs?: string[];
}

/** How one process starts: wrapped, unwrapped (and why), or not at all (`required`). */
export type SandboxDecision =
  | { kind: 'bwrap'; bwrap: string; args: string[]; env: EnvFilter }
  | { kind: 'none'; reason: string; fix: string | null; env: EnvFilter }
  | { kind: 'refused'; reason: string };
export type EnvFilter = (env: Record<string, string>, explicit?: Record<string, string>) => Record<string, string>;

export function planSandbox(ctx: SandboxContext, target: SandboxTarget): SandboxDecision {
  const self = ctx.worktrees.find((w) => w.name === target.worktree) ?? null;
  const isMain = target.worktree === 'MAIN' || Boolean(self?.isMain);
  // Code-only lanes lose secret-named variables whether or not bwrap is there: it costs nothing.
  const codeOnly = !isMain && (ctx.laneKind(target.worktree) ?? 'code-only') === 'code-only';
  const env: EnvFilter = codeOnly ? (e, explicit) => stripSecretEnv(e, ctx.secretPatterns, ctx.config.passEnv, explicit) : (e) => e;
  if (ctx.config.mode === 'off') return { kind: 'none', reason: 'sandbox.mode is "off"', fix: null, env };
  const probe = probeBwrap(ctx.envPath);
  if (!probe.ok) {
    if (ctx.config.mode === 'required') return { kind: 'refused', reason: `sandbox required but ${probe.reason}: ${probe.fix}` };
    return { kind: 'none', reason: probe.reason, fix: probe.fix, env };
  }
  const others = ctx.worktrees.filter((w) => !w.isMain && !w.prunable && w.name !== target.worktree);
  const otherLanes: SandboxWorktree[] = others.map((w) => ({ path: w.path, adminDir: adminDirOf(w.path) }));
  for (const d of target.hookDirs ?? []) mkdirSync(d, { recursive: true, mode: 0o700 });
  const mainBranch = ctx.worktrees.find((w) => w.isMain)?.branch ?? null;
  const args = bwrapArgs({
    self: isMain || !self ? { kind: 'main' } : { kind: 'lane', path: self.path, adminDir: adminDirOf(self.path) },
    mainRoot: ctx.mainRoot,
    commonDir: ctx.commonDir,
    mainBranchRef: isMain ? null : looseBranchRef(ctx.commonDir, ctx.mainRoot, mainBranch),
    otherLanes,
    otherLanesMode: ctx.config.otherLanes,
    mainWritable: ctx.config.mainWritable.map((p) => path.join(ctx.mainRoot, p)),
    // MAIN's processes are MAIN: they read its .env. A lane sees only its own.
    maskFiles: isMain
      ? []
      : [ctx.mainRoot, ...(ctx.config.otherLanes === 'hidden' ? [] : others.map((w) => w.path))].flatMap((root) => findSecretFiles(root, ctx.config.secretFiles)),
    emptyFile: emptyFile(ctx.commonDir),
    writableDirs: target.hookDirs ?? [],
    cwd: target.cwd,
    identity: probe.userns ? rootSandboxIdentity(ctx.commonDir) : null,
  });
  return { kind: 'bwrap', bwrap: probe.path, args, env };
}

/** `<common>/worktrees/<id>` of a linked worktree, from its `.git` file ("gitdir: …"). */
export function adminDirOf(worktree: string): string | null {
  try {
    const text = readFileSync(path.join(worktree, '.git'), 'utf8');
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m ? path.resolve(worktree, m[1]!) : null;
  } catch {
    return null; // MAIN (a .git directory), or gone
  }
}

/**
 * MAIN's branch as a loose ref file, so it can be bound read-only. A branch that lives only in
 * packed-refs gets a loose copy with the same value first (git prefers it; nothing changes for
 * git): otherwise a lane could create the loose file and so move MAIN's branch.
 */
function looseBranchRef(commonDir: string, mainRoot: string, branch: string | null): string | null {
  if (!branch) return null;
  const ref = path.join(commonDir, 'refs', 'heads', ...branch.split('/'));
  if (existsSync(ref)) return ref;
  try {
    const sha = execFileSync('git', ['-C', mainRoot, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { encoding: 'utf8' }).trim();
    if (!/^[0-9a-f]{40,64}$/.test(sha)) return null;
    mkdirSync(path.dirname(ref), { recursive: true });
    const tmp = `${ref}.flower-${process.pid}`;
    writeFileSync(tmp, `${sha}\n`);
    renameSync(tmp, ref);
    return ref;
  } catch {
    return null; // an unborn branch: nothing to protect yet
  }
}

/** An empty read-only file in flower-tui's state dir, bound over secret files. */
function emptyFile(commonDir: string): string {
  const f = path.join(commonDir, 'flower', 'sandbox-empty');
  if (!existsSync(f)) {
    mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
    writeFileSync(f, '', { mode: 0o444 });
  }
  return f;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.venv', 'dist', 'build', 'target']);
const SECRET_SCAN_DEPTH = 3;

/** Secret files in a worktree (globs on the relative path; a glob without "/" matches a name at any depth scanned). */
export function findSecretFiles(root: string, globs: string[]): string[] {
  if (globs.length === 0) return [];
  const isMatch = picomatch(globs, { dot: true, basename: true });
  const found: string[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < SECRET_SCAN_DEPTH && !SKIP_DIRS.has(e.name)) walk(abs, r, depth + 1);
      } else if ((e.isFile() || (e.isSymbolicLink() && isFile(abs))) && isMatch(r)) found.push(abs);
    }
  };
  walk(root, '', 1);
  return found;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

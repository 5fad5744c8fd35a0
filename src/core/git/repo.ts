import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { FlowerError, describeError } from '../../shared/errors.js';
import { parseWorktreePorcelain } from './worktree-porcelain.js';
import type { MainInfo, WorktreeInfo } from '../types.js';

/** The repository flower-tui runs on: where MAIN is and where its shared git dir lives. */
export interface RepoLocation {
  /** MAIN's working tree (the main worktree), realpath'd. */
  mainRoot: string;
  /** `git rev-parse --git-common-dir`, absolute: state and the socket live under it. */
  commonDir: string;
}

function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, trimmed: false });
}

/** Find the repository containing `dir` — from MAIN or from any linked worktree. */
export async function locateRepo(dir: string): Promise<RepoLocation> {
  let abs: string;
  try {
    abs = realpathSync(dir);
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new FlowerError('not-a-repo', `not a directory: ${dir}`);
  }
  let commonDir: string;
  try {
    commonDir = (await git(abs).raw(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
  } catch {
    throw new FlowerError('not-a-repo', `not a git repository: ${abs} (run flower-tui inside a repository, or pass --repo DIR)`);
  }
  const list = parseWorktreePorcelain(await git(abs).raw(['worktree', 'list', '--porcelain']));
  const main = list[0];
  if (!main || main.bare) {
    throw new FlowerError('not-a-repo', `bare repository: ${commonDir} has no MAIN checkout for flower-tui to watch`);
  }
  return { mainRoot: realpathSync(main.path), commonDir: realpathSync(commonDir) };
}

/** A worktree's display name: its branch, else its directory name. MAIN is always "MAIN". */
export function worktreeName(isMain: boolean, branch: string | null, dir: string): string {
  if (isMain) return 'MAIN';
  return branch ?? path.basename(dir);
}

/** All worktrees with MAIN first (git lists the main worktree first; we keep that order). */
export async function listWorktrees(repo: RepoLocation): Promise<WorktreeInfo[]> {
  const list = parseWorktreePorcelain(await git(repo.mainRoot).raw(['worktree', 'list', '--porcelain']));
  const out: WorktreeInfo[] = [];
  list.forEach((w, i) => {
    if (w.bare) return;
    const isMain = i === 0;
    out.push({
      name: worktreeName(isMain, w.branch, w.path),
      path: w.path,
      branch: w.branch,
      head: w.head,
      isMain,
      locked: w.locked,
      prunable: w.prunable,
    });
  });
  return out;
}

/** MAIN's branch, HEAD and whether it has changes: what its read-only pane shows (the snapshot's MainInfo). */
export type MainStatus = MainInfo;

/**
 * Parse `git status --porcelain=v2 --branch`: branch, HEAD and how many paths changed. Pure.
 * `ownFiles` (paths relative to MAIN's root) are flower-tui's own files — its config, the lanes'
 * include list — and never count as a change: configuring flower-tui is not editing production.
 */
export function parseStatusV2(text: string, ownFiles: readonly string[] = []): { branch: string | null; oid: string | null; changes: number; changed: string[] } {
  let branch: string | null = null;
  let oid: string | null = null;
  let changes = 0;
  const changed: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# branch.head ')) {
      const b = line.slice('# branch.head '.length);
      branch = b === '(detached)' ? null : b;
    } else if (line.startsWith('# branch.oid ')) {
      const o = line.slice('# branch.oid '.length);
      oid = o === '(initial)' ? null : o;
    } else if (line !== '' && !line.startsWith('#')) {
      const entry = statusV2Path(line);
      if (ownFiles.includes(entry.slice(3))) continue;
      changes++;
      if (changed.length < 50) changed.push(entry);
    }
  }
  return { branch, oid, changes, changed };
}

/** "1 .M N... 100644 100644 100644 <h> <h> src/a.ts" → " M src/a.ts"; "? x" → "?? x". */
function statusV2Path(line: string): string {
  if (line.startsWith('? ')) return `?? ${line.slice(2)}`;
  if (line.startsWith('! ')) return `!! ${line.slice(2)}`;
  const parts = line.split(' ');
  const xy = (parts[1] ?? '..').replace(/\./g, ' ');
  if (line.startsWith('1 ')) return `${xy} ${parts.slice(8).join(' ')}`;
  if (line.startsWith('2 ')) return `${xy} ${parts.slice(9).join(' ').split('\t')[0]}`;
  if (line.startsWith('u ')) return `UU ${parts.slice(10).join(' ')}`;
  return line;
}

/** HEAD's subject, cached by commit: the log call is made only when HEAD moved. */
const subjectCache = new Map<string, string>();

/** One `git status` per refresh (plus one `git log` when HEAD moved): a refresh must stay cheap. */
export async function readMainStatus(mainRoot: string, ownFiles: readonly string[] = []): Promise<MainStatus> {
  const g = git(mainRoot);
  try {
    // --no-optional-locks: status does not rewrite .git/index, so reading never wakes the git watcher.
    const st = parseStatusV2(await g.raw(['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '--untracked-files=normal']), ownFiles);
    let subject: string | null = null;
    if (st.oid) {
      subject = subjectCache.get(st.oid) ?? null;
      if (subject === null) {
        subject = (await g.raw(['log', '-1', '--format=%s', st.oid])).trim();
        if (subjectCache.size > 100) subjectCache.clear();
        subjectCache.set(st.oid, subject);
      }
    }
    return { branch: st.branch, headShort: st.oid ? st.oid.slice(0, 7) : null, subject, changes: st.changes, changed: st.changed, error: null };
  } catch (e) {
    return { branch: null, headShort: null, subject: null, changes: 0, changed: [], error: describeError(e) };
  }
}

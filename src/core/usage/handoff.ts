import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';

/** The hand-off a refreshed agent reads first: what the lane is for, where the work stands. */
export function handoffPath(worktree: string, agentName: string): string {
  return path.join(worktree, '.flower', `handoff-${agentName}.md`);
}

/** Keep `.flower/` out of git for this worktree without touching tracked files: its info/exclude. */
export async function excludeFlowerDir(worktree: string): Promise<void> {
  const exclude = (await simpleGit({ baseDir: worktree }).raw(['rev-parse', '--path-format=absolute', '--git-path', 'info/exclude'])).trim();
  mkdirSync(path.dirname(exclude), { recursive: true });
  const text = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  if (!text.split('\n').some((l) => l.trim() === '.flower/')) appendFileSync(exclude, `${text && !text.endsWith('\n') ? '\n' : ''}# flower-tui hand-offs\n.flower/\n`);
}

/** Pure: the hand-off's text. */
export function renderHandoff(h: {
  agent: string;
  branch: string | null;
  brief: string | null;
  briefFile: string;
  log: string;
  status: string;
  screen: string[];
  usage: string;
  when: string;
  /** The packet of the brief this agent had claimed: the fresh session carries on with it. */
  claimed?: string | null;
}): string {
  const section = (title: string, body: string) => `## ${title}\n\n${body.trim() ? body.trim() : '(none)'}\n`;
  return [
    `# Hand-off for ${h.agent}`,
    '',
    `Written by flower-tui at ${h.when}, when this agent's context was refreshed (${h.usage}).`,
    'You are a fresh session continuing the work of the previous one in this worktree. Read this, then carry on.',
    '',
    ...(h.claimed ? [section('Your claimed brief — carry on with it (it stays claimed by you)', h.claimed)] : []),
    section(`The lane's brief (${h.briefFile})`, h.brief ?? `(no ${h.briefFile} in this worktree)`),
    section(`Branch`, h.branch ?? '(detached HEAD)'),
    section('Commits on this branch not yet in MAIN', '```\n' + (h.log.trim() || '(none)') + '\n```'),
    section('Uncommitted changes', '```\n' + (h.status.replace(/\s+$/, '').replace(/^\n+/, '') || '(clean)') + '\n```'),
    section("The previous session's last screen", '```\n' + h.screen.join('\n').replace(/\s+$/, '') + '\n```'),
  ].join('\n');
}

/** Gather and write the hand-off; returns its path (relative to the worktree) for the prompt. */
export async function writeHandoff(opts: {
  worktree: string;
  agentId: string;
  agentName: string;
  mainBranch: string | null;
  briefFile: string;
  screen: string[];
  usage: string;
  claimed?: string | null;
}): Promise<string> {
  const g = simpleGit({ baseDir: opts.worktree });
  const branch = (await g.raw(['branch', '--show-current']).catch(() => '')).trim() || null;
  const log = opts.mainBranch ? await g.raw(['log', '--oneline', `${opts.mainBranch}..HEAD`, '--']).catch(() => '') : '';
  const status = await g.raw(['status', '--short']).catch(() => '');
  const briefPath = path.join(opts.worktree, opts.briefFile);
  const brief = existsSync(briefPath) ? readFileSync(briefPath, 'utf8') : null;
  const file = handoffPath(opts.worktree, opts.agentName);
  mkdirSync(path.dirname(file), { recursive: true });
  await excludeFlowerDir(opts.worktree);
  writeFileSync(
    file,
    renderHandoff({ agent: opts.agentId, branch, brief, briefFile: opts.briefFile, log, status, screen: opts.screen, usage: opts.usage, when: new Date().toISOString(), claimed: opts.claimed ?? null }),
  );
  return path.relative(opts.worktree, file);
}

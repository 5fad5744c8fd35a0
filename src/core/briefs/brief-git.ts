import { simpleGit } from 'simple-git';

export interface LaneCommit {
  sha: string;
  subject: string;
  message: string;
  /** Committer time, ms. */
  time: number;
}

const SEP = '\x1f';
const END = '\x1e';

/** Commits on the lane's HEAD that MAIN's branch does not have, oldest first (argument arrays only). */
export async function laneCommits(lanePath: string, mainBranch: string): Promise<LaneCommit[]> {
  const out = await simpleGit({ baseDir: lanePath, trimmed: false }).raw(['log', '--reverse', `--format=%H${SEP}%s${SEP}%ct${SEP}%B${END}`, `refs/heads/${mainBranch}..HEAD`, '--']);
  const commits: LaneCommit[] = [];
  for (const rec of out.split(END)) {
    const [sha, subject, ct, message] = rec.replace(/^\n/, '').split(SEP);
    if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
    commits.push({ sha, subject: subject ?? '', message: message ?? '', time: Number(ct) * 1000 });
  }
  return commits;
}

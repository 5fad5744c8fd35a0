/**
 * Merging a lane that lives on another host (issue 19) stays a MAIN operation. A lane on host `box`
 * is named `box:LANE` (':' cannot occur in a branch name). MAIN's server asks the host about the
 * lane and runs MAIN's gate there (`flower-tui gate LANE` over the host's ssh: merge/lane-gate.ts
 * on the host), fetches the lane's commit into MAIN's repository under refs/flower/remote/HOST/LANE
 * — never a branch — over the same ssh (git's own transport), and the usual merge → health →
 * rollback runs on MAIN. Every failure is one line naming the host; MAIN is untouched by all of it.
 */
import { loadExeca } from './lazy-execa.js';
import type { HostConfig } from '../../config/hosts-schema.js';
import { FlowerError } from '../../shared/errors.js';
import { rootCommits, sameProject } from '../git/root-commits.js';
import { splitHostName } from '../hosts/host-name.js';
import { explainBridgeFailure, flowerOnHost, gitComplaint, gitOverSsh } from '../hosts/ssh-command.js';
import type { LaneGateReport } from './lane-gate.js';
import { revParse } from './merge-git.js';

export interface RemoteLane {
  /** `box:LANE`, as the cockpit, the CLI and the trace name it. */
  name: string;
  hostName: string;
  host: HostConfig;
  /** The lane's name on its host. */
  lane: string;
  /** Where its commit is fetched to in MAIN's repository. */
  ref: string;
}

/** `box:LANE` split, or null for a local lane's name (core/hosts/host-name.ts). */
export const splitRemoteLane = splitHostName;

/** The flower-tui ref a remote lane's commit is fetched into (pure). */
export function remoteLaneRef(host: string, lane: string): string {
  return `refs/flower/remote/${host}/${lane}`;
}

/** The remote lane `name` names, null for a local one; a host missing from the config is one line. */
export function resolveRemoteLane(name: string, hosts: Record<string, HostConfig>): RemoteLane | null {
  const split = splitRemoteLane(name);
  if (!split) return null;
  const host = Object.hasOwn(hosts, split.host) ? hosts[split.host] : undefined;
  if (!host) {
    const known = Object.keys(hosts);
    throw new FlowerError('unknown-worktree', `no host "${split.host}" in the config for ${name} (${known.length ? `hosts: ${known.join(', ')}` : 'no hosts configured'})`);
  }
  // What the host is asked about becomes part of a ref here: the lane name rules apply.
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(split.lane) || split.lane.includes('..') || split.lane.endsWith('.lock') || split.lane.endsWith('.'))
    throw new FlowerError('bad-usage', `${name}: "${split.lane}" is not a lane name`);
  return { name, hostName: split.host, host, lane: split.lane, ref: remoteLaneRef(split.host, split.lane) };
}

/** Run `flower-tui ARGS` on the lane's host and return its stdout; a failure is one line naming the host. */
async function onHost(r: RemoteLane, args: string[], opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  const cmd = flowerOnHost(r.host, args);
  const execa = await loadExeca();
  const res = await execa(cmd.file, cmd.args, { reject: false, stdin: 'ignore', timeout: opts.timeoutMs, cancelSignal: opts.signal, env: { ...process.env, LC_ALL: 'C' } });
  if (res.isCanceled) throw new FlowerError('merge-failed', `${r.hostName}: cancelled`);
  if (res.timedOut) throw new FlowerError('host-unreachable', `${r.hostName}: no answer from ${r.host.ssh} in ${Math.round(opts.timeoutMs / 1000)} s`);
  if (res.exitCode !== 0) {
    const line = explainBridgeFailure(r.hostName, r.host, res.exitCode ?? null, String(res.stderr ?? ''));
    // The host answered, and has no such lane: a wrong name, not a wrong host.
    throw new FlowerError(/^[^:]+: no worktree "/.test(line) ? 'unknown-worktree' : 'host-unreachable', line);
  }
  return String(res.stdout ?? '');
}

function parseReport(r: RemoteLane, out: string): LaneGateReport & { roots: string[] | null } {
  const last = out.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(last) as LaneGateReport & { roots?: string[] | null };
    if (typeof parsed === 'object' && parsed && 'lane' in parsed) return { ...parsed, roots: parsed.roots ?? null };
  } catch {
    /* below */
  }
  throw new FlowerError('host-unreachable', `${r.hostName}: flower-tui there did not answer the gate request (${last.slice(0, 120) || 'no output'}): is it an older version?`);
}

/**
 * What the host says of the lane (its branch, commit, kind, uncommitted changes); refused in one
 * line when the host's clone is not of this project or the lane is on a detached HEAD there.
 */
export async function askHostAboutLane(r: RemoteLane, mainRoot: string, signal?: AbortSignal): Promise<LaneGateReport> {
  const report = parseReport(r, await onHost(r, ['gate', r.lane, '--json'], { timeoutMs: 60_000, signal }));
  const ours = rootCommits(mainRoot);
  if (report.roots && report.roots.length && ours.length && !sameProject(ours, report.roots))
    throw new FlowerError('host-unreachable', `${r.hostName}: ${r.host.repo} is not a clone of this project (no commit in common with ${mainRoot}): fix hosts.${r.hostName}.repo`);
  if (!report.branch || !report.head) throw new FlowerError('merge-failed', `${r.name} is on a detached HEAD on ${r.hostName}: nothing to merge by name`);
  return report;
}

/** Bring the lane's branch tip into its refs/flower/remote/ ref here, over the host's ssh; its commit. */
export async function fetchRemoteLane(r: RemoteLane, mainRoot: string, branch: string, signal?: AbortSignal): Promise<string> {
  const { url, env } = gitOverSsh(r.host);
  const execa = await loadExeca();
  const res = await execa('git', ['-C', mainRoot, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', url, `+refs/heads/${branch}:${r.ref}`], {
    reject: false,
    stdin: 'ignore',
    timeout: 300_000,
    cancelSignal: signal,
    env: { ...process.env, ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  if (res.exitCode !== 0) throw new FlowerError('host-unreachable', `${r.hostName}: could not fetch ${r.lane} (${branch}) from ${r.host.repo} (${res.timedOut ? 'timed out' : gitComplaint(String(res.stderr ?? ''))})`);
  return revParse(mainRoot, r.ref);
}

/** Run `command` (MAIN's gate) in the lane on its host, only when the lane is at `expect` and clean there. */
export async function gateOnHost(r: RemoteLane, expect: string, command: string, timeoutMs: number, signal?: AbortSignal): Promise<LaneGateReport> {
  const out = await onHost(r, ['gate', r.lane, '--expect', expect, '--run', command, '--timeout-ms', String(timeoutMs), '--json'], { timeoutMs: timeoutMs + 120_000, signal });
  return parseReport(r, out);
}

/**
 * An ephemeral remote lane that landed goes, on its host. Forced there: the host's MAIN lacks the
 * merge (it is here), so its safety check would call every commit unmerged — the host still keeps
 * the tip and any leftover work under refs/flower/removed/LANE/. Asked only while the lane is still
 * exactly the merged commit and clean (otherwise it is kept, saying why).
 */
export async function removeOnHost(r: RemoteLane, mainRoot: string, merged: string): Promise<string> {
  const now = await askHostAboutLane(r, mainRoot);
  if (now.head !== merged || now.dirty.length)
    throw new FlowerError('would-lose-work', `${r.name} changed on ${r.hostName} since its merge (${now.head !== merged ? 'new commits' : 'uncommitted changes'}): kept there`);
  await onHost(r, ['worktree', 'rm', r.lane, '--force'], { timeoutMs: 120_000 });
  return `${r.name} removed on ${r.hostName} (ephemeral)`;
}

/**
 * Tell the lane's host how its merge here ended: its briefs live on its host's server and follow
 * the merge there (`flower-tui landed`). Said before an ephemeral lane is removed there.
 */
export async function tellHostLanded(r: RemoteLane, outcome: string, sha: string | null, message: string): Promise<void> {
  await onHost(r, ['landed', r.lane, '--outcome', outcome, ...(sha ? ['--sha', sha] : []), '--message', message], { timeoutMs: 60_000 });
}

import path from 'node:path';
import { FlowerError } from '../../shared/errors.js';
import { stateDir } from '../../core/store/private-dir.js';
import { FileTailer } from '../../core/tail/file-tailer.js';
import { matchesFilter, parseTraceText, readTrace, TRACE_FILE, type TraceEntry, type TraceFilter } from '../../core/store/trace.js';
import { detailSummary } from '../../ui/components/TraceView.js';
import { hostConfigOf, locate, type RepoArgs } from './common.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';

/** "10m", "2h", "3d", or anything Date can parse. */
export function parseSince(text: string, now = Date.now()): Date {
  const m = /^(\d+)\s*(s|m|h|d|w)$/.exec(text.trim());
  if (m) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return new Date(now - Number(m[1]) * unit * 1000);
  }
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new FlowerError('bad-usage', `--since: cannot read "${text}" (use e.g. 30m, 2h, 1d or 2026-11-21T10:00)`);
  return d;
}

function formatEntry(e: TraceEntry): string {
  const when = `${e.ts.slice(0, 10)} ${e.ts.slice(11, 19)}`;
  return `${when}  ${e.actor.padEnd(8)}  ${e.action.padEnd(9)}  ${e.target}  ${e.outcome}${detailSummary(e) ? `  ${detailSummary(e)}` : ''}`;
}

/**
 * Print the trace (oldest first), then, with `follow`, every new entry. The tail starts *before* the
 * read, so a line appended in between is not lost; one the read saw already is not printed twice.
 * `afterRead` is for tests: it runs between the read and the first tail poll.
 */
export function printTrace(dir: string, filter: TraceFilter, print: (e: TraceEntry) => void, opts: { follow?: boolean; limit?: number; afterRead?: () => void } = {}): FileTailer | null {
  let seen: Set<string> | null = null;
  const tailer = opts.follow
    ? new FileTailer(path.join(dir, TRACE_FILE), (lines) => {
        for (const e of parseTraceText(lines.join('\n') + '\n')) {
          if (!matchesFilter(e, filter)) continue;
          const key = JSON.stringify(e);
          if (seen?.delete(key)) continue; // already printed by the read
          print(e);
        }
      }, { from: 'end', pollMs: 500 })
    : null;
  tailer?.start();
  let entries = readTrace(dir, filter);
  // Only lines appended after the tail started can come twice; remembering what was read is enough.
  if (tailer) seen = new Set(entries.map((e) => JSON.stringify(e)));
  if (opts.limit !== undefined) entries = entries.slice(-opts.limit);
  for (const e of entries) print(e);
  opts.afterRead?.();
  return tailer;
}

type LogArgs = RepoArgs & { follow?: boolean; agent?: string; worktree?: string; since?: string; action?: string; limit?: number; untilStdinEnds?: boolean };

/** `flower-tui log`: the trace, oldest first (as a log reads), optionally following new entries. */
export async function logCommand(args: LogArgs): Promise<void> {
  if (args.host !== undefined) return logOnHost(args);
  const loc = await locate(args);
  const dir = stateDir(loc.repo.commonDir);
  const filter: TraceFilter = { agent: args.agent, worktree: args.worktree, action: args.action, since: args.since ? parseSince(args.since) : undefined };
  const print = (e: TraceEntry) => process.stdout.write((args.json ? JSON.stringify(e) : cleanForTerminal(formatEntry(e))) + '\n');
  const tailer = printTrace(dir, filter, print, { follow: args.follow, limit: args.limit });
  if (!tailer) return;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.stdout.once('error', () => resolve()); // piped into `head`: the reader went away
    // Run by another host over ssh: that ssh session ending closes our stdin, and nothing else
    // would end a quiet follow (no entry to write, so no broken pipe to notice).
    if (args.untilStdinEnds) process.stdin.once('end', resolve).once('close', resolve).resume();
  });
  tailer.stop();
}

/**
 * The trace of the configured host's repository: `flower-tui log` run there over ssh, its lines
 * passed through as they come (each host keeps its own trace, beside its own agents).
 */
async function logOnHost(args: LogArgs): Promise<void> {
  const [{ spawn }, { flowerOnHost, explainBridgeFailure }] = await Promise.all([import('node:child_process'), import('../../client/ssh-transport.js')]);
  const name = args.host!;
  const host = await hostConfigOf(await locate(args), args);
  const forwarded = [
    'log',
    ...(args.json ? ['--json'] : []),
    ...(args.follow ? ['--follow', '--until-stdin-ends'] : []),
    ...(['agent', 'worktree', 'action', 'since'] as const).flatMap((k) => (args[k] === undefined ? [] : [`--${k}`, String(args[k])])),
    ...(args.limit === undefined ? [] : ['--limit', String(args.limit)]),
  ];
  const cmd = flowerOnHost(host, forwarded);
  // stdin stays an open pipe we never write: it is how the remote follow learns we are gone.
  const child = spawn(cmd.file, cmd.args, { stdio: ['pipe', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr.length < 8192 && (stderr += d)));
  const stop = () => child.kill('SIGTERM');
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.once('error', () => resolve(null));
  });
  process.off('SIGINT', stop).off('SIGTERM', stop);
  if (code === 0 || (code === null && args.follow)) return;
  const line = explainBridgeFailure(name, host, code, stderr);
  // Its own usage errors (a bad --since) stay usage errors; the rest is the host's problem.
  throw new FlowerError(code === 2 ? 'bad-usage' : 'host-unreachable', line);
}

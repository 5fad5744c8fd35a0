import stringWidth from 'string-width';
import type { Snapshot } from '../core/types.js';
import { statusLabel } from '../core/status/agent-status.js';
import { formatUsage } from '../core/usage/usage-level.js';
import type { ServerInfo } from '../protocol/messages.js';
import { formatUptime } from '../shared/format-duration.js';

/** Columns padded by display width (names may hold wide characters). */
export function table(rows: string[][], gap = 2): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - stringWidth(c) + gap))).join('').trimEnd()).join('\n');
}


/** `flower-tui status` for people: the server, MAIN, then each worktree with its agents. */
export function formatStatus(snapshot: Snapshot, server: ServerInfo, now = Date.now()): string {
  const lines: string[] = [];
  lines.push(`server pid ${server.pid} · up ${formatUptime(now - server.startedAt)} · ${server.clients} client${server.clients === 1 ? '' : 's'} · ${snapshot.repo.mainRoot}`);
  if (server.configProblem) lines.push(`CONFIG NOT RELOADED: ${server.configProblem} — the server keeps ${server.config ?? 'the built-in defaults'}`);
  const m = snapshot.main;
  const moved = m.headMoved ? `  HEAD MOVED outside flower-tui: ${m.headMoved.from.slice(0, 7)} → ${m.headMoved.to.slice(0, 7)}` : '';
  lines.push(`MAIN (read-only)  ${m.branch ?? '(detached)'} ${m.headShort ?? ''} ${m.subject ?? ''}  ${m.changes ? `DIRTY: ${m.changes} changed` : 'clean'}${moved}`.replace(/ +/g, ' '));
  for (const w of snapshot.worktrees.filter((x) => !x.isMain)) {
    const agents = snapshot.agents.filter((a) => a.worktree === w.name);
    lines.push('');
    lines.push(`${w.name}  ${w.path}${w.prunable ? '  (missing)' : ''}`);
    if (agents.length === 0) lines.push('  (no agents)');
    else
      lines.push(
        table(
          agents.map((a) => [
            '  ' + a.id,
            a.profile,
            `${statusLabel(a.status)} ${formatUptime(Math.max(0, now - Date.parse(a.status.since)))}${a.status.reason && a.status.state !== 'exited' && a.status.state !== 'failed' ? ` · ${a.status.reason}` : ''}${a.status.source === 'hook' ? '' : ` (${a.status.source})`}`,
            // Only the exception is spelled out: a sandboxed agent is the normal case.
            a.pid ? `pid ${a.pid}${a.sandbox === 'none' ? ` UNSANDBOXED (${a.sandboxReason ?? 'no sandbox'})` : ''}` : '-',
            a.usage.source === 'none' ? '' : `${formatUsage(a.usage)}${a.usage.level === 'rot' ? ' ROT' : ''}`,
          ]),
        ),
      );
  }
  const restore = snapshot.restore;
  if (restore?.notRestored) lines.push('', `not restored at this start (stopped deliberately by ${restore.notRestored.by}): ${restore.notRestored.agents.join(', ')}`);
  if (restore) lines.push('', `remembered for restore (after a crash or reboot): ${restore.remembered.length ? restore.remembered.join(', ') : 'none'}`);
  return lines.join('\n');
}

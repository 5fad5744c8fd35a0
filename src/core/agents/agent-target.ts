import { FlowerError } from '../../shared/errors.js';
import { cleanForTerminal } from '../../shared/terminal-text.js';

// How a command names an agent, as tmux resolves its targets: the exact id (`feat/claude`), else a
// unique name (`claude`), else a unique prefix of an id (`feat/cl`, `fe`). Ambiguity is an error that
// lists the candidates, never a guess.

/** The ids `target` could mean, best kind of match first; pure. */
export function agentCandidates(target: string, ids: readonly string[]): string[] {
  if (ids.includes(target)) return [target];
  const byName = ids.filter((id) => id.slice(id.indexOf('/') + 1) === target);
  if (byName.length) return byName;
  return target === '' ? [] : ids.filter((id) => id.startsWith(target));
}

/** The one agent id `target` names, or a one-line error (unknown: the agents there are; ambiguous: the candidates). */
export function resolveAgentTarget(target: string, ids: readonly string[]): string {
  const found = agentCandidates(target, ids);
  if (found.length === 1) return found[0]!;
  const shown = (list: readonly string[]) => (list.length > 8 ? `${list.slice(0, 8).join(', ')}, … (${list.length} in all)` : list.join(', '));
  const what = cleanForTerminal(target);
  if (found.length > 1) throw new FlowerError('unknown-agent', `"${what}" is ambiguous: it could be ${shown(found.map((s) => cleanForTerminal(s)))}`);
  throw new FlowerError('unknown-agent', `no agent "${what}" (${ids.length ? `agents: ${shown(ids.map((s) => cleanForTerminal(s)))}` : 'none running; see flower-tui status'})`);
}

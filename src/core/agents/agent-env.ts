/**
 * The environment an agent starts with. Variables that describe *our* terminal (we might run inside
 * tmux, screen, or a terminal of a fixed size) would mislead the agent about *its* terminal, so they
 * are removed; node-pty only does this itself when handed process.env unchanged.
 */
const INHERITED_TERMINAL_VARS = ['TMUX', 'TMUX_PANE', 'STY', 'COLUMNS', 'LINES', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION'];

export function agentEnv(
  base: NodeJS.ProcessEnv,
  profileEnv: Record<string, string>,
  ids: { agent: string; worktree: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !INHERITED_TERMINAL_VARS.includes(k)) env[k] = v;
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.FLOWER_AGENT = ids.agent;
  env.FLOWER_WORKTREE = ids.worktree;
  return { ...env, ...profileEnv };
}

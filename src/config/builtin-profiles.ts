import type { Profile } from './schema.js';

/** Agents' refresh defaults: warn at 70 % of the window, mark ROT at 85 %, refresh by hand. */
const BUILTIN_REFRESH: NonNullable<Profile['refresh']> = {
  warnAt: 0.7,
  refreshAt: 0.85,
  mode: 'manual',
  action: 'respawn',
  command: '/compact',
  cooldownMs: 600_000,
  maxPerHour: 3,
  briefFile: 'BRIEF.md',
};

/**
 * Profiles every installation has. A user's profile of the same name replaces the built-in one
 * whole (no deep merge: half of a built-in command line mixed with half of the user's is a trap).
 */
export function builtinProfiles(env: NodeJS.ProcessEnv = process.env): Record<string, Profile> {
  return {
    shell: { command: env.SHELL || '/bin/sh', args: [], env: {}, description: 'your login shell' },
    claude: {
      command: 'claude',
      args: [],
      env: {},
      description: 'Claude Code',
      session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] },
      usage: { source: 'claude', patternKind: 'percentLeft' },
      refresh: BUILTIN_REFRESH,
    },
    // Codex has no flag to choose a session id: the id is learnt from its rollout file, then resumable.
    codex: {
      command: 'codex',
      args: [],
      env: {},
      description: 'OpenAI Codex CLI',
      session: { resumeArgs: ['resume', '{sessionId}'] },
      usage: { source: 'codex', patternKind: 'percentLeft' },
      refresh: BUILTIN_REFRESH,
    },
    gemini: {
      command: 'gemini',
      args: [],
      env: {},
      description: 'Gemini CLI',
      usage: { source: 'gemini', window: 1_048_576, pattern: '\\((\\d+)% context left\\)', patternKind: 'percentLeft' },
      refresh: { ...BUILTIN_REFRESH, action: 'command', command: '/compress' },
    },
  };
}

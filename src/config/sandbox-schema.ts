import { z } from 'zod';

/**
 * `sandbox`: every process flower-tui starts runs under bubblewrap (docs/sandbox.md). Kept in its
 * own file: the policy it feeds is src/core/sandbox/.
 */
export const SANDBOX_DEFAULT = {
  mode: 'auto' as 'auto' | 'required' | 'off',
  mainWritable: [] as string[],
  otherLanes: 'read-only' as 'read-only' | 'hidden' | 'writable',
  secretFiles: ['.env', '.env.*'],
  passEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'OPENAI_API_KEY', 'CODEX_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'],
};

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a path inside MAIN (relative, no "..")');

export const SandboxSchema = z.strictObject({
  /** auto: sandbox when bubblewrap works, else run unsandboxed and say so; required: refuse instead; off: never. */
  mode: z.enum(['auto', 'required', 'off']).default(SANDBOX_DEFAULT.mode),
  /** Paths in MAIN (relative) the ops process and the health check may write, e.g. "storage/logs". */
  mainWritable: z.array(relativePath).default(SANDBOX_DEFAULT.mainWritable),
  /** What a lane's processes may do to other lanes' worktrees. */
  otherLanes: z.enum(['read-only', 'hidden', 'writable']).default(SANDBOX_DEFAULT.otherLanes),
  /** Secret files (globs on the path relative to a worktree) shown empty to lanes that must not read them. */
  secretFiles: z.array(z.string().min(1)).default(SANDBOX_DEFAULT.secretFiles),
  /** Secret-named variables code-only lanes still get: the agents' own model credentials. */
  passEnv: z.array(z.string().min(1)).default(SANDBOX_DEFAULT.passEnv),
});
export type SandboxConfig = z.output<typeof SandboxSchema>;

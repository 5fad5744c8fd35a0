import { z } from 'zod';
import { SANDBOX_DEFAULT, SandboxSchema } from './sandbox-schema.js';
import { HostsSchema } from './hosts-schema.js';

/** The longest delay a Node timer can hold (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration in milliseconds, bounded to what a timer can hold: setTimeout turns anything longer into
 * 1 ms (a gate timeout of 3e9 failed the gate at once). The range is checked before "whole number",
 * so 1e30 is told the real limit, not zod's "<= 9007199254740991".
 */
export function durationMs(min: number) {
  return z
    .number()
    .min(min, `at least ${min} ms`)
    .max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest a timer can wait)`)
    .int('a whole number of milliseconds');
}

/** A whole number in [min, max], the range checked first (so 1e30 says the range). */
export function intIn(min: number, max: number) {
  return z.number().min(min, `between ${min} and ${max}`).max(max, `between ${min} and ${max}`).int('a whole number');
}

/** A refresh threshold: a fraction of the window (0 < x ≤ 1) or a whole number of tokens (> 1). */
const threshold = z
  .number()
  .positive('a fraction of the window (0 < x ≤ 1) or a number of tokens (> 1)')
  .refine((n) => n <= 1 || (Number.isInteger(n) && n <= Number.MAX_SAFE_INTEGER), 'a fraction of the window (0 < x ≤ 1) or a whole number of tokens (> 1)');

/**
 * The config file's shape. Objects are strict so that a typo (`comand`) is reported with its path
 * instead of being silently ignored — a demanding user wants to know why their setting did nothing.
 */
/**
 * How a profile continues a conversation. `{sessionId}` in the args is replaced. `newArgs` start a
 * new conversation with an id flower-tui chooses (Claude Code's `--session-id`); `resumeArgs` continue
 * one (`--resume <id>`, Codex's `resume <id>`).
 */
export const SessionSchema = z.strictObject({
  newArgs: z.array(z.string()).optional(),
  resumeArgs: z.array(z.string()).min(1),
});

/** Where an agent's context usage comes from (reference/agent-usage.md). */
export const UsageSchema = z.strictObject({
  source: z.enum(['claude', 'codex', 'gemini', 'screen', 'none']).default('none'),
  /** The context window in tokens; unknown (shown as "?") when neither this nor the agent says. */
  window: intIn(1, 100_000_000).optional(),
  /** screen/gemini: a regex over the rendered rows; its first group is the number. */
  pattern: z.string().optional(),
  /** What the pattern's number is. */
  patternKind: z.enum(['percentLeft', 'tokens']).default('percentLeft'),
});

/** When and how an agent whose context has rotted is refreshed. */
export const RefreshSchema = z.strictObject({
  /** Fraction of the window (≤ 1) or absolute tokens (> 1). */
  warnAt: threshold.optional(),
  refreshAt: threshold.optional(),
  mode: z.enum(['manual', 'auto']).default('manual'),
  action: z.enum(['respawn', 'command', 'notify']).default('notify'),
  /** The compaction command typed for action "command". */
  command: z.string().default('/compact'),
  cooldownMs: durationMs(0).default(10 * 60_000),
  maxPerHour: intIn(1, 3600).default(3),
  /** A file in the worktree whose contents head the hand-off (the lane's brief). */
  briefFile: z.string().default('BRIEF.md'),
});

export const ProfileSchema = z.strictObject({
  command: z.string().min(1, 'must not be empty'),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
  description: z.string().optional(),
  session: SessionSchema.optional(),
  usage: UsageSchema.optional(),
  refresh: RefreshSchema.optional(),
  /** A regex over the rendered rows that means "waiting for input" (the agent's prompt). */
  promptPattern: z.string().optional(),
  /** Which hooks report the agent's state (default: the usage source's, when it has them; see docs/agent-state.md). */
  hooks: z.enum(['claude', 'codex', 'none']).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** An agent a worktree starts with: a profile name, or a profile with a chosen name and extra args. */
export const AgentSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    profile: z.string().min(1),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
      .optional(),
    args: z.array(z.string()).optional(),
  }),
]);
export type AgentSpec = z.infer<typeof AgentSpecSchema>;

export const WorktreeConfigSchema = z.strictObject({
  agents: z.array(AgentSpecSchema).default([]),
});

/** How worktrees (lanes) are created, provisioned and set up. */
export const LANES_DEFAULT = {
  branchPrefix: '',
  pathPattern: '{repo}-{name}',
  copy: ['.env'],
  includeFile: '.worktreeinclude',
  // A served lane gets its own port by default: MAIN's PORT (e.g. 3000) must never be served twice.
  served: { env: { PORT: '{port}' } as Record<string, string>, portRange: [8100, 8199] as [number, number], rewriteUrls: true },
  secretPatterns: ['*_KEY', '*_SECRET', '*_TOKEN', '*PASSWORD*'],
  setup: [] as string[],
  agents: [] as string[],
  defaultLane: 'standing' as 'standing' | 'ephemeral',
  defaultKind: 'code-only' as 'served' | 'code-only',
  autoUpdate: false,
};
export const LanesSchema = z.strictObject({
  /** Branch name = prefix + lane name (e.g. "lane/"). */
  branchPrefix: z.string().default(LANES_DEFAULT.branchPrefix),
  /** Where a lane's worktree goes, relative to MAIN's parent directory: {repo} and {name}. */
  pathPattern: z.string().min(1).default(LANES_DEFAULT.pathPattern),
  /** Untracked files copied from MAIN into a new lane (e.g. ".env"). */
  copy: z.array(z.string().min(1)).default(LANES_DEFAULT.copy),
  /** A file in MAIN listing more paths to copy, one per line (# comments). */
  includeFile: z.string().default(LANES_DEFAULT.includeFile),
  served: z
    .strictObject({
      /** .env overrides for served lanes; {name} and {port} are filled in. Default: PORT={port}. */
      env: z.record(z.string(), z.string()).default(LANES_DEFAULT.served.env),
      /** Ports handed out to served lanes, one each, never two lanes the same. */
      portRange: z.tuple([intIn(1, 65535), intIn(1, 65535)]).default([8100, 8199]),
      /** In a served lane's .env, URLs on localhost at MAIN's PORT are moved to the lane's port. */
      rewriteUrls: z.boolean().default(true),
    })
    .default(LANES_DEFAULT.served),
  /** In code-only lanes, values of .env keys matching these (glob: * any) are emptied. */
  secretPatterns: z.array(z.string().min(1)).default(LANES_DEFAULT.secretPatterns),
  /** Shell commands run in a new lane (e.g. "npm ci"); {name} and {port} are passed safely as $FLOWER_LANE and $FLOWER_PORT. */
  setup: z.array(z.string().min(1)).default([]),
  /** Profiles started in a new lane when --agents is not given. */
  agents: z.array(z.string().min(1)).default([]),
  defaultLane: z.enum(['standing', 'ephemeral']).default('standing'),
  defaultKind: z.enum(['served', 'code-only']).default('code-only'),
  /** After each merge into MAIN, bring every clean standing lane whose agents are idle up to date (merge.update). */
  autoUpdate: z.boolean().default(false),
});

/**
 * Paths flagged by default: the usual homes of database migrations (Rails, Django, Laravel, Prisma,
 * Knex/Sequelize, Alembic, Flyway, golang-migrate), which a merge brings in but nobody runs by itself.
 * Setting merge.flagged replaces the list ([] flags nothing).
 */
export const DEFAULT_FLAGGED: { pattern: string; message: string }[] = [
  { pattern: '**/migrations/**', message: 'database migrations: run them against MAIN\'s database' },
  { pattern: '**/migrate/**', message: 'database migrations: run them against MAIN\'s database' },
  { pattern: '**/alembic/versions/**', message: 'database migrations (alembic): run them against MAIN\'s database' },
  { pattern: '**/db/migration/**', message: 'database migrations (flyway): run them against MAIN\'s database' },
];

/** The merge pipeline: gate → merge → health → rollback. Commands are shell strings from your own config. */
export const MERGE_DEFAULT = {
  strategy: 'no-ff' as 'ff-only' | 'no-ff' | 'squash',
  gate: null as string | null,
  gateTimeoutMs: 600_000,
  health: null as string | null,
  healthTimeoutMs: 60_000,
  baseline: false,
  flagged: DEFAULT_FLAGGED,
  update: 'rebase' as 'rebase' | 'merge',
};
export const MergeSchema = z.strictObject({
  strategy: z.enum(['ff-only', 'no-ff', 'squash']).default('no-ff'),
  /** Run in the worktree before merging (e.g. "npm test"); failure stops the merge, MAIN untouched. */
  gate: z.string().min(1).nullable().default(null),
  gateTimeoutMs: durationMs(1000).default(600_000),
  /** Run in MAIN after merging (e.g. "curl -fsS localhost:8000/health"); failure rolls MAIN back. */
  health: z.string().min(1).nullable().default(null),
  healthTimeoutMs: durationMs(1000).default(60_000),
  /** Run health before merging too: a MAIN that was already failing does not cause a false rollback. */
  baseline: z.boolean().default(false),
  /** Paths that need a human's attention after the merge (glob: ** any depth, * one segment). */
  flagged: z.array(z.strictObject({ pattern: z.string().min(1), message: z.string().min(1) })).default(DEFAULT_FLAGGED),
  /** How the queue (and `update`, `u`) brings a lane up to date with MAIN, in the lane's worktree: rebase onto MAIN, or merge MAIN in. */
  update: z.enum(['rebase', 'merge']).default('rebase'),
});

/** The MAIN monitor: health every N ms (0 = never), git's safety poll, and an optional read-only ops process. */
export const MONITOR_DEFAULT = { healthEveryMs: 60_000, gitPollMs: 30_000, ops: null as string | null };
export const MonitorSchema = z.strictObject({
  healthEveryMs: durationMs(0).default(60_000),
  /**
   * Git state is re-read when its files change (file watching); this slower poll only catches what a
   * watch missed, mostly with a few stats rather than git (0 = never). Where watching is impossible
   * git is polled every 3 s instead.
   */
  gitPollMs: durationMs(0).default(30_000),
  /** A profile run in MAIN's directory whose screen the MAIN pane shows; it never receives a keystroke. */
  ops: z.string().min(1).nullable().default(null),
});

export const KEY_ACTIONS = [
  'next',
  'prev',
  'left',
  'right',
  'up',
  'down',
  'attach',
  'detach',
  'newAgent',
  'kill',
  'respawn',
  'quit',
  'stop',
  'help',
  'scroll',
  'trace',
  'newWorktree',
  'removeWorktree',
  'refresh',
  'merge',
  'diff',
  'briefs',
  'inbox',
  'ready',
  'update',
  'queueUp',
  'queueDown',
] as const;
export type KeyAction = (typeof KEY_ACTIONS)[number];

const KeyBindingSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  profiles: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'profile names: letters, digits, ".", "_" and "-"'), ProfileSchema).default({}),
  worktrees: z.record(z.string(), WorktreeConfigSchema).default({}),
  keys: z.partialRecord(z.enum(KEY_ACTIONS), KeyBindingSchema).default({}),
  ui: z
    .strictObject({
      scrollback: intIn(100, 100_000).default(5000),
      fps: intIn(1, 240).default(60),
      backgroundFps: intIn(1, 240).default(15),
      mouse: z.boolean().default(true),
    })
    .default({ scrollback: 5000, fps: 60, backgroundFps: 15, mouse: true }),
  agents: z
    .strictObject({
      killGraceMs: intIn(50, 30_000).default(750),
    })
    .default({ killGraceMs: 750 }),
  /** When an agent starts waiting for input: ring the terminal bell, and/or send a desktop notification (OSC 9/777). */
  notify: z
    .strictObject({
      bell: z.boolean().default(true),
      /** true: for every attention; false: never; unset: when an agent needs the operator (needs-you). */
      desktop: z.boolean().optional(),
      /** Run by the server on each new needs-you: `sh -c COMMAND flower-tui AGENT TEXT` (e.g. notify-send "$2"). */
      command: z.string().min(1).nullable().default(null),
      /** At most one notify command per this many ms; the next one says how many were skipped. */
      commandIntervalMs: z.number().int().min(0).default(10_000),
    })
    .default({ bell: true, command: null, commandIntervalMs: 10_000 }),
  /** When the server starts: bring back the agents that were running ("auto"), ask the cockpit ("ask"), or not ("off"). */
  restore: z.enum(['auto', 'ask', 'off']).default('auto'),
  /** What the trace keeps of text sent to agents: its length and sha256 ("hash"), or also its redacted first 80 characters ("preview"). */
  trace: z.strictObject({ sentText: z.enum(['hash', 'preview']).default('hash') }).default({ sentText: 'hash' }),
  lanes: LanesSchema.default(LANES_DEFAULT),
  merge: MergeSchema.default(MERGE_DEFAULT),
  monitor: MonitorSchema.default(MONITOR_DEFAULT),
  sandbox: SandboxSchema.default(SANDBOX_DEFAULT),
  /** Other machines' flower-tui servers, reached over ssh (hosts-schema.ts). */
  hosts: HostsSchema,
  /** Briefs: a dispatched brief not claimed within claimTimeoutMs is shown as unclaimed. */
  briefs: z
    .strictObject({
      claimTimeoutMs: durationMs(1000).default(600_000),
      /** `brief done` marks the brief's lane ready: it joins the merge queue (false: merge by hand). */
      queueOnDone: z.boolean().default(true),
    })
    .default({ claimTimeoutMs: 600_000, queueOnDone: true }),
  /** Offer flower-tui's MCP server (briefs, status, send…) to the agents it starts (Claude Code via --mcp-config). */
  mcp: z.strictObject({ enabled: z.boolean().default(false) }).default({ enabled: false }),
});
export type ConfigInput = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigSchema>;

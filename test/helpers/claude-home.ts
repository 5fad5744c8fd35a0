// A throw-away HOME in which the real Claude Code CLI starts straight into its input box: no
// onboarding, no trust dialog, no login, no API-key question, no updater, no telemetry.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_AGENT_CLI_VERSIONS, ensureAgentCli, whyNoAgentCli } from './agent-cli-cache.js';
import { makeRepo, type TestRepo } from './git-repo.js';

export interface ClaudeHome {
  /** The temp HOME (realpath). */
  home: string;
  /** `${home}/.claude`: where `projects/<slug>/<sessionId>.jsonl` transcripts go. */
  claudeDir: string;
  /** The project dir as trusted in `.claude.json` (realpath). */
  projectDir: string;
  /**
   * Environment for the CLI (a full env: spread it as the spawn env). Add the mock's `proxyEnv()` so
   * that any attempt to reach another host goes to the mock and is refused there.
   */
  env(opts: { baseUrl: string; extra?: Record<string, string> }): Record<string, string>;
  cleanup(): void;
}

export const MOCK_CLAUDE_TOKEN = 'sk-ant-mock-0123456789abcdefghijklmnopqrstuvwxyz';

/** Variables of the parent that must not leak into the CLI (they would point it at real accounts or configs). */
const SCRUB = /^(ANTHROPIC_|CLAUDE_|CLAUDECODE$|OPENAI_|CODEX_|AWS_|GOOGLE_|VERTEX_|CLOUD_ML_|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$|XDG_CONFIG_HOME$|XDG_DATA_HOME$|XDG_STATE_HOME$|XDG_CACHE_HOME$|TMUX|NODE_OPTIONS$)/i;

export function scrubbedEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) out[k] = v;
  return out;
}

export function makeClaudeHome(opts: { projectDir: string; version?: string }): ClaudeHome {
  const home = realpathSync(mkdtempSync(path.join(tmpdir(), 'flower-claude-home-')));
  const claudeDir = path.join(home, '.claude');
  mkdirSync(claudeDir, { recursive: true });
  const projectDir = realpathSync(opts.projectDir);
  // Found by experiment on 2.1.330: without `hasCompletedOnboarding` the theme picker opens; without
  // the project's `hasTrustDialogAccepted` the "Accessing workspace … trust this folder?" dialog
  // opens (default answer: "No, exit"). Those two are all it takes with ANTHROPIC_AUTH_TOKEN. With
  // ANTHROPIC_API_KEY instead, "Detected a custom API key … use it?" (default: No) opens unless the
  // key's last 20 characters are in `customApiKeyResponses.approved`. The rest keeps other one-off
  // notices (release notes, tips, cost threshold) and the updater quiet.
  const projectState = {
    allowedTools: [],
    hasTrustDialogAccepted: true,
    hasCompletedProjectOnboarding: true,
    projectOnboardingSeenCount: 1,
    hasClaudeMdExternalIncludesApproved: false,
    hasClaudeMdExternalIncludesWarningShown: true,
  };
  const config = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: opts.version ?? '2.1.330',
    lastReleaseNotesSeen: opts.version ?? '2.1.330',
    numStartups: 5,
    autoUpdates: false,
    theme: 'dark',
    hasSeenTasksHint: true,
    hasAcknowledgedCostThreshold: true,
    tipsHistory: {},
    customApiKeyResponses: { approved: [MOCK_CLAUDE_TOKEN.slice(-20)], rejected: [] },
    projects: { [projectDir]: projectState },
  };
  writeFileSync(path.join(home, '.claude.json'), JSON.stringify(config, null, 2));
  // Claude Code puts a messaging socket at ${XDG_RUNTIME_DIR:-$TMPDIR}/cc-socks/<pid>.sock and does
  // not always remove it; keep it (and its other temp files) inside this HOME.
  const runtimeDir = path.join(home, '.run');
  const tmp = path.join(home, '.tmp');
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  mkdirSync(tmp, { recursive: true });
  // User settings: no updater channel, no co-author trailer, no spinner tips, nothing that phones home.
  writeFileSync(
    path.join(claudeDir, 'settings.json'),
    JSON.stringify({ autoUpdates: false, includeCoAuthoredBy: false, spinnerTipsEnabled: false }, null, 2),
  );

  return {
    home,
    claudeDir,
    projectDir,
    env({ baseUrl, extra }) {
      return {
        ...scrubbedEnv(),
        HOME: home,
        USER: process.env.USER ?? 'flower',
        TERM: 'xterm-256color',
        COLORTERM: 'truecolor',
        LANG: 'C.UTF-8',
        XDG_RUNTIME_DIR: runtimeDir,
        CLAUDE_CODE_TMPDIR: tmp,
        ANTHROPIC_BASE_URL: baseUrl,
        ANTHROPIC_AUTH_TOKEN: MOCK_CLAUDE_TOKEN,
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
        DISABLE_COST_WARNINGS: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
        CLAUDE_CODE_IDE_SKIP_AUTO_INSTALL: '1',
        // 2.1.330 otherwise fetches the official plugin marketplace at start (downloads.claude.ai,
        // then a git clone from github.com), even with nonessential traffic disabled.
        CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
        ...extra,
      };
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Codex: the same idea. A temp HOME with CODEX_HOME=$HOME/.codex whose config.toml points a custom
// model provider at a mock Responses API (mock-openai.ts), trusts the project dir, and turns off
// everything that would reach the network or outlive the TUI.

export interface CodexHome {
  home: string;
  /** CODEX_HOME: rollouts go to `sessions/YYYY/MM/DD/rollout-*.jsonl` below it. */
  codexHome: string;
  projectDir: string;
  configPath: string;
  env(extra?: Record<string, string>): Record<string, string>;
  cleanup(): void;
}

export const MOCK_CODEX_MODEL = 'gpt-5.1-codex';

/**
 * `baseDir`: where the home is made (default the temp dir). Codex refuses to put its helper
 * binaries (codex-linux-sandbox, which its own sandbox runs) under a temporary directory, so a test
 * of Codex's own sandbox needs a home elsewhere.
 */
export function makeCodexHome(opts: { projectDir: string; baseUrl: string; model?: string; extraToml?: string; baseDir?: string }): CodexHome {
  if (opts.baseDir) mkdirSync(opts.baseDir, { recursive: true, mode: 0o700 });
  const home = realpathSync(mkdtempSync(path.join(opts.baseDir ?? tmpdir(), 'flower-codex-home-')));
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  const projectDir = realpathSync(opts.projectDir);
  const q = (s: string): string => JSON.stringify(s); // a TOML basic string is a JSON string for these values
  const toml = `# written by test/helpers/claude-home.ts
model = ${q(opts.model ?? MOCK_CODEX_MODEL)}
model_provider = "flower-mock"
check_for_update_on_startup = false

[model_providers.flower-mock]
name = "flower mock"
base_url = ${q(`${opts.baseUrl}/v1`)}
wire_api = "responses"
env_key = "FLOWER_MOCK_OPENAI_KEY"
request_max_retries = 0
stream_max_retries = 0

[projects.${q(projectDir)}]
trust_level = "trusted"

[features]
# 0.169 starts a detached "app-server" daemon (plus an updater loop) from the TUI; both outlive it.
daemon_auto_start = false
# These fetch from github.com / chatgpt.com at start.
plugins = false
apps = false
remote_plugin = false
recommended_plugins = false
tool_suggest = false
skill_mcp_dependency_install = false
in_app_updates = false
api_key_model_discovery = false

[analytics]
enabled = false

[feedback]
enabled = false

[tui]
# The tooltip line fetches an announcement from raw.githubusercontent.com.
show_tooltips = false
${opts.extraToml ?? ''}
`;
  const configPath = path.join(codexHome, 'config.toml');
  writeFileSync(configPath, toml);
  return {
    home,
    codexHome,
    projectDir,
    configPath,
    env(extra) {
      return {
        ...scrubbedEnv(),
        HOME: home,
        CODEX_HOME: codexHome,
        USER: process.env.USER ?? 'flower',
        TERM: 'xterm-256color',
        COLORTERM: 'truecolor',
        LANG: 'C.UTF-8',
        FLOWER_MOCK_OPENAI_KEY: 'sk-mock-codex',
        ...extra,
      };
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * The real Claude Code (installed into the cache) with a repository that has a lane and a Claude home
 * for it, all removed by `cleanups`; null (and the test skipped, saying why) when the CLI cannot be had.
 */
export async function realClaudeLane(
  t: { skip(message?: string): void },
  cleanups: (() => unknown)[],
): Promise<{ bin: string; repo: TestRepo; home: ClaudeHome } | null> {
  const bin = await ensureAgentCli('@anthropic-ai/claude-code');
  if (!bin) {
    t.skip(whyNoAgentCli('@anthropic-ai/claude-code'));
    return null;
  }
  const repo = makeRepo({ worktrees: ['lane'] });
  cleanups.push(() => repo.cleanup());
  const home = makeClaudeHome({ projectDir: repo.worktreePaths['lane']! });
  cleanups.push(() => home.cleanup());
  return { bin, repo, home };
}

/**
 * The real Codex CLI (installed into the cache) with a repository that has a lane, removed by
 * `cleanups`; null (and the test skipped, saying why) when the CLI cannot be had.
 */
export async function realCodexLane(
  t: { skip(message?: string): void },
  cleanups: (() => unknown)[],
): Promise<{ bin: string; repo: TestRepo; lane: string } | null> {
  const version = DEFAULT_AGENT_CLI_VERSIONS['@openai/codex'];
  const bin = await ensureAgentCli('@openai/codex', version);
  if (!bin) {
    t.skip(`@openai/codex@${version} cannot be installed here: ${whyNoAgentCli('@openai/codex', version)}`);
    return null;
  }
  const repo = makeRepo({ worktrees: ['lane'] });
  cleanups.push(() => repo.cleanup());
  return { bin, repo, lane: repo.worktreePaths['lane']! };
}

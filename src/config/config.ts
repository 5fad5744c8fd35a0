import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { z } from 'zod';
import { ConfigSchema, type AgentSpec, type ParsedConfig, type Profile } from './schema.js';
import { builtinProfiles } from './builtin-profiles.js';
import { FlowerError } from '../core/errors.js';

/** The config the rest of flower-tui sees: validated, defaults applied, built-in profiles merged. */
export interface FlowerConfig extends ParsedConfig {
  profiles: Record<string, Profile>;
  /** Where it came from, for messages; null when only defaults apply. */
  source: string | null;
}

/** Where to look, in order (DESIGN.md "Files on disk"). */
export function configCandidates(mainRoot: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const xdg = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return [path.join(mainRoot, 'flower.config.json'), path.join(xdg, 'flower-tui', 'config.json')];
}

/** "profiles.claude.command: expected string, received number" — the path a user can find in the file. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let msg = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_key') msg = issue.issues[0]?.message ?? msg;
  if (issue.code === 'unrecognized_keys') msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${msg}`;
}

/** Validate already-parsed JSON. Pure; `source` only labels the error. */
export function parseConfig(raw: unknown, source: string | null, env: NodeJS.ProcessEnv = process.env): FlowerConfig {
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    // A misspelt key explains the other errors (a "missing" field is usually the misspelt one): report it first.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const first = issues[0];
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
    throw new FlowerError('config-invalid', `invalid config ${source ?? '(built-in)'}: ${first ? formatIssue(first) : 'invalid'}${more}`);
  }
  const cfg = result.data;
  const profiles = { ...builtinProfiles(env), ...cfg.profiles };
  // A worktree naming a profile that does not exist is a config error now, not a surprise at spawn time.
  for (const [wt, wcfg] of Object.entries(cfg.worktrees)) {
    wcfg.agents.forEach((spec, i) => {
      const name = agentSpecProfile(spec);
      if (!profiles[name]) {
        throw new FlowerError(
          'config-invalid',
          `invalid config ${source ?? '(built-in)'}: worktrees.${wt}.agents.${i}: unknown profile "${name}" (known: ${Object.keys(profiles).join(', ')})`,
        );
      }
    });
  }
  return { ...cfg, profiles, source };
}

export function agentSpecProfile(spec: AgentSpec): string {
  return typeof spec === 'string' ? spec : spec.profile;
}

/** Load from an explicit file, or the first candidate that exists, or defaults. */
export function loadConfig(opts: { file?: string; mainRoot: string; env?: NodeJS.ProcessEnv }): FlowerConfig {
  const env = opts.env ?? process.env;
  const file = opts.file ? path.resolve(opts.file) : configCandidates(opts.mainRoot, env).find((f) => existsSync(f));
  if (!file) return parseConfig({}, null, env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FlowerError('config-unreadable', `cannot read config ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FlowerError('config-invalid', `invalid config ${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseConfig(raw, file, env);
}

/** Agents a worktree starts with: its own entry by name, else by branch, else the "*" entry. */
export function agentsForWorktree(cfg: FlowerConfig, worktree: { name: string; branch: string | null }): AgentSpec[] {
  const entry = cfg.worktrees[worktree.name] ?? (worktree.branch ? cfg.worktrees[worktree.branch] : undefined) ?? cfg.worktrees['*'];
  return entry?.agents ?? [];
}

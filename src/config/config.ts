import { existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { z } from 'zod';
import { ConfigSchema, type AgentSpec, type ParsedConfig, type Profile } from './schema.js';
import { builtinProfiles } from './builtin-profiles.js';
import { buildKeymap } from './keymap.js';
import { checkConfig } from './checks.js';
import { parseConfigText, readConfigText } from './read-config-file.js';
import { FlowerError } from '../shared/errors.js';

/** The config the rest of flower-tui sees: validated, defaults applied, built-in profiles merged. */
export interface FlowerConfig extends ParsedConfig {
  profiles: Record<string, Profile>;
  /** Where it came from, for messages; null when only defaults apply. */
  source: string | null;
}

/** Where a repository's own config lives: outside MAIN's tree, so writing it never makes MAIN dirty. */
export function repoConfigFile(commonDir: string): string {
  return path.join(commonDir, 'flower', 'config.json');
}

/**
 * Where to look, in order (docs/config.md): the repository's own config (written by `config init`,
 * in the git common dir), `flower.config.json` at MAIN's root (committed, shared), the user's.
 */
export function configCandidates(mainRoot: string, env: NodeJS.ProcessEnv = process.env, commonDir?: string): string[] {
  const xdg = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return [...(commonDir ? [repoConfigFile(commonDir)] : []), path.join(mainRoot, 'flower.config.json'), path.join(xdg, 'flower-tui', 'config.json')];
}

/** "profiles.claude.command: expected string, received number" — the path a user can find in the file. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  let msg = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_key') msg = issue.issues[0]?.message ?? msg;
  if (issue.code === 'unrecognized_keys') msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${msg}`;
}

/**
 * Validate already-parsed JSON: the schema, then what a schema cannot say (profiles named elsewhere
 * exist, regexes compile, ranges are ordered, key bindings). The one validation every process and
 * command runs. Pure; `source` only labels the error. `undefined` (no file) is the defaults.
 */
export function parseConfig(raw: unknown, source: string | null, env: NodeJS.ProcessEnv = process.env): FlowerConfig {
  const label = source ?? '(built-in)';
  if (raw === null || (raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw)))) {
    throw new FlowerError('config-invalid', `invalid config ${label}: (top level): expected an object { … }, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const result = ConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    // A misspelt key explains the other errors (a "missing" field is usually the misspelt one): report it first.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
    const first = issues[0];
    // Counted by field: 1e30 fails both "at most" and "safe integer", one mistake all the same.
    const fields = new Set(result.error.issues.map((i) => i.path.join('.')));
    const more = fields.size > 1 ? ` (and ${fields.size - 1} more)` : '';
    throw new FlowerError('config-invalid', `invalid config ${label}: ${first ? formatIssue(first) : 'invalid'}${more}`);
  }
  const cfg = result.data;
  // Own properties only, so a name like "toString" is never "found" on Object's prototype.
  const profiles: Record<string, Profile> = Object.assign(Object.create(null) as Record<string, Profile>, builtinProfiles(env), cfg.profiles);
  const problem = checkConfig(cfg, profiles);
  if (problem) throw new FlowerError('config-invalid', `invalid config ${label}: ${problem}`);
  buildKeymap(cfg.keys, source);
  return { ...cfg, profiles: { ...profiles }, source };
}

export function agentSpecProfile(spec: AgentSpec): string {
  return typeof spec === 'string' ? spec : spec.profile;
}

/** The file a load would read: the explicit one, else the first candidate that exists, else null. */
export function findConfigFile(opts: { file?: string; mainRoot: string; commonDir?: string; env?: NodeJS.ProcessEnv }): string | null {
  if (opts.file) return path.resolve(opts.file);
  return configCandidates(opts.mainRoot, opts.env ?? process.env, opts.commonDir).find((f) => existsSync(f)) ?? null;
}

/** Load from an explicit file, or the first candidate that exists, or defaults. */
export function loadConfig(opts: { file?: string; mainRoot: string; commonDir?: string; env?: NodeJS.ProcessEnv }): FlowerConfig {
  const env = opts.env ?? process.env;
  const file = findConfigFile(opts);
  if (!file) return parseConfig(undefined, null, env);
  return parseConfig(parseConfigText(readConfigText(file), file), file, env);
}

/** Agents a worktree starts with: its own entry by name, else by branch, else the "*" entry. */
export function agentsForWorktree(cfg: FlowerConfig, worktree: { name: string; branch: string | null }): AgentSpec[] {
  const own = (k: string | null) => (k !== null && Object.hasOwn(cfg.worktrees, k) ? cfg.worktrees[k] : undefined);
  const entry = own(worktree.name) ?? own(worktree.branch) ?? own('*');
  return entry?.agents ?? [];
}

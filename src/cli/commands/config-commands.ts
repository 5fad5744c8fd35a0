import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configCandidates, findConfigFile, loadConfig, repoConfigFile } from '../../config/config.js';
import { readConfigText } from '../../config/read-config-file.js';
import { FlowerError, isFlowerError } from '../../shared/errors.js';
import { locateRepo, type RepoLocation } from '../../core/git/repo.js';
import { redactDeep } from '../../core/store/redact.js';
import { print, type RepoArgs } from './common.js';
import { runEditor } from '../../shared/editor.js';

// `flower-tui config init|edit|path|show|check`: the repository's own config lives in the git common
// dir (`<common>/flower/config.json`), outside MAIN's tree, so configuring flower-tui never makes MAIN
// dirty. None of these needs or starts a server; a running server reloads the file when it changes.

/** What `config init` writes: a start that validates as is, with the usual keys commented in place. */
const TEMPLATE = `// flower-tui's config for this repository (JSON with comments). Every key: docs/config.md.
// \`flower-tui config check\` validates it; a running server reloads it when it is saved.
{
  // How to start each kind of agent (shell, claude, codex and gemini are built in).
  "profiles": {
    // "impl": { "command": "claude", "args": ["--model", "opus"] }
  },
  // Agents each worktree starts with ("*": every worktree without an entry of its own).
  "worktrees": {
    // "*": { "agents": ["shell"] }
  },
  "lanes": {
    // "setup": ["npm ci"],
    // "served": { "portRange": [8100, 8199] }
  },
  "merge": {
    // "gate": "npm test",
    // "health": "curl -fsS localhost:3000/health"
  }
}
`;

async function repoOf(args: RepoArgs): Promise<RepoLocation> {
  return locateRepo(args.repo ?? process.cwd());
}

/** `config path`: the file in use (or none: defaults), and every place looked in, in order. */
export async function configPathCommand(args: RepoArgs): Promise<void> {
  const repo = await repoOf(args);
  const file = findConfigFile({ file: args.config, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  const candidates = args.config ? [path.resolve(args.config)] : configCandidates(repo.mainRoot, process.env, repo.commonDir);
  const human = [
    file ?? '(none: built-in defaults)',
    ...candidates.map((c) => `  ${c === file ? 'in use ' : existsSync(c) ? 'ignored' : 'absent '}  ${c}`),
  ].join('\n');
  print(args, human, { file, candidates: candidates.map((c) => ({ path: c, exists: existsSync(c), inUse: c === file })), repoConfig: repoConfigFile(repo.commonDir) });
}

/** `config check`: validate the config in use; exit 2 with its one line when it is invalid. */
export async function configCheckCommand(args: RepoArgs): Promise<void> {
  const repo = await repoOf(args);
  const cfg = loadConfig({ file: args.config, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  print(args, `ok: ${cfg.source ?? '(none: built-in defaults)'}`, { ok: true, file: cfg.source });
}

/** `config show`: the config in use with every default filled in (env values and secrets redacted). */
export async function configShowCommand(args: RepoArgs): Promise<void> {
  const repo = await repoOf(args);
  const { source, ...cfg } = loadConfig({ file: args.config, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  const shown = redactDeep(cfg);
  process.stdout.write(`${args.json ? '' : `// ${source ?? 'built-in defaults'}\n`}${JSON.stringify(args.json ? { file: source, config: shown } : shown, null, 2)}\n`);
}

/**
 * `config init`: create the repository's own config. A `flower.config.json` in MAIN is copied into
 * it (then it can leave MAIN's tree); otherwise a commented template. Never overwrites without --force.
 */
export async function configInitCommand(args: RepoArgs & { force?: boolean }): Promise<void> {
  const repo = await repoOf(args);
  const file = repoConfigFile(repo.commonDir);
  if (existsSync(file) && !args.force) throw new FlowerError('bad-usage', `${file} exists already (flower-tui config edit opens it; --force replaces it)`);
  const inMain = path.join(repo.mainRoot, 'flower.config.json');
  let text = TEMPLATE;
  let from: string | null = null;
  if (existsSync(inMain)) {
    text = readConfigText(inMain);
    from = inMain;
  }
  writeConfigFile(file, text);
  const note = from ? `copied from ${from} (it is no longer read: remove it from MAIN when you like)` : 'a commented template';
  print(args, `wrote ${file}: ${note}\nedit it with: flower-tui config edit`, { file, copiedFrom: from });
}

/** `config edit`: open the repository's own config in $VISUAL/$EDITOR (created first if need be), then check it. */
export async function configEditCommand(args: RepoArgs): Promise<void> {
  const repo = await repoOf(args);
  const file = args.config ? path.resolve(args.config) : repoConfigFile(repo.commonDir);
  if (!existsSync(file)) writeConfigFile(file, TEMPLATE);
  const failed = runEditor(file);
  if (failed) throw new FlowerError('bad-usage', `${failed}: ${file} is as the editor left it`);
  try {
    loadConfig({ file, mainRoot: repo.mainRoot, commonDir: repo.commonDir });
  } catch (e) {
    if (isFlowerError(e)) throw new FlowerError(e.code, `${e.message} — the file is saved; run flower-tui config edit again to fix it`);
    throw e;
  }
  process.stdout.write(`ok: ${file}\n`);
}

function writeConfigFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
}

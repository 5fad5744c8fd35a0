import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Provisioning a new lane from MAIN: the untracked files it needs (.env and friends), per-lane
 * overrides for served lanes, and no secrets in code-only lanes. File contents never go to the
 * screen or the trace: only file names and key names do.
 */

/** Paths to copy: the config's list plus the include file's lines (# comments, blank lines ignored). */
export function copyList(mainRoot: string, copy: string[], includeFile: string): string[] {
  const out = [...copy];
  const inc = includeFile ? path.join(mainRoot, includeFile) : '';
  if (inc && existsSync(inc)) {
    for (const line of readFileSync(inc, 'utf8').split('\n')) {
      const t = line.trim();
      if (t && !t.startsWith('#')) out.push(t);
    }
  }
  return [...new Set(out)];
}

/** A path from config must stay inside the tree it names: no absolute paths, no "..". */
function safeRelative(p: string): string | null {
  const norm = path.normalize(p);
  if (path.isAbsolute(norm) || norm.startsWith('..') || norm.split(path.sep).includes('..')) return null;
  return norm;
}

/** Copy each listed file that exists in MAIN (regular files only); returns the ones copied. */
export function copyIntoLane(mainRoot: string, lanePath: string, files: string[]): string[] {
  const copied: string[] = [];
  for (const f of files) {
    const rel = safeRelative(f);
    if (!rel) continue;
    const src = path.join(mainRoot, rel);
    try {
      if (!lstatSync(src).isFile()) continue;
    } catch {
      continue;
    }
    const dst = path.join(lanePath, rel);
    mkdirSync(path.dirname(dst), { recursive: true });
    copyFileSync(src, dst);
    copied.push(rel);
  }
  return copied;
}

/** `*_KEY`-style glob → RegExp (only `*` is special), matched against a whole key, case-insensitively. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

const ENV_LINE = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

/** Set keys in .env text: replace existing assignments in place, append the rest. Pure. */
export function applyEnvOverrides(text: string, overrides: Record<string, string>): string {
  const seen = new Set<string>();
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out = lines.map((line) => {
    const m = ENV_LINE.exec(line);
    if (!m || !Object.hasOwn(overrides, m[2]!)) return line;
    seen.add(m[2]!);
    return `${m[1]}${m[2]}${m[3]}${quoteEnv(overrides[m[2]!]!)}`;
  });
  for (const [k, v] of Object.entries(overrides)) if (!seen.has(k)) out.push(`${k}=${quoteEnv(v)}`);
  return out.join('\n') + '\n';
}

function quoteEnv(v: string): string {
  return /^[A-Za-z0-9_./:@%+,-]*$/.test(v) ? v : JSON.stringify(v);
}

/** Empty the values of keys matching any secret pattern. Pure. Returns the new text and the keys emptied. */
export function stripSecrets(text: string, patterns: string[]): { text: string; stripped: string[] } {
  const res = patterns.map(globToRegExp);
  const stripped: string[] = [];
  const out: string[] = [];
  // A stripped value opened with a quote that does not close on its line: drop lines up to the closing one.
  let open: string | null = null;
  for (const line of text.split('\n')) {
    if (open) {
      if (line.includes(open)) open = null;
      continue;
    }
    const m = ENV_LINE.exec(line);
    if (!m || !res.some((r) => r.test(m[2]!))) {
      out.push(line);
      continue;
    }
    stripped.push(m[2]!);
    out.push(`${m[1]}${m[2]}${m[3]}`);
    const v = m[4]!.trimStart();
    const q = v[0];
    if ((q === '"' || q === "'" || q === '`') && !v.slice(1).includes(q)) open = q;
  }
  return { text: out.join('\n'), stripped };
}

/**
 * Values in a served lane's .env that point at MAIN's own port on this machine (`APP_URL=
 * http://localhost:3000`) are moved to the lane's port: otherwise the lane's app would link to, or
 * call, MAIN. Only loopback hosts are touched; `mainPort` is the PORT MAIN's .env had. Pure.
 */
export function rewriteLocalUrls(text: string, mainPort: string, lanePort: number, skip: ReadonlySet<string>): { overrides: Record<string, string>; keys: string[] } {
  const overrides: Record<string, string> = {};
  if (!/^\d+$/.test(mainPort) || mainPort === String(lanePort)) return { overrides, keys: [] };
  const at = new RegExp(`((?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1\\]):)${mainPort}(?!\\d)`, 'g');
  for (const line of text.split('\n')) {
    const m = ENV_LINE.exec(line);
    if (!m || skip.has(m[2]!)) continue;
    const raw = m[4]!.trim();
    const value = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
    const moved = value.replace(at, `$1${lanePort}`);
    if (moved !== value) overrides[m[2]!] = moved;
  }
  return { overrides, keys: Object.keys(overrides) };
}

/** The value of `key` in .env text (quotes removed), or null. */
function envValue(text: string, key: string): string | null {
  for (const line of text.split('\n')) {
    const m = ENV_LINE.exec(line);
    if (m && m[2] === key) {
      const raw = m[4]!.trim();
      return /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
    }
  }
  return null;
}

/** Fill {name} and {port} in override values. */
export function fillTemplate(value: string, vars: { name: string; port: number | null }): string {
  return value.replaceAll('{name}', vars.name).replaceAll('{port}', vars.port === null ? '' : String(vars.port));
}

/** The lowest free port of the range, or null when every one is taken. */
export function allocatePort(range: [number, number], used: Iterable<number>): number | null {
  const taken = new Set(used);
  for (let p = Math.min(range[0], range[1]); p <= Math.max(range[0], range[1]); p++) if (!taken.has(p)) return p;
  return null;
}

/** .env-like files among those copied (.env, .env.local, config/.env.production …). */
export function isEnvFile(rel: string): boolean {
  return /(^|\/)\.env(\.[^/]*)?$/.test(rel);
}

export interface ProvisionResult {
  copied: string[];
  /** Keys set from the served template (values not reported: they may be secrets). */
  overridden: string[];
  /** Keys whose values were removed in a code-only lane. */
  stripped: string[];
}

export function provisionLane(opts: {
  mainRoot: string;
  lanePath: string;
  files: string[];
  kind: 'served' | 'code-only';
  name: string;
  port: number | null;
  servedEnv: Record<string, string>;
  /** Move localhost URLs at MAIN's PORT to the lane's port (lanes.served.rewriteUrls). */
  rewriteUrls?: boolean;
  secretPatterns: string[];
}): ProvisionResult {
  const copied = copyIntoLane(opts.mainRoot, opts.lanePath, opts.files);
  const result: ProvisionResult = { copied, overridden: [], stripped: [] };
  if (opts.kind === 'served') {
    const overrides: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.servedEnv)) overrides[k] = fillTemplate(v, { name: opts.name, port: opts.port });
    const envPath = path.join(opts.lanePath, '.env');
    const before = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
    const mainPort = envValue(before, 'PORT');
    if (opts.rewriteUrls !== false && opts.port !== null && mainPort !== null) {
      Object.assign(overrides, rewriteLocalUrls(before, mainPort, opts.port, new Set(Object.keys(overrides))).overrides);
    }
    if (Object.keys(overrides).length) {
      writeFileSync(envPath, applyEnvOverrides(before, overrides), { mode: 0o600 });
      result.overridden = Object.keys(overrides);
    }
  } else {
    for (const rel of copied.filter(isEnvFile)) {
      const p = path.join(opts.lanePath, rel);
      const { text, stripped } = stripSecrets(readFileSync(p, 'utf8'), opts.secretPatterns);
      writeFileSync(p, text);
      result.stripped.push(...stripped.map((k) => `${rel}:${k}`));
    }
  }
  return result;
}

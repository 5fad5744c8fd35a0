/**
 * Secrets never reach disk through flower-tui: environment values and anything that looks like a
 * credential are replaced before state or trace is written. Keys are kept, so a reader still sees
 * *which* variables were set.
 */
export const REDACTED = '«redacted»';

/** Values that look like credentials whatever their key: API keys, bearer tokens, JWTs, PEM blocks. */
const SECRET_VALUE = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\b(ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer)\s+[A-Za-z0-9._~+/-]{16,}=*/gi,
];

/** Words that make a key name secret, wherever they stand in it (snake_case, camelCase, dotted). */
const SECRET_WORDS = new Set(['token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'pass', 'credential', 'credentials', 'auth', 'apikey', 'privatekey']);

/** Split a key into lower-case words: STRIPE_SECRET_KEY, apiToken, db.password, client-secret. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.\-\s]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  // "…_KEY" / "apiKey" name a key; "KEY_NAME" or "monkey" do not.
  return words.some((w) => SECRET_WORDS.has(w)) || (words.length > 0 && words[words.length - 1] === 'key') || /password/i.test(key);
}

/** Every value replaced: environment maps are secret by default (we cannot know which are). */
export function redactEnv(env: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env ?? {})) out[k] = REDACTED;
  return out;
}

/** Credential-looking substrings and `SECRET_KEY=value` assignments in free text. */
export function redactText(text: string): string {
  let s = text;
  for (const re of SECRET_VALUE) s = s.replace(re, (m, p1: string | undefined) => (p1 && /bearer/i.test(p1) ? `${p1} ${REDACTED}` : REDACTED));
  // "key": "value" where the key names a secret (JSON in free text).
  s = s.replace(/(["'])([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*:\s*)(["'])((?:(?!\4)[^\\]|\\.)*)\4/g, (m, q: string, k: string, sep: string, vq: string) =>
    isSecretKey(k) ? `${q}${k}${q}${sep}${vq}${REDACTED}${vq}` : m,
  );
  // KEY=value and KEY: value where the key names a secret (.env lines, shell exports, YAML).
  s = s.replace(/\b([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"']+)/g, (m, k: string, sep: string) => (isSecretKey(k) ? `${k}${sep}${REDACTED}` : m));
  return s;
}

/** A flag naming a secret whose value is the next argument: `--password hunter2`, `--api-key sk-…`. */
const SECRET_FLAG = /^-{1,2}([A-Za-z][A-Za-z0-9_.-]*)$/;

/**
 * A command line with its secrets removed: each argument as free text (`--api-key=sk-…`,
 * `TOKEN=…`), and the argument after a flag that names a secret (`--password hunter2`).
 */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((a, i) => {
    const flag = i > 0 ? SECRET_FLAG.exec(args[i - 1]!) : null;
    return flag && isSecretKey(flag[1]!) ? REDACTED : redactText(a);
  });
}

/**
 * Deep copy with secrets removed: `env` objects lose their values, secret-named keys lose theirs,
 * `args` arrays are redacted as command lines, other strings are scanned.
 */
export function redactDeep<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (key && isSecretKey(key) ? REDACTED : redactText(value)) as T;
  if (key === 'args' && Array.isArray(value) && value.every((v) => typeof v === 'string')) return redactArgs(value as string[]) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    if (key === 'env') return redactEnv(value as Record<string, string>) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, k);
    return out as T;
  }
  return value;
}

// Installs a real agent CLI from the npm registry into a cache outside the repo, for tests that
// drive the real thing. The CLIs are never dependencies of the project: they are big (each ships a
// ~300–400 MB native binary), versioned independently, and only these tests need them.
//
// Layout: <root>/<pkg with / as +>-<version>/ is a complete `npm install --prefix` tree, made in a
// staging directory next to it and renamed into place only after its binary ran `--version`, so a
// reader never sees a half-installed tree. A mkdir lock (<final>.lock, with the owner's pid and
// stale-lock recovery) keeps two test files from installing the same version at once.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type AgentCliPackage = '@anthropic-ai/claude-code' | '@openai/codex';

/**
 * Known-good versions, checked on Node 20 with the mock servers in this folder.
 * - claude-code 2.1.330: the newest. Its package.json says engines.node >= 22, but since 2.1.x the
 *   package is only a wrapper around a native binary (from the optional dependency
 *   @anthropic-ai/claude-code-<platform>); Node runs only its postinstall, which works on Node 20,
 *   and npm merely warns (EBADENGINE). We run the native binary directly.
 * - codex 0.169.0: the newest; engines.node >= 16. Also a native (Rust, musl) binary in an optional
 *   dependency (@openai/codex-<platform>, published as @openai/codex@<version>-<platform>).
 */
export const DEFAULT_AGENT_CLI_VERSIONS: Record<AgentCliPackage, string> = {
  '@anthropic-ai/claude-code': '2.1.330',
  '@openai/codex': '0.169.0',
};

/** Where the cache lives: $FLOWER_AGENT_CLI_CACHE, else <tmpdir>/flower-agent-cli-cache. */
export function agentCliCacheRoot(): string {
  return process.env.FLOWER_AGENT_CLI_CACHE || path.join(tmpdir(), 'flower-agent-cli-cache');
}

const reasons = new Map<string, string>();

/** Why the last `ensureAgentCli(pkg, version)` returned null (for the skip message). */
export function whyNoAgentCli(pkg: AgentCliPackage, version?: string): string {
  return reasons.get(`${pkg}@${version ?? DEFAULT_AGENT_CLI_VERSIONS[pkg]}`) ?? 'unknown reason';
}

/** How to run an executable `ensureAgentCli` returned: JS files go through this Node. */
export function agentCliCommand(bin: string): { file: string; args: string[] } {
  return isJsFile(bin) ? { file: process.execPath, args: [bin] } : { file: bin, args: [] };
}

const inFlight = new Map<string, Promise<string | null>>();

/**
 * Install `pkg@version` (default: the pinned version) into the cache unless it is there already,
 * and return the executable to run, or null when that is impossible here (no registry, no binary
 * for this platform, the binary does not run); `whyNoAgentCli` says why.
 * Set FLOWER_SKIP_REAL_AGENTS=1 to skip without trying.
 */
export function ensureAgentCli(pkg: AgentCliPackage, version?: string): Promise<string | null> {
  const v = version ?? DEFAULT_AGENT_CLI_VERSIONS[pkg];
  const key = `${pkg}@${v}`;
  let p = inFlight.get(key);
  if (!p) {
    p = ensure(pkg, v).then(
      (r) => {
        if (typeof r === 'string' && !r.startsWith('/')) {
          reasons.set(key, r);
          return null;
        }
        return r;
      },
      (e: unknown) => {
        reasons.set(key, e instanceof Error ? e.message : String(e));
        return null;
      },
    );
    inFlight.set(key, p);
  }
  return p;
}

/** Returns the absolute executable path, or a reason (not starting with '/') why there is none. */
async function ensure(pkg: AgentCliPackage, version: string): Promise<string> {
  if (process.env.FLOWER_SKIP_REAL_AGENTS === '1') return 'FLOWER_SKIP_REAL_AGENTS=1';
  if (!/^[0-9A-Za-z.+-]+$/.test(version)) return `bad version ${JSON.stringify(version)}`;
  const root = agentCliCacheRoot();
  mkdirSync(root, { recursive: true });
  const final = path.join(root, `${pkg.replace(/\//g, '+')}-${version}`);
  const ready = (): string | null => {
    if (!existsSync(path.join(final, '.flower-ready'))) return null;
    return resolveBin(final, pkg);
  };
  const have = ready();
  if (have) return have;

  const lock = `${final}.lock`;
  await acquireLock(lock, 10 * 60_000);
  try {
    const again = ready(); // someone else finished while we waited
    if (again) return again;
    const staging = `${final}.staging-${process.pid}-${Date.now()}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    try {
      const r = await run(npmCommand(), [
        'install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--no-package-lock',
        '--engine-strict=false', '--fetch-retries=1', '--loglevel=error', `${pkg}@${version}`,
      ], { cwd: staging, timeoutMs: 8 * 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
      if (r.code !== 0) return `npm install ${pkg}@${version} failed (${r.code}): ${lastLines(r.stderr || r.stdout)}`;
      const bin = resolveBin(staging, pkg);
      if (!bin) return `${pkg}@${version} installed but has no executable for ${process.platform}-${process.arch}`;
      const cmd = agentCliCommand(bin);
      const probe = await run(cmd.file, [...cmd.args, '--version'], { cwd: staging, timeoutMs: 60_000, env: { ...process.env, HOME: staging } });
      if (probe.code !== 0 || !probe.stdout.includes(version)) {
        return `${bin} --version did not report ${version} (exit ${probe.code}): ${lastLines(probe.stdout + probe.stderr)}`;
      }
      writeFileSync(path.join(staging, '.flower-ready'), `${pkg}@${version}\n${probe.stdout.trim()}\n`);
      rmSync(final, { recursive: true, force: true }); // a leftover without the ready marker
      renameSync(staging, final);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return ready() ?? `${pkg}@${version}: executable vanished after install`;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function npmCommand(): string {
  const beside = path.join(path.dirname(process.execPath), 'npm');
  return existsSync(beside) ? beside : 'npm';
}

/** The executable of an installed tree, preferring the native binary of the platform package. */
function resolveBin(prefix: string, pkg: AgentCliPackage): string | null {
  const nm = path.join(prefix, 'node_modules');
  const plat = platformKey();
  const candidates: string[] = [];
  if (pkg === '@anthropic-ai/claude-code') {
    if (plat) candidates.push(path.join(nm, `@anthropic-ai/claude-code-${plat.claude}`, process.platform === 'win32' ? 'claude.exe' : 'claude'));
  } else if (plat) {
    const exe = process.platform === 'win32' ? 'codex.exe' : 'codex';
    candidates.push(
      path.join(nm, `@openai/codex-${plat.codexPkg}`, 'vendor', plat.triple, 'bin', exe), // 0.1xx layout
      path.join(nm, `@openai/codex-${plat.codexPkg}`, 'vendor', plat.triple, 'codex', exe),
      path.join(nm, '@openai/codex', 'vendor', plat.triple, 'codex', exe), // older: all platforms in one package
    );
  }
  // The package's own bin: a native binary (claude-code 2.x after its postinstall) or a JS file.
  try {
    const manifest = JSON.parse(readFileSync(path.join(nm, pkg, 'package.json'), 'utf8'));
    const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
    for (const b of bins) if (typeof b === 'string') candidates.push(path.join(nm, pkg, b));
  } catch {
    /* not installed */
  }
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    if (isNativeExecutable(c) || isJsFile(c)) return c;
  }
  return null;
}

function platformKey(): { claude: string; codexPkg: string; triple: string } | null {
  const arch = process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null;
  if (!arch) return null;
  if (process.platform === 'linux') {
    const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
    return {
      claude: glibc ? `linux-${arch}` : `linux-${arch}-musl`,
      codexPkg: `linux-${arch}`,
      triple: arch === 'x64' ? 'x86_64-unknown-linux-musl' : 'aarch64-unknown-linux-musl',
    };
  }
  if (process.platform === 'darwin') {
    return { claude: `darwin-${arch}`, codexPkg: `darwin-${arch}`, triple: arch === 'x64' ? 'x86_64-apple-darwin' : 'aarch64-apple-darwin' };
  }
  if (process.platform === 'win32') {
    return { claude: `win32-${arch}`, codexPkg: `win32-${arch}`, triple: arch === 'x64' ? 'x86_64-pc-windows-msvc' : 'aarch64-pc-windows-msvc' };
  }
  return null;
}

function head(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function isNativeExecutable(file: string): boolean {
  try {
    if (statSync(file).size < 1024 * 1024) return false; // the 2.x placeholder stubs are tiny
    const h = head(file, 4);
    const elf = h[0] === 0x7f && h[1] === 0x45 && h[2] === 0x4c && h[3] === 0x46;
    const macho = h.readUInt32BE(0) === 0xcffaedfe || h.readUInt32BE(0) === 0xcafebabe;
    const pe = h[0] === 0x4d && h[1] === 0x5a;
    return elf || macho || pe;
  } catch {
    return false;
  }
}

function isJsFile(file: string): boolean {
  if (/\.(c|m)?js$/.test(file)) return true;
  try {
    return /^#!.*\bnode\b/.test(head(file, 128).toString('utf8').split('\n')[0] ?? '');
  } catch {
    return false;
  }
}

function lastLines(s: string): string {
  const lines = s.trim().split('\n').filter((l) => l.trim());
  // npm's own error lines say what went wrong; its trailing ones only point at a log file.
  const npm = lines.filter((l) => /^npm error /.test(l) && !/complete log|^npm error\s*$/.test(l));
  return (npm.length ? npm.slice(0, 4) : lines.slice(-6)).join(' | ').slice(0, 800);
}

function run(file: string, args: string[], opts: { cwd: string; timeoutMs: number; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === 1 && !stderr ? err.message : '') });
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** mkdir is atomic: whoever creates the directory holds the lock. A dead owner's lock is taken over. */
async function acquireLock(lock: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'owner'), `${process.pid}\n`);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let stale = false;
    try {
      const owner = Number(readFileSync(path.join(lock, 'owner'), 'utf8').trim());
      stale = !(owner > 0 && pidAlive(owner)) || Date.now() - statSync(lock).mtimeMs > timeoutMs;
    } catch {
      // no owner file yet: stale only if the directory is old (its creator died between the two calls)
      try {
        stale = Date.now() - statSync(lock).mtimeMs > 30_000;
      } catch {
        stale = false; // removed meanwhile: just retry
      }
    }
    if (stale) {
      // Rename before removing, so two waiters cannot both remove a lock a third just took.
      const grave = `${lock}.stale-${process.pid}-${Date.now()}`;
      try {
        renameSync(lock, grave);
        rmSync(grave, { recursive: true, force: true });
      } catch {
        /* someone else got there */
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock}`);
    await sleep(250);
  }
}

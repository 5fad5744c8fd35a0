/**
 * The sandbox as data: which parts of the filesystem a process flower-tui starts may write, turned
 * into a bubblewrap argument list. Pure — every path is decided by the caller (sandbox-plan.ts), so
 * the policy can be unit-tested without bwrap, git or a filesystem.
 *
 * The shape (docs/sandbox.md): the user's filesystem as it is, then MAIN and the git common dir
 * re-bound read-only, then the few places the process's own work needs re-opened for writing.
 * Later binds cover earlier ones, so the order below *is* the policy.
 */

export type OtherLanesMode = 'read-only' | 'hidden' | 'writable';

/** Another worktree: its working tree and its admin dir under `<common>/worktrees/`. */
export interface SandboxWorktree {
  path: string;
  adminDir: string | null;
}

export interface SandboxPolicy {
  /** Where the process works: a lane (writable, with its admin dir), or MAIN (ops process, health check). */
  self: { kind: 'lane'; path: string; adminDir: string | null } | { kind: 'main' };
  mainRoot: string;
  commonDir: string;
  /** MAIN's checked-out branch ref file (absolute); kept read-only so no lane can move it. */
  mainBranchRef: string | null;
  otherLanes: SandboxWorktree[];
  otherLanesMode: OtherLanesMode;
  /** Absolute paths in MAIN a served app must write at run time (MAIN processes only). */
  mainWritable: string[];
  /** Secret files shown empty (absolute paths)... */
  maskFiles: string[];
  /**
   * ...by binding this empty, read-only regular file over each (not /dev/null: bwrap's binds are
   * nodev, so a device reads as "Permission denied" instead of empty).
   */
  emptyFile: string;
  /** Directories flower-tui's own hooks write for this process (the SessionStart hook's file). */
  writableDirs: string[];
  /** The process's working directory inside the sandbox. */
  cwd: string;
  /**
   * Run as root: root appears as this ordinary uid in the sandbox's own user namespace, so nested
   * sandboxes (Codex's, Claude Code's) work (root-identity.ts). Null otherwise.
   */
  identity?: { uid: number; gid: number; passwdFile: string; groupFile: string } | null;
}

/** Directories of the common dir a lane's own git writes: objects, refs (and reflogs). */
const LANE_GIT_DIRS = ['objects', 'refs', 'logs'];

export function bwrapArgs(p: SandboxPolicy): string[] {
  const a: string[] = [
    // Tied to the pty's process: if bwrap's parent goes, everything inside goes.
    '--die-with-parent',
    // Its own pid namespace: nothing inside can see, signal or ptrace flower-tui's server (which
    // writes MAIN), and when the agent's tree ends the kernel reaps whatever it left behind.
    '--unshare-pid',
    // Run as root, bwrap would keep every capability, and CAP_SYS_ADMIN can simply unmount the
    // read-only binds. Unprivileged, bwrap drops them anyway; saying so costs nothing.
    '--cap-drop', 'ALL',
    ...(p.identity ? ['--unshare-user', '--uid', String(p.identity.uid), '--gid', String(p.identity.gid)] : []),
    // Everything as the user has it (HOME, /tmp, caches, the network, devices, ptys)...
    '--dev-bind', '/', '/',
    '--proc', '/proc',
    ...(p.identity ? ['--ro-bind', p.identity.passwdFile, '/etc/passwd', '--ro-bind', p.identity.groupFile, '/etc/group'] : []),
    // ...except MAIN and git's shared state, read-only...
    '--ro-bind', p.mainRoot, p.mainRoot,
    '--ro-bind', p.commonDir, p.commonDir,
  ];
  // ...other lanes as configured...
  for (const w of p.otherLanes) {
    if (p.otherLanesMode === 'read-only') a.push('--ro-bind-try', w.path, w.path);
    else if (p.otherLanesMode === 'hidden') a.push('--tmpfs', w.path, '--remount-ro', w.path);
    else {
      a.push('--bind-try', w.path, w.path);
      if (w.adminDir) a.push('--bind-try', w.adminDir, w.adminDir);
    }
  }
  if (p.self.kind === 'lane') {
    // ...the lane itself writable (even when it lives inside MAIN or another lane's directory)...
    a.push('--bind', p.self.path, p.self.path);
    // ...and what its git writes: objects, refs, logs, and its own admin dir (HEAD, index,
    // index.lock, rebase state — outside the worktree, the trap that breaks `git commit`).
    for (const d of LANE_GIT_DIRS) a.push('--bind-try', `${p.commonDir}/${d}`, `${p.commonDir}/${d}`);
    if (p.self.adminDir) a.push('--bind-try', p.self.adminDir, p.self.adminDir);
    // MAIN's branch stays where merges put it: a ref moves by renaming `<ref>.lock` over the ref
    // file, which fails on a mount point (update-ref, branch -f, push . X:main).
    if (p.mainBranchRef) a.push('--ro-bind-try', p.mainBranchRef, p.mainBranchRef);
  } else {
    for (const w of p.mainWritable) a.push('--bind-try', w, w);
  }
  for (const d of p.writableDirs) a.push('--bind-try', d, d);
  // Secrets last, so no writable re-bind above uncovers one.
  for (const f of p.maskFiles) a.push('--ro-bind-try', p.emptyFile, f);
  a.push('--setenv', 'FLOWER_SANDBOX', 'bwrap', '--chdir', p.cwd);
  return a;
}

/** The argument vector that runs `file args` inside the sandbox (no shell in between). */
export function wrapCommand(bwrap: string, policyArgs: string[], file: string, args: string[]): { file: string; args: string[] } {
  return { file: bwrap, args: [...policyArgs, '--', file, ...args] };
}

/** Variables whose names say "secret" (the lanes' secretPatterns, e.g. `*_KEY`), as a matcher. */
export function secretNameMatcher(patterns: string[]): (name: string) => boolean {
  const res = patterns.map((g) => new RegExp(`^${g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
  return (name) => res.some((r) => r.test(name));
}

/**
 * A code-only lane's environment: secret-named variables removed, except those the agent itself
 * needs to talk to its model (`keep`, e.g. ANTHROPIC_API_KEY) and what the profile sets explicitly.
 */
export function stripSecretEnv(env: Record<string, string>, patterns: string[], keep: string[], explicit: Record<string, string> = {}): Record<string, string> {
  const isSecret = secretNameMatcher(patterns);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (!isSecret(k) || keep.includes(k) || k in explicit) out[k] = v;
  return out;
}

import { z } from 'zod';

/**
 * `hosts`: other machines whose flower-tui servers this one reaches over SSH (issue 19). A host is
 * whatever `ssh` accepts as a destination — a `~/.ssh/config` alias with its ProxyJump and
 * ControlMaster, or user@name — plus the path of the project's clone there. Nothing listens on a
 * network port: each connection is `ssh -T DEST COMMAND server bridge --repo REPO`, joined to that
 * host's own socket by its flower-tui.
 */
export const HostSchema = z.strictObject({
  /** The ssh destination. */
  ssh: z
    .string()
    .min(1, 'must not be empty')
    .refine((s) => !s.startsWith('-') && !/\s/.test(s), 'an ssh destination (user@host or a ~/.ssh/config alias), no options: put those in sshArgs'),
  /** The clone of this project on the host: an absolute path, or one under the remote home ("~/…"). */
  repo: z
    .string()
    .min(1, 'must not be empty')
    .refine((p) => p.startsWith('/') || p.startsWith('~/'), 'an absolute path on the host, or "~/…"'),
  /** How to run flower-tui there (words, split on spaces), e.g. "npx flower-tui" or "node /opt/flower-tui/bin/flower-tui.js". */
  command: z.string().min(1, 'must not be empty').default('flower-tui'),
  /** Extra ssh options for this host only (e.g. ["-p", "2222"]; most belong in ~/.ssh/config). */
  sshArgs: z.array(z.string().min(1)).default([]),
});
export type HostConfig = z.infer<typeof HostSchema>;

/** Host names show in lane labels (`box:feature-x`) and in `--host NAME`. */
export const HostsSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'host names: letters, digits, ".", "_" and "-"')
      .refine((n) => !['local', 'MAIN', '__proto__', 'constructor', 'prototype'].includes(n), 'a reserved name'),
    HostSchema,
  )
  .default({});

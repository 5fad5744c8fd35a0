/**
 * The server's memory allocator: jemalloc when the system has it (Debian: libjemalloc2), glibc's
 * malloc otherwise. Why: xterm keeps each row in its own small typed array, malloc'd outside V8's
 * heap. A burst of output allocates thousands of them and the scrollback archive frees most a few
 * seconds later; glibc keeps those pages (they lie between live allocations, and only the top of
 * its heap is ever trimmed), so a server that printed 16 × 10 000 lines stayed ~80 MB larger than
 * the rows it still held. jemalloc returns freed pages to the system after `dirty_decay_ms` (a
 * background thread does it even when the server is idle): measured with 16 archived screens ×
 * 10 000 lines, 182 MB resident eight seconds after the burst with glibc, 100 MB with jemalloc.
 *
 * Only the server process preloads it: the starter (the cockpit or a command) sets LD_PRELOAD and
 * MALLOC_CONF for `server run` and saves the user's own values beside them; the server puts those
 * back into its environment first thing (restoreUserAllocatorEnv), so agents, gates and ssh get
 * the user's environment, not ours. `FLOWER_ALLOCATOR=system` keeps glibc's malloc.
 */
import { existsSync } from 'node:fs';

/** Where Debian, Ubuntu, Fedora and Arch put it. */
const JEMALLOC_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/** Freed pages go back after 1 s of quiet (jemalloc's default is 10 s, then another 10 s "muzzy"). */
const JEMALLOC_CONF = 'background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0';

/** The user's own LD_PRELOAD and MALLOC_CONF while the server's replace them (JSON; null: unset). */
export const SAVED_ALLOCATOR_ENV = 'FLOWER_SAVED_ALLOCATOR_ENV';

interface SavedEnv {
  LD_PRELOAD: string | null;
  MALLOC_CONF: string | null;
}

/** The jemalloc library to preload, or null (none installed, not Linux, or FLOWER_ALLOCATOR=system). */
export function jemallocPath(env: NodeJS.ProcessEnv, exists: (p: string) => boolean = existsSync, platform = process.platform): string | null {
  if (platform !== 'linux' || env.FLOWER_ALLOCATOR === 'system') return null;
  return JEMALLOC_PATHS.find((p) => exists(p)) ?? null;
}

/** The environment `server run` starts with: `env` plus jemalloc, the user's values saved. */
export function serverAllocatorEnv(env: NodeJS.ProcessEnv, lib: string | null): NodeJS.ProcessEnv {
  if (!lib) return env;
  const saved: SavedEnv = { LD_PRELOAD: env.LD_PRELOAD ?? null, MALLOC_CONF: env.MALLOC_CONF ?? null };
  return {
    ...env,
    // The user's own preloads stay (after ours): the server ran with them before.
    LD_PRELOAD: saved.LD_PRELOAD ? `${lib}:${saved.LD_PRELOAD}` : lib,
    // A user's own MALLOC_CONF was meant for jemalloc too, so it stays in force.
    MALLOC_CONF: saved.MALLOC_CONF ?? JEMALLOC_CONF,
    [SAVED_ALLOCATOR_ENV]: JSON.stringify(saved),
  };
}

/** In the server, first thing: the environment as the user had it (the library stays loaded). */
export function restoreUserAllocatorEnv(env: NodeJS.ProcessEnv): void {
  const raw = env[SAVED_ALLOCATOR_ENV];
  if (raw === undefined) return;
  delete env[SAVED_ALLOCATOR_ENV];
  let saved: Partial<SavedEnv> = {};
  try {
    saved = JSON.parse(raw) as Partial<SavedEnv>;
  } catch {
    /* not ours to keep: both go */
  }
  for (const k of ['LD_PRELOAD', 'MALLOC_CONF'] as const) {
    const v = saved[k];
    if (typeof v === 'string') env[k] = v;
    else delete env[k];
  }
}

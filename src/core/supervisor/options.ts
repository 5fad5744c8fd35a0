import type { FlowerConfig } from '../../config/config.js';
import type { RepoLocation } from '../git/repo.js';
import type { StateStore } from '../store/state-store.js';
import type { TraceWriter } from '../store/trace.js';

export interface SupervisorOptions {
  repo: RepoLocation;
  config: FlowerConfig;
  /** Where agents are remembered across restarts (none: nothing is remembered). */
  store?: StateStore;
  /** The append-only record of every action (none: nothing is recorded). */
  trace?: TraceWriter;
  /** Environment agents inherit (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * Git is re-read when its files change; this is the safety poll behind that (default: the config's
   * monitor.gitPollMs). 0 disables every automatic refresh, watching included (tests refresh by command).
   */
  pollMs?: number;
  /**
   * How agents' hooks reach us (a server's socket, and the command line that runs `flower-tui`):
   * without it only screen and transcript guesses say what agents are doing.
   */
  hooks?: { socket: string; command: string };
}

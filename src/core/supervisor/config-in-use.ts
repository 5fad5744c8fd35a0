import type { FlowerConfig } from '../../config/config.js';

/**
 * The config in use (read on use by merges, lanes and spawns, so a new one applies at once) and,
 * when the file on disk is not it, why (an invalid new file, set by the server's ConfigReload).
 */
export class ConfigInUse {
  private issue: string | null = null;

  constructor(
    private config: FlowerConfig,
    /** What is shown changed (the problem is in the snapshot). */
    private readonly changed: () => void,
  ) {}

  get current(): FlowerConfig {
    return this.config;
  }

  replace(config: FlowerConfig): void {
    this.config = config;
  }

  get problem(): string | null {
    return this.issue;
  }

  setProblem(problem: string | null): void {
    if (problem === this.issue) return;
    this.issue = problem;
    this.changed();
  }
}

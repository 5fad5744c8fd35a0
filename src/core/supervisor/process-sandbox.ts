import type { FlowerConfig } from '../../config/config.js';
import type { RepoLocation } from '../git/repo.js';
import { planSandbox, type SandboxDecision } from '../sandbox/sandbox-plan.js';
import type { WorktreeInfo } from '../types.js';

/** What the sandbox of a process is decided from, read at each start. */
export interface SandboxSources {
  config: FlowerConfig;
  repo: RepoLocation;
  worktrees: WorktreeInfo[];
  laneKind(name: string): 'served' | 'code-only' | null;
  envPath: string | undefined;
}

/**
 * The sandbox of one process flower-tui starts (agent, setup, gate in a lane; ops, health in MAIN),
 * from the current config and worktrees: decided at each start, so a respawn sees new lanes.
 */
export function processSandbox(s: SandboxSources, worktree: string, cwd: string, hookDirs: string[] = []): SandboxDecision {
  return planSandbox(
    {
      config: s.config.sandbox,
      mainRoot: s.repo.mainRoot,
      commonDir: s.repo.commonDir,
      worktrees: s.worktrees,
      laneKind: s.laneKind,
      secretPatterns: s.config.lanes.secretPatterns,
      envPath: s.envPath,
    },
    { worktree, cwd, hookDirs },
  );
}

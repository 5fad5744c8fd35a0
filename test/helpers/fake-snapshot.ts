import type { AgentInfo, Snapshot } from '../../src/core/types.js';

/** A snapshot as the supervisor would report it, for UI tests that need no processes. */
export function fakeSnapshot(lanes: Record<string, string[]> = { 'feature-auth': ['claude', 'shell'], design: ['codex'] }): Snapshot {
  const agents: AgentInfo[] = [];
  for (const [wt, names] of Object.entries(lanes)) {
    for (const name of names) {
      agents.push({
        id: `${wt}/${name}`, name, worktree: wt, profile: name.replace(/-\d+$/, ''), command: name, args: [], cwd: `/repo-${wt}`,
        state: { kind: 'running' }, pid: 1000 + agents.length, cols: 80, rows: 24, startedAt: 0, respawns: 0, sessionId: null,
        usage: { source: 'none', tokens: null, window: null, percent: null, level: 'unknown', compacted: false, file: null, updatedAt: null }, activity: 'unknown', status: { state: 'running', reason: null, since: new Date().toISOString(), source: 'process', hookAt: null }, refreshCount: 0, sandbox: 'bwrap', sandboxReason: null,
      });
    }
  }
  return {
    repo: { mainRoot: '/repo', commonDir: '/repo/.git' },
    worktrees: [
      { name: 'MAIN', path: '/repo', branch: 'main', head: 'abc', isMain: true, locked: false, prunable: false },
      ...Object.keys(lanes).map((name) => ({ name, path: `/repo-${name}`, branch: name, head: 'def', isMain: false, locked: false, prunable: false })),
    ],
    agents,
    main: { branch: 'main', headShort: 'abc1234', subject: 'Merge feature-x', changes: 0, changed: [], error: null },
    profiles: [
      { name: 'shell', command: '/bin/bash', description: 'your login shell' },
      { name: 'claude', command: 'claude', description: 'Claude Code' },
    ],
    notices: [],
    pendingRestore: [],
    savedFocus: null,
    merge: null,
    monitor: {
      health: { command: null, state: 'off', lastOk: null, lastFailure: null, output: [], checkedAt: null },
      merges: [],
      dirty: [],
      ops: null,
    },
    briefs: [],
  };
}

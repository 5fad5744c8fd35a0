import type { Profile } from '../../src/config/schema.js';
import type { AgentRecord } from '../../src/core/store/state-store.js';

/** A state file's record of a running agent `feat/echo`; `over` changes what a test is about. */
export function agentRecord(over: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id: 'feat/echo',
    name: 'echo',
    worktree: 'feat',
    profile: 'echo',
    args: [],
    cwd: '/repo-feat',
    sessionId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    refreshCount: 0,
    running: true,
    ...over,
  };
}

export const profile = (p: Partial<Profile> = {}): Profile => ({ command: 'agent', args: [], env: {}, ...p });
/** Session args as Claude Code takes them: an id of our choosing to start, the same to resume. */
export const claudeLike = profile({ session: { newArgs: ['--session-id', '{sessionId}'], resumeArgs: ['--resume', '{sessionId}'] } });
/** As Codex takes them: it picks the id itself, so there is only a resume form. */
export const codexLike = profile({ session: { resumeArgs: ['resume', '{sessionId}'] } });

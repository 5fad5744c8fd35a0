import { randomUUID } from 'node:crypto';
import type { Profile } from '../../config/schema.js';

/**
 * The args that start or continue a profile's conversation, and the session id they name. Pure apart
 * from the fresh id: how "resume" and "fresh" differ is decided here and nowhere else.
 */
export function sessionArgs(profile: Profile, mode: 'fresh' | 'resume', sessionId: string | null, newId: () => string = randomUUID): { args: string[]; sessionId: string | null; resumed: boolean } {
  const s = profile.session;
  if (!s) return { args: [], sessionId: null, resumed: false };
  const fill = (args: string[], id: string) => args.map((a) => a.replaceAll('{sessionId}', id));
  if (mode === 'resume' && sessionId) return { args: fill(s.resumeArgs, sessionId), sessionId, resumed: true };
  if (s.newArgs) {
    const id = newId();
    return { args: fill(s.newArgs, id), sessionId: id, resumed: false };
  }
  // No way to choose an id up front (Codex): start fresh; the id is learnt later from its transcript.
  return { args: [], sessionId: null, resumed: false };
}

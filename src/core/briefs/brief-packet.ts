import type { Brief } from './brief.js';

/**
 * What an agent receives when a brief is dispatched to it: everything it needs to start and to
 * report back, in one paste. Pure, so `brief show --as-agent` prints exactly what was (or would be) sent.
 */
export function briefPacket(b: Brief, where: { lane: string; branch: string | null; agent: string }): string {
  const lines = [
    `# Brief #${b.id}: ${b.title}`,
    '',
    `You are ${where.agent}, working in lane ${where.lane}${where.branch ? ` (branch ${where.branch})` : ''}. Work only in this lane; MAIN only ever receives merged code.`,
    '',
    '## Spec',
    '',
    b.spec.trim() || '(no spec: the title is the brief)',
    '',
    '## Report back',
    '',
    `1. Claim it first: \`flower-tui brief claim ${b.id}\` (or the MCP tool claim_brief).`,
    `2. Commit in this lane and add the trailer \`Brief: #${b.id}\` to each commit message.`,
    `3. Notes for the operator: \`flower-tui brief note ${b.id} "..."\`.`,
    `4. When it is done and committed: \`flower-tui brief done ${b.id} --summary "..."\` (it then waits for the merge).`,
  ];
  return lines.join('\n');
}

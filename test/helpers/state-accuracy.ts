// Scores the state transitions a scripted agent session produced against the ones it should have
// (used by the accuracy run with the real Claude Code). Pure.

export interface TurnRecord {
  kind: 'plain' | 'tool';
  /** When the prompt was sent, and (tool turns) when the permission prompt was answered. */
  sentAt: number;
  answeredAt: number | null;
  /** The model requests of the turn (the mock's arrival times), in order. */
  requests: { at: number; toolUse: boolean }[];
  /** The transitions the trace recorded during the turn. */
  observed: { state: string; source: string; at: number }[];
}

export interface AccuracyReport {
  expected: number;
  observed: number;
  matched: number;
  missed: number;
  invented: number;
  notFromHooks: number;
  /** Per state: how long after its event each matched transition was recorded (ms). */
  latency: Record<string, { n: number; median: number; max: number }>;
  mismatches: string[];
}

const EXPECTED: Record<TurnRecord['kind'], string[]> = {
  plain: ['working', 'idle'],
  tool: ['working', 'needs-you', 'working', 'idle'],
};

export function stateAccuracy(turns: readonly TurnRecord[]): AccuracyReport {
  let expected = 0;
  let observed = 0;
  let matched = 0;
  let notFromHooks = 0;
  const lat: Record<string, number[]> = {};
  const mismatches: string[] = [];
  turns.forEach((t, i) => {
    const want = EXPECTED[t.kind];
    const got = t.observed.map((o) => o.state);
    expected += want.length;
    observed += got.length;
    notFromHooks += t.observed.filter((o) => o.source !== 'hook').length;
    const m = lcs(want, got);
    matched += m;
    if (m !== want.length || got.length !== want.length) mismatches.push(`turn ${i + 1} (${t.kind}): ${got.join(' → ') || 'nothing'}`);
    if (got.join() !== want.join()) return;
    // The event each transition answers: the prompt typed, the tool call answered by the model, the
    // operator's answer, the model's last reply of the turn.
    const events = t.kind === 'plain' ? [t.sentAt, t.requests.at(-1)?.at] : [t.sentAt, t.requests.find((r) => r.toolUse)?.at, t.answeredAt, t.requests.at(-1)?.at];
    t.observed.forEach((o, j) => {
      const e = events[j];
      if (typeof e === 'number') (lat[`${o.state}${t.kind === 'tool' && j === 2 ? ' (after the answer)' : ''}`] ??= []).push(Math.max(0, o.at - e));
    });
  });
  const latency: AccuracyReport['latency'] = {};
  for (const [k, v] of Object.entries(lat)) {
    const s = [...v].sort((a, b) => a - b);
    latency[k] = { n: s.length, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
  }
  return { expected, observed, matched, missed: expected - matched, invented: observed - matched, notFromHooks, latency, mismatches };
}

/** Length of the longest common subsequence: transitions seen in the right order. */
function lcs(a: readonly string[], b: readonly string[]): number {
  const d = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = a[i - 1] === b[j - 1] ? d[i - 1]![j - 1]! + 1 : Math.max(d[i - 1]![j]!, d[i]![j - 1]!);
  return d[a.length]![b.length]!;
}

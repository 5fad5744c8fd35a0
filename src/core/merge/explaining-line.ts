// The line of a failed check's output that says why it failed. The last line is often noise (Node's
// "Node.js v20.…" after a stack, a summary, a blank): the first line that reads as an error is the
// one a person looks for; failing that, the last line that is not noise.

const ERROR_LINE = /\b(error|errors|failed|failure|fail|not ok|assert\w*|exception|cannot|could not|denied|missing|undefined|fatal|panic)\b|✗|✖/i;
const NOISE = /^(Node\.js v\d|npm (ERR!|error) (A complete log|code|path)|\s*at .+:\d+:\d+\)?$|\s*\^+\s*$|\s*$)/;

export function explainingLine(tail: readonly string[]): string | null {
  const lines = tail.map((l) => l.trim()).filter((l) => l !== '' && !NOISE.test(l));
  return lines.find((l) => ERROR_LINE.test(l)) ?? lines.at(-1) ?? null;
}

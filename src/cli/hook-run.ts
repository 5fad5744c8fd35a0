/**
 * `flower-tui hook claude|codex`: run by an agent's hooks, with the event's JSON on stdin, on every
 * tool call and turn — so it is kept lean: bin/flower-tui.js loads this module straight away (no
 * yargs, no command table, no repository lookup) and it reaches the server through the socket its
 * agent was given (FLOWER_SOCKET). It must never get in the agent's way: nothing on stdout (Claude
 * adds a UserPromptSubmit hook's output to the prompt), exit 0 whatever happens, a problem said in
 * one line on stderr.
 */
import { reportForHook } from '../core/status/hook-events.js';
import { FlowerClient } from '../client/client.js';
import { flowerVersion } from '../protocol/flower-version.js';

export async function runHook(kind: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const agent = env.FLOWER_AGENT;
    const socket = env.FLOWER_SOCKET;
    // Not an agent flower-tui started (or one from before its server had a socket for hooks): nothing to say.
    if (!agent || !socket) return;
    const input = await readStdin();
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(input) as Record<string, unknown>;
    } catch {
      throw new Error(`hook ${kind}: stdin is not the hook's JSON`);
    }
    const r = reportForHook(event, kind === 'codex' ? 'codex' : 'claude');
    if (!r) return;
    let c: FlowerClient;
    try {
      c = await FlowerClient.connect(socket, { role: 'cli', version: flowerVersion() });
    } catch (e) {
      throw new Error(`cannot reach the flower-tui server at ${socket}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      await c.request({ type: 'report', agent, state: r.state, reason: r.reason, keepReason: r.keepReason });
    } finally {
      c.close();
    }
  } catch (e) {
    process.stderr.write(`flower-tui hook: ${(e as Error).message.split('\n')[0]}\n`);
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => resolve(''));
  });
}

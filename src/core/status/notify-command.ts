import { spawn } from 'node:child_process';

/**
 * The operator's own notifier (`notify.command`, e.g. `notify-send "flower-tui" "$2"`), run by the
 * server on each new needs-you — so it reaches the operator with no cockpit open. Rate-limited:
 * at most one run per interval; the next run's text says how many were left out meanwhile.
 */
export class NotifyCommand {
  private lastRun = -Infinity;
  private skipped = 0;

  constructor(
    private readonly settings: () => { command: string | null; commandIntervalMs: number },
    private readonly failed: (message: string) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Returns whether the command was started (false: none configured, or rate-limited). */
  fire(agent: string, text: string, now = Date.now()): boolean {
    const { command, commandIntervalMs } = this.settings();
    if (!command) return false;
    if (now - this.lastRun < commandIntervalMs) {
      this.skipped++;
      return false;
    }
    this.lastRun = now;
    const full = this.skipped ? `${text} (+${this.skipped} more)` : text;
    this.skipped = 0;
    try {
      // $1 the agent, $2 the text: the user's command quotes them as it likes; nothing is interpolated.
      const child = spawn('/bin/sh', ['-c', command, 'flower-tui', agent, full], { stdio: 'ignore', detached: true, env: this.env });
      child.on('error', (e) => this.failed(`notify.command: ${e.message}`));
      child.on('exit', (code) => {
        if (code) this.failed(`notify.command exited ${code}`);
      });
      child.unref();
    } catch (e) {
      this.failed(`notify.command: ${(e as Error).message}`);
    }
    return true;
  }
}

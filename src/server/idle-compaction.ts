/**
 * After a burst of output the server's heap is full of parsed-and-dropped garbage, and V8 gives the
 * memory back only when its memory reducer gets round to it (10–20 s, sometimes much later). A
 * server holding every agent's scrollback should not sit on that for long: once at least
 * `afterBytes` were printed and then nothing for `quietMs`, one full GC runs (in the background where
 * V8 can). While `busy()` (the scrollback archives are still making the burst's rows compact, whose
 * raw rows are the garbage) it waits another `quietMs`: a GC before that frees little.
 * Needs `gc` exposed (the server is started with --expose-gc); without it, does nothing.
 */
/** The one timer it needs (a test passes its own clock; the server, Node's). */
export interface QuietTimer {
  refresh(): void;
  cancel(): void;
}
export type StartQuietTimer = (fn: () => void, ms: number) => QuietTimer;

const nodeTimer: StartQuietTimer = (fn, ms) => {
  const t = setTimeout(fn, ms).unref();
  return { refresh: () => void t.refresh(), cancel: () => clearTimeout(t) };
};

export class IdleCompaction {
  private bytes = 0;
  private timer: QuietTimer | null = null;
  private readonly gc: ((opts?: unknown) => void) | null;

  constructor(
    private readonly opts: { afterBytes: number; quietMs: number } = { afterBytes: 4 * 1024 * 1024, quietMs: 2000 },
    private readonly startTimer: StartQuietTimer = nodeTimer,
    private readonly busy: () => boolean = () => false,
  ) {
    const g = (globalThis as { gc?: (opts?: unknown) => void }).gc;
    this.gc = typeof g === 'function' ? g : null;
  }

  /** Call with each chunk of output. */
  output(bytes: number): void {
    if (!this.gc) return;
    this.bytes += bytes;
    if (this.bytes < this.opts.afterBytes) return;
    // Re-armed by every chunk: the GC waits for the quiet after the burst, not during it.
    if (this.timer) this.timer.refresh();
    else this.timer = this.startTimer(() => this.compact(), this.opts.quietMs);
  }

  private compact(): void {
    this.timer = null;
    if (this.busy()) {
      this.timer = this.startTimer(() => this.compact(), this.opts.quietMs);
      return;
    }
    this.bytes = 0;
    try {
      this.gc?.({ type: 'major', execution: 'async' });
    } catch {
      this.gc?.();
    }
  }

  dispose(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

/**
 * A sleep that can be cut short: a queue head waiting for idle agents looks again after a while,
 * or at once when something changed (poke).
 */
export class WakeableSleep {
  private wake: (() => void) | null = null;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** Ends the current sleep, if any. */
  wakeNow(): void {
    this.wake?.();
  }
}

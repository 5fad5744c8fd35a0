/**
 * One timer for every archive of the process (see ScrollbackArchive.compactSome): each tick makes
 * raw rows compact, screen after screen, until a time budget is spent. Why shared: the budget is
 * the process's, not a screen's, so sixteen flooding agents cost the event loop what one does (at
 * most BUDGET_MS of every EVERY_MS, ~20 %; 400–1300 rows a tick at 3–10 µs a row), and output,
 * input and rendering never wait behind more than one budget. Why often: rows made compact go back
 * to xterm as spares, so during a burst the emulators reuse rows more than they allocate new ones.
 */
export interface Compactable {
  /** Make up to `max` rows compact; how many are still raw. */
  compactSome(max: number): number;
}

const EVERY_MS = 20;
const BUDGET_MS = 4;
/** Rows per call between looks at the clock (a row takes 3–10 µs). */
const STEP = 50;

const waiting = new Set<Compactable>();
let timer: NodeJS.Timeout | null = null;

/** `c` has raw rows: compact them on the coming ticks. */
export function compactLater(c: Compactable): void {
  waiting.add(c);
  if (!timer) timer = setTimeout(tick, EVERY_MS).unref();
}

/** Whether some archive still has raw rows (the server's idle GC waits for them). */
export function compactionPending(): boolean {
  return waiting.size > 0;
}

/** `c` is gone (its screen was disposed): forget it. */
export function forget(c: Compactable): void {
  waiting.delete(c);
}

function tick(): void {
  timer = null;
  const until = performance.now() + BUDGET_MS;
  // Round robin: a screen that got the whole budget goes to the back, so none waits forever.
  for (const c of [...waiting]) {
    waiting.delete(c);
    let left = 1;
    while (performance.now() < until && (left = c.compactSome(STEP)) > 0);
    if (left > 0) waiting.add(c);
    if (performance.now() >= until) break;
  }
  if (waiting.size > 0) timer = setTimeout(tick, EVERY_MS).unref();
}

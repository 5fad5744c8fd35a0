// Keystroke echo, one key at a time: written to an outer pty, timed until it shows in its output.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Up to `n` keys to `o` (an Outer), `gap` ms apart (a random pause in that range), while `more()`
 * holds: each key's latency in ms (`letters`: the keys, none of them in what the screen shows anyway). A key not shown within `timeoutMs` fails the section.
 */
export async function echoLoop(o, n, { gap = [5, 15], timeoutMs = 5000, more = () => true, letters = LETTERS } = {}) {
  const lat = [];
  for (let i = 0; i < n && more(); i++) {
    const ch = letters[i % letters.length];
    const wait = o.waitText(ch, timeoutMs);
    const t0 = performance.now();
    o.write(ch);
    lat.push((await wait) - t0);
    await sleep(gap[0] + Math.random() * (gap[1] - gap[0]));
  }
  return lat;
}

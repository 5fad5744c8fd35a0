// The run's temp dir and the clean-up list: every process, tmux server, flower-tui server and temp
// dir a section creates registers its removal here, so it goes on every exit path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { opt } from './options.mjs';

/** The run's temp dir (workload files, repos, logs); set by openTemp(), a live binding for importers. */
export let TMP = null;
const cleanups = [];
let cleaned = false;
export function onCleanup(fn) {
  cleanups.push(fn);
  return fn;
}
export function cleanupAll() {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse()) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
  if (!opt.keep) fs.rmSync(TMP, { recursive: true, force: true });
  else console.log(`bench: kept ${TMP}`);
}
/** Makes the run's temp dir; from then on every exit path (normal, error, signal) removes what the run made. */
export function openTemp() {
  TMP = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flower-bench-')));
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`\nbench: ${sig}, cleaning up`);
      cleanupAll();
      process.exit(130);
    });
  }
  return TMP;
}

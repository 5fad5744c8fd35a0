/**
 * Exit only once stdout and stderr have drained. On a pipe, Node writes asynchronously: a
 * `process.exit()` right after a large write drops whatever the kernel's 64 KiB pipe buffer did not
 * take yet (`status --json | jq` got half a document). A zero-length write's callback runs once
 * everything queued before it has been handed to the kernel, so waiting for it on both streams is
 * enough. A reader that has gone away (EPIPE) ends the wait too: there is nobody left to write to.
 */
export function flushStdio(): Promise<void> {
  const flush = (s: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (s.destroyed || !s.writable) return resolve();
      s.once('error', () => resolve());
      try {
        s.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  return Promise.all([flush(process.stdout), flush(process.stderr)]).then(() => {});
}

/** process.exit(code) once everything written so far has reached the pipe, file or terminal. */
export async function exitFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await flushStdio();
  process.exit(code);
}

/**
 * The operator's editor ($VISUAL, then $EDITOR, then vi) on a file or a piece of text, for
 * `brief edit`, `config edit` and the cockpit's new-brief spec. Through sh, because an editor
 * setting may carry arguments ("code -w"); the file goes as "$1", never spliced into the line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/** Run the editor on `file` on this terminal; null when it ended well, else why not (one line). */
export function runEditor(file: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const editor = editorCommand(env);
  const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'flower-tui-editor', file], { stdio: 'inherit', env });
  if (r.error) return `the editor (${editor}) did not start: ${r.error.message}`;
  if (r.status !== 0) return `the editor (${editor}) exited ${r.status ?? r.signal}`;
  return null;
}

/** `text` edited in a private temp file (`name` gives the editor its syntax); the result, or the editor's failure. */
export function editText(text: string, name: string, env: NodeJS.ProcessEnv = process.env): { text: string } | { error: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'flower-edit-'));
  const file = path.join(dir, name);
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const failed = runEditor(file, env);
    return failed ? { error: failed } : { text: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

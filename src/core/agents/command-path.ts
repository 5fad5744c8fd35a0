import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Resolve a profile's command the way execvp would, before spawning: node-pty reports a missing
 * binary only as an anonymous exit, and the user deserves "command not found: claude".
 */
export function resolveCommand(command: string, envPath: string | undefined, cwd: string): string | null {
  const isExecutable = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) {
    const abs = path.resolve(cwd, command);
    return isExecutable(abs) ? abs : null;
  }
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

import { readFileSync } from 'node:fs';

// Read once from package.json (this file is src/server or dist/server: both two levels down), so the
// version has one source. Its own module: `--version`, the client and the server need it, and none of
// them should load the others' code to get it.
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function flowerVersion(): string {
  return VERSION;
}

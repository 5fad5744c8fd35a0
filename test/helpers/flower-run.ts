// The built flower-tui CLI against one test repository with a config written for the test, as the
// real-agent tests drive it: every command must succeed (its output is returned), and the
// repository's server is stopped by `cleanups`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN } from './cli.js';
import type { TestRepo } from './git-repo.js';

export interface FlowerRun {
  configFile: string;
  /** Run `flower-tui ARGS --repo MAIN --config FILE`; asserts exit 0 and returns stdout. */
  run(args: string[]): string;
}

export function flowerRun(repo: TestRepo, config: object, env: Record<string, string | undefined>, cleanups: (() => unknown)[]): FlowerRun {
  const configFile = path.join(repo.dir, 'flower.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  // The cockpit draws nothing under CI=true; the server and agents inherit this environment.
  const e = { ...env };
  delete e.CI;
  cleanups.push(() => spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', repo.mainRoot], { env: e as NodeJS.ProcessEnv, timeout: 30_000 }));
  return {
    configFile,
    run(args) {
      const r = spawnSync(process.execPath, [BIN, ...args, '--repo', repo.mainRoot, '--config', configFile], { encoding: 'utf8', env: e as NodeJS.ProcessEnv, timeout: 90_000 });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
  };
}

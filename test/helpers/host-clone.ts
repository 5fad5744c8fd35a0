// The setting of every hosts-over-ssh test (issue 19): a real sshd on 127.0.0.1, the local project,
// and a "remote" clone of it in another temp dir given to sshd's login user, plus the CLI run
// against the local project with the test's config. What each test adds is its own config.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, removedAfterItsServer } from './cli.js';
import { makeRepo, type TestRepo } from './git-repo.js';
import { startSshd, type TestSshd } from './sshd.js';

export interface HostClone {
  sshd: TestSshd;
  local: TestRepo;
  /** The temp dir holding the host's clone (and whatever else a test puts "on the host"). */
  remoteDir: string;
  /** The clone of the local project on the host. */
  remoteMain: string;
  configFile: string;
  /** A hosts.NAME entry reaching the clone through the test's sshd; `extra` overrides its fields. */
  host(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Another project altogether in `remoteDir` (no commit in common): where a host entry may point by mistake. */
  stranger(name?: string): string;
}

/**
 * Start the sshd and make both repositories; `beforeGive` puts files on the host before they are
 * handed to its login user. Everything is undone through `onCleanup` (the host's servers stopped).
 */
export async function hostClone(onCleanup: (fn: () => void) => void, beforeGive: (c: HostClone) => void = () => {}): Promise<HostClone> {
  const sshd = await startSshd();
  onCleanup(() => void sshd.close());
  const local = makeRepo();
  removedAfterItsServer(local, onCleanup);
  const remote = makeRepo();
  const remoteMain = path.join(remote.dir, 'shop');
  execFileSync('git', ['clone', '--quiet', local.mainRoot, remoteMain]);
  const made: string[] = [remoteMain];
  const c: HostClone = {
    sshd,
    local,
    remoteDir: remote.dir,
    remoteMain,
    configFile: path.join(local.dir, 'flower.config.json'),
    host: (extra = {}) => ({ ssh: sshd.alias, repo: remoteMain, command: `${process.execPath} ${BIN}`, sshArgs: sshd.sshArgs, ...extra }),
    stranger(name = 'other-project') {
      const dir = path.join(remote.dir, name);
      execFileSync('git', ['init', '--quiet', dir]);
      writeFileSync(path.join(dir, 'x.txt'), 'x\n');
      execFileSync('git', ['-C', dir, 'add', 'x.txt']);
      execFileSync('git', ['-C', dir, '-c', 'user.name=o', '-c', 'user.email=o@o', 'commit', '--quiet', '-m', 'other']);
      made.push(dir);
      return dir;
    },
  };
  beforeGive(c);
  sshd.give(remote.dir);
  // Its servers run as the login user: as root a throwaway account, whose processes closing the
  // sshd (registered first, so run last) ends; else this user, stopped here like any test server.
  onCleanup(() => remote.cleanup());
  for (const dir of made) onCleanup(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', '--repo', dir], { timeout: 30_000 }));
  return c;
}

/** The CLI against `repo` with `config` (read when called): its result, or (`ok`) its stdout after exit 0. */
export function cliWith(where: () => { repo: string; config: string }, timeoutMs = 60_000) {
  const flower = (args: string[]) => {
    const { repo, config } = where();
    const r = spawnSync(process.execPath, [BIN, ...args, '--repo', repo, '--config', config], { encoding: 'utf8', timeout: timeoutMs });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[]) => {
    const r = flower(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return { flower, ok };
}

/**
 * Every command's output is complete on a pipe, not only on a file or a terminal. On a pipe Node
 * writes asynchronously; a CLI that exits right after a big write loses all but the first 64 KiB
 * (`status --json | jq` got invalid JSON). The built binary, a real shell pipe, a real server.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cleanupList } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/wait-until.js';
import { TraceWriter } from '../../src/core/store/trace.js';

const cleanup = cleanupList();
const T = { timeout: 180_000 };

/** `flower-tui ARGS` with stdout through a pipe into `wc -c`, and into a file: both byte counts. */
function piped(args: string[], dir: string): { pipe: number; file: number; fileText: string; pipeText: string } {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = [process.execPath, BIN, ...args].map(q).join(' ');
  const out = path.join(dir, 'out.txt');
  const viaPipe = path.join(dir, 'out-pipe.txt');
  // The CLI's stdout is a pipe (into cat); cat writes what arrived to a file.
  const p = spawnSync('/bin/sh', ['-c', `${cmd} | cat > ${q(viaPipe)}`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(p.status, 0, p.stderr);
  const f = spawnSync('/bin/sh', ['-c', `${cmd} > ${q(out)}`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(f.status, 0, f.stderr);
  return { pipe: readFileSync(viaPipe).length, file: readFileSync(out).length, fileText: readFileSync(out, 'utf8'), pipeText: readFileSync(viaPipe, 'utf8') };
}

describe('output on a pipe', () => {
  test('log --json of a big trace: every byte reaches the pipe', T, () => {
    const repo = makeRepo();
    cleanup(() => repo.cleanup());
    const dir = path.join(repo.commonDir, 'flower');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const w = new TraceWriter(dir);
    for (let i = 0; i < 3000; i++) w.append({ actor: 'cli', action: 'spawn', target: `lane/agent-${i}`, details: { worktree: 'lane', profile: 'shell', note: 'n'.repeat(100) }, outcome: 'ok' });
    const r = piped(['log', '--json', '--repo', repo.mainRoot], repo.dir);
    assert.ok(r.file > 300_000, `the file got ${r.file} bytes`);
    assert.equal(r.pipe, r.file, 'the pipe got as many bytes as the file');
  });

  test('status --json larger than 64 KiB: complete, valid JSON on a pipe', T, async () => {
    const repo = makeRepo({ worktrees: ['lane'] });
    cleanup(() => repo.cleanup());
    const big = Array.from({ length: 12 }, (_, i) => `${i}`.padEnd(10_000, 'x'));
    const configFile = path.join(repo.dir, 'flower.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        profiles: { idle: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1e9)'] } },
        worktrees: { lane: { agents: [{ profile: 'idle', name: 'big', args: big }] } },
      }),
    );
    const base = ['--repo', repo.mainRoot, '--config', configFile];
    cleanup(() => void spawnSync(process.execPath, [BIN, 'server', 'stop', ...base], { timeout: 30_000 }));
    spawnSync(process.execPath, [BIN, 'worktree', 'ls', ...base], { timeout: 60_000 }); // starts the server
    await waitUntil(
      () => {
        const s = spawnSync(process.execPath, [BIN, 'status', '--json', ...base], { encoding: 'utf8', timeout: 60_000 });
        return s.status === 0 && s.stdout.includes('"lane/big"') ? true : null;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the server running lane/big' },
    );
    const r = piped(['status', '--json', ...base], repo.dir);
    assert.ok(r.file > 100_000, `the file got ${r.file} bytes`);
    // A live server's status changes between the two runs (durations, "since"): the pipe's copy must
    // be complete, valid JSON of the same size give or take those few bytes — never cut at 64 KiB.
    assert.ok(r.pipe > 100_000 && Math.abs(r.pipe - r.file) < 200, `pipe ${r.pipe} bytes, file ${r.file}`);
    assert.doesNotThrow(() => JSON.parse(r.pipeText), 'the piped status is complete JSON');
    assert.doesNotThrow(() => JSON.parse(r.fileText));
  });
});

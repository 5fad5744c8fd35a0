/**
 * Crash safety of the store, for real: a child process (test/fixtures/state-writer.mjs, using the built
 * dist/ modules) writes state and trace in a tight loop and is SIGKILLed at random moments, ~40 times,
 * each restart continuing in the same directory as a restarted server would. After every kill:
 * state.json parses (or is absent only before the very first write), no file was ever moved aside as
 * corrupt, and the trace has no torn line except possibly the last; readers skip that one, and after
 * TraceWriter.repair() new entries parse again.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../helpers/git-repo.js';
import { parseTraceText, readTrace, TraceWriter } from '../../src/core/store/trace.js';
import type { FlowerState } from '../../src/core/store/state-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WRITER = path.join(ROOT, 'test', 'fixtures', 'state-writer.mjs');
const KILLS = 40;
let crashedDir: string | null = null;

const children = new Set<ChildProcess>();
const dirs: string[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Start the writer; resolves once it printed `marker` (or exited), with everything it printed. */
function startWriter(dir: string): { child: ChildProcess; out: () => string; waitFor: (marker: string, timeoutMs: number) => Promise<boolean>; exited: Promise<void> } {
  const child = spawn(process.execPath, [WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => (children.delete(child), r())));
  const waitFor = (marker: string, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (out.includes(marker)) return done(true);
        if (child.exitCode !== null || child.signalCode !== null) return done(false);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (v: boolean) => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', check);
        resolve(v);
      };
      child.stdout!.on('data', check);
      child.on('exit', check);
      check();
    });
  return { child, out: () => out, waitFor, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('store under SIGKILL', () => {
  test(`state.json always parses and the trace tears at most its last line (${KILLS} kills)`, { timeout: 60_000 }, async (ctx) => {
    const dir = makeTempDir('flower-atomic-');
    dirs.push(dir);
    const stateFile = path.join(dir, 'state.json');
    const traceFile = path.join(dir, 'trace.jsonl');
    let everWritten = false;
    /** Bytes of the trace already checked; the next child's repair() starts a new line after them. */
    let checkedTo = 0;
    let tornTails = 0;
    let entriesSeen = 0;
    const started = Date.now();

    for (let k = 0; k < KILLS; k++) {
      const w = startWriter(dir);
      // Most kills land mid-loop (after the first write, at a random moment); a few land during startup.
      const early = k % 8 === 3;
      if (!early) {
        const ready = await w.waitFor('READY', 20_000);
        assert.ok(ready, `writer ${k} got going (output: ${w.out().slice(0, 500)})`);
        await sleep(Math.floor(Math.random() * 60));
      } else {
        await sleep(Math.floor(Math.random() * 40));
      }
      w.child.kill('SIGKILL');
      await w.exited;
      assert.equal(w.child.signalCode, 'SIGKILL', `writer ${k} died by the kill, not by itself (output: ${w.out().slice(0, 500)})`);
      assert.equal(/OPENED (?!-)/.test(w.out()), false, `writer ${k} never found a corrupt state file: ${w.out().slice(0, 300)}`);
      if (w.out().includes('READY')) everWritten = true;

      // The state file: always whole.
      if (existsSync(stateFile)) {
        const text = readFileSync(stateFile, 'utf8');
        let parsed: FlowerState | null = null;
        assert.doesNotThrow(() => (parsed = JSON.parse(text) as FlowerState), `state.json parses after kill ${k}`);
        assert.equal(parsed!.version, 1, 'a flower-tui state');
        assert.ok(Array.isArray(parsed!.agents) && parsed!.agents.length >= 1, `state holds agents after kill ${k}`);
        assert.equal(statSync(stateFile).mode & 0o777, 0o600, 'state.json stays 0600');
        everWritten = true;
      } else {
        assert.equal(everWritten, false, `state.json missing after kill ${k}, although it had been written`);
      }
      const corrupt = readdirSync(dir).filter((f) => f.startsWith('state.json.corrupt-'));
      assert.deepEqual(corrupt, [], 'nothing was ever moved aside as corrupt');

      // The trace: every line written since the last check parses, except possibly the last one.
      if (existsSync(traceFile)) {
        const buf = readFileSync(traceFile);
        const region = buf.subarray(checkedTo).toString('utf8');
        const lines = region.split('\n');
        const last = lines.pop()!;
        lines.forEach((line, i) => {
          if (line === '') return; // the newline repair() put after a torn tail
          assert.doesNotThrow(() => JSON.parse(line), `kill ${k}: complete trace line ${i} parses (${line.slice(0, 80)}…)`);
          entriesSeen++;
        });
        if (last !== '') tornTails++;
        // Readers never choke: they return exactly the complete lines, skipping torn ones.
        const fromReader = parseTraceText(buf.toString('utf8'));
        assert.equal(fromReader.length, entriesSeen, 'readers return every complete entry and nothing torn');
        assert.equal(readTrace(dir).length, fromReader.length, 'readTrace agrees with parseTraceText');
        checkedTo = buf.length;
      }
    }

    assert.ok(everWritten, 'the writers did write');
    assert.ok(entriesSeen > KILLS, `trace entries were written (${entriesSeen})`);

    // Repair closes a torn tail; appending again yields parseable lines. A kill rarely tears an
    // O_APPEND write on Linux, so when none of the kills did, leave the fragment a kill mid-line would.
    if (readFileSync(traceFile, 'utf8').endsWith('\n')) appendFileSync(traceFile, '{"ts":"2026-01-01T00:00:00.000Z","actor":"server","action":"se');
    const t = new TraceWriter(dir, { maxBytes: 2 ** 40 });
    assert.equal(t.repair(), true, 'repair() closed the torn tail');
    const tail = readFileSync(traceFile, 'utf8');
    assert.ok(tail.endsWith('\n'), 'after repair() the trace ends with a newline');
    assert.equal(t.repair(), false, 'and there is nothing more to repair');
    const before = parseTraceText(tail).length;
    t.append({ actor: 'server', action: 'start', target: dir, outcome: 'ok', details: { after: 'crashes' } });
    t.append({ actor: 'operator', action: 'kill', target: 'wt1/agent', outcome: 'ok' });
    const all = parseTraceText(readFileSync(traceFile, 'utf8'));
    assert.equal(all.length, before + 2, 'both new entries are read');
    assert.deepEqual(all.slice(-2).map((e) => e.action), ['start', 'kill']);
    // And the state opens cleanly, as the next server would.
    const { StateStore } = await import('../../src/core/store/state-store.js');
    const opened = StateStore.open(dir);
    assert.equal(opened.movedAside, null, 'the next open finds a good state file');
    assert.ok(opened.store.data.agents.length >= 1, 'with its agents');
    const stale = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    ctx.diagnostic(`${KILLS} kills in ${Date.now() - started} ms; ${entriesSeen} entries; ${tornTails} torn tails; ${stale.length} stale temp files`);
    crashedDir = dir;
  });

  test('temp files left by killed writers are cleaned up by the next open', async () => {
    assert.ok(crashedDir, 'the crash test ran');
    const { StateStore } = await import('../../src/core/store/state-store.js');
    StateStore.open(crashedDir!);
    assert.deepEqual(readdirSync(crashedDir!).filter((f) => f.endsWith('.tmp')), [], 'no stale temp files');
  });
});

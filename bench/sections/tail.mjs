// bench section "tail": FileTailer's CPU per appended MB, on a small file and a big one (it must
// not grow with the file).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TMP } from '../lib/cleanup.mjs';
import { fmt, log, median } from '../lib/format.mjs';
import { MB, ROOT, SIZE } from '../lib/options.mjs';
import { result } from '../lib/results.mjs';
import { WORDS, rng } from '../lib/workloads.mjs';

export async function sectionTail() {
  log('\n## transcript tailing (FileTailer, from: end, 5 MB appended in 64 KB chunks)');
  const mod = path.join(ROOT, 'dist', 'core', 'tail', 'file-tailer.js');
  const { FileTailer } = await import(pathToFileURL(mod).href);
  const chunk = (() => {
    const r = rng(3);
    let s = '';
    while (s.length < 64 * 1024 - 200) s += JSON.stringify({ type: 'assistant', text: WORDS[Math.floor(r() * WORDS.length)].repeat(1 + Math.floor(r() * 8)), n: Math.floor(r() * 1e6) }) + '\n';
    return Buffer.from(s);
  })();
  const once = (initial) => {
    const file = path.join(TMP, `transcript-${initial}.jsonl`);
    fs.rmSync(file, { force: true });
    if (initial <= 64 * MB) {
      const fd = fs.openSync(file, 'w');
      for (let n = 0; n < initial; n += chunk.length) fs.writeSync(fd, chunk);
      fs.closeSync(fd);
    } else {
      fs.writeFileSync(file, '');
      fs.truncateSync(file, initial - 1);
      fs.appendFileSync(file, '\n'); // sparse: the tailer must never read what is before its start
    }
    let lines = 0;
    const t = new FileTailer(file, (ls) => (lines += ls.length), { from: 'end' });
    t.start();
    t.stop(); // no watcher, no timer: every read below is a poll() we time
    const fd = fs.openSync(file, 'a');
    let cpu = 0;
    let wall = 0;
    let appended = 0;
    while (appended < SIZE.tailAppendBytes) {
      fs.writeSync(fd, chunk);
      appended += chunk.length;
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      t.poll();
      wall += performance.now() - w0;
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
    }
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    return { cpuPerMB: cpu / (appended / MB), wallPerMB: wall / (appended / MB), lines };
  };
  const small = [];
  const big = [];
  for (let i = 0; i < 5; i++) {
    small.push(once(10 * MB));
    big.push(once(SIZE.tailBig));
  }
  const s = median(small.map((x) => x.cpuPerMB));
  const b = median(big.map((x) => x.cpuPerMB));
  const sw = median(small.map((x) => x.wallPerMB));
  const bw = median(big.map((x) => x.wallPerMB));
  result('tail', 'FileTailer CPU ms per appended MB, 10 MB file', s, 'n/a', { unit: ' ms', digits: 2, ratio: null });
  result('tail', `FileTailer CPU ms per appended MB, ${fmt(SIZE.tailBig / MB, 0)} MB file (ratio: ÷ 10 MB file)`, b, 'n/a', { unit: ' ms', digits: 2, ratio: b / s, target: 'flat (≤ 1.5×)', met: b / s <= 1.5 });
  log(`    wall ms per MB: 10 MB ${fmt(sw)} · ${fmt(SIZE.tailBig / MB, 0)} MB ${fmt(bw)} · lines seen per run ${small[0].lines}`);
}

// bench/results.md: the machine, the table, the details and how each figure is measured; notes
// written by hand below the kept marker survive a rewrite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, log } from './format.mjs';
import { COLS, MB, ROOT, ROWS, SIZE, opt } from './options.mjs';
import { git } from './repo.mjs';
import { notes, rows, sectionBusy, table } from './results.mjs';

const RESULTS = path.join(ROOT, 'bench', 'results.md');
/** Everything in results.md from this line on is kept when a run rewrites the file. */
const KEPT_MARKER = '<!-- kept by npm run bench: notes below this line are written by hand -->';

export function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? '?';
  const mhz = /cpu MHz\s*:\s*(.*)/.exec(cpuinfo)?.[1];
  const tmuxV = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).stdout.trim();
  let commit = '?';
  try {
    commit = git(ROOT, ['rev-parse', '--short', 'HEAD']).trim() + (git(ROOT, ['status', '--porcelain', '--untracked-files=no']).trim() ? ' (+ uncommitted changes)' : '');
  } catch {
    /* not a git checkout */
  }
  return {
    cpu: `${model}${mhz ? ` @ ${Math.round(Number(mhz))} MHz` : ''}`,
    cores: os.cpus().length,
    memory: `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
    node: process.version,
    tmux: tmuxV,
    kernel: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    commit,
    load: os.loadavg().map((x) => fmt(x)).join(' '),
  };
}

function extraParts(details, failures) {
  const parts = [];
  if (details.length) parts.push(`### Details\n\n${details.join('\n')}\n`);
  parts.push(`### Noise\n\nWhole-machine CPU busy during each section (everything running, this benchmark included): ${sectionBusy.join(', ')}. Runs on a quiet machine are more trustworthy; timings here are the fastest of the repetitions where a section repeats.\n`);
  if (failures.length) parts.push(`### Sections that failed\n\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
  if (notes.length) parts.push(`### Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  return parts.join('\n') + '\n';
}

/** sectionCount: how many sections there are (a run of fewer names them in the file). */
export function writeResults(m, ran, elapsed, failures, sectionCount) {
  const ex = (sec) => rows.filter((r) => r.section === sec);
  const details = [];
  for (const r of ex('throughput')) {
    if (!r.extra) continue;
    const e = r.extra;
    details.push(`- ${r.metric.split(':')[0]}: ${fmt(e.mb, 1)} MB — raw pty ${fmt(e.raw)} s (${fmt(e.mb / e.raw, 1)} MB/s), tmux ${fmt(r.tmux)} s (${fmt(e.mb / r.tmux, 1)} MB/s), flower-tui ${fmt(r.flower)} s (${fmt(e.mb / r.flower, 1)} MB/s); CPU s flower server ${fmt(e.flSrvCpu)} + TUI ${fmt(e.flCpu - e.flSrvCpu)} vs tmux (server+client) ${fmt(e.tmCpu)}; bytes to the outer terminal flower ${fmt(e.flBytes / MB, 2)} MB vs tmux ${fmt(e.tmBytes / MB, 2)} MB`);
  }
  for (const r of ex('echo')) if (r.extra) details.push(`- echo through a bare pty (no multiplexer): p50 ${fmt(r.extra.rawP50, 3)} ms, p99 ${fmt(r.extra.rawP99, 3)} ms`);
  for (const r of ex('cpu')) {
    if (r.extra?.silent) details.push(`- silent phase split: server ${fmt(r.extra.silent.srv)} %, TUI ${fmt(r.extra.silent.tui)} %; the server's reaped children (git) ${fmt(r.extra.silent.git)} % — not in the row above; the first ${SIZE.cpuSettleS} s after start-up (one-off settling, not in the row) ${fmt(r.extra.silent.early)} %`);
    if (r.extra?.spin) details.push(`- spinner phase split: server ${fmt(r.extra.spin.srv)} %, TUI ${fmt(r.extra.spin.tui)} %; git children ${fmt(r.extra.spin.git)} %; bytes/s to the terminal flower ${fmt(r.extra.spin.bytesPerS, 0)} vs tmux ${fmt(r.extra.tBytesPerS, 0)}`);
  }
  for (const r of ex('memory')) {
    if (r.extra) details.push(`- memory split: base server ${fmt(r.extra.baseSrv, 1)} MB + TUI ${fmt(r.extra.baseTui, 1)} MB; filled server ${fmt(r.extra.filled.srv, 1)} MB + TUI ${fmt(r.extra.filled.tui, 1)} MB; tmux filled server ${fmt(r.extra.tFilled.srv, 1)} MB + client ${fmt(r.extra.tFilled.client, 1)} MB; pane sizes flower ${r.extra.paneSize}, tmux ${r.extra.tPane}`);
  }
  const md = `# flower-tui benchmark results

Produced by \`npm run bench\` (\`node bench/run.mjs${opt.quick ? ' --quick' : ''}${opt.only.length !== sectionCount ? ` --only ${opt.only.join(',')}` : ''}\`). flower-tui and tmux ran in the same run, on the same
machine and workloads; ratios are flower-tui ÷ tmux (lower is better for every row).

## Machine

| | |
|---|---|
| CPU | ${m.cpu} |
| cores | ${m.cores} |
| memory | ${m.memory} |
| node | ${m.node} |
| tmux | ${m.tmux} |
| kernel | ${m.kernel} |
| date | ${m.date} |
| flower-tui commit | ${m.commit} |
| load average at start / end | ${m.load} / ${os.loadavg().map((x) => fmt(x)).join(' ')} |
| sections | ${ran.join(', ')} (${fmt(elapsed / 60, 1)} min${opt.quick ? ', --quick sizes' : ''}) |

## Results

${table(true)}

${extraParts(details, failures)}## How it is measured

- **Outer terminal**: every program under test runs in a pty of ${COLS}×${ROWS} that the bench drains as fast as it can
  (@lydell/node-pty). tmux: \`tmux -L bench-… -f /dev/null new-session -d -x ${COLS} -y ${ROWS}\` with \`status-interval 0\`,
  and a client (\`tmux attach\`) in the outer pty. flower-tui: a scratch git repository with linked worktrees, a config
  whose profiles run the workload, and \`flower-tui --repo … --config …\` in the outer pty (with \`CI\` removed), which
  starts the repository's server; the server is stopped with \`flower-tui server stop\` afterwards.
- **Throughput**: the workload waits on a fifo, so start-up is not timed; the clock starts when the bench opens the
  fifo and stops when \`BENCH-DONE\` (printed after the workload) arrives in the outer pty's output (escape sequences
  stripped, so a compositor's cursor moves inside the marker do not hide it). flower-tui's pane is 118×33 (one agent
  in one lane), tmux's 120×39 (status line), the raw pty 120×39. Each measurement runs ${SIZE.throughputReps}× interleaved (raw, tmux, flower-tui, …) and the fastest run of each is
  reported. CPU is utime+stime from /proc of the server and TUI
  (flower-tui) and of the tmux server and client.
- **Flood**: one agent runs \`yes\`. Focus switch: Tab/Shift-Tab in flower-tui, Tab bound to \`select-pane -t :.+\` in
  tmux (pane border shows the active pane); timed until the bench's own emulator of the outer output shows the new
  focus. Echo: attached (flower-tui) / active pane (tmux) running \`stty raw -echo; exec cat\`, timed from writing a key
  to the outer pty until it appears in the output. Ctrl-C: attached to the \`yes\` agent, until the \`yes\` process has
  exited (/proc polled every ms).
- **Echo**: ${SIZE.echoKeys} keys, 5–15 ms apart, one at a time, to \`stty raw -echo; exec cat\`; flower-tui attached with Enter.
- **CPU**: 16 agents (4 lanes × 4 in flower-tui; 16 tiled panes in tmux), 12 running \`cat\` and 4 waiting on a fifo, then
  printing a one-line truecolour spinner at 10 Hz. CPU seconds from /proc over ${SIZE.cpuPhaseS} s per phase, after
  ${SIZE.cpuSettleS} s of settling (flower-tui's first seconds hold one-off work: V8's memory-reducing GC and lazy
  compilation; that window is reported in the details).
- **Memory**: VmRSS of the server + TUI (flower-tui, \`ui.scrollback: 5000\`) and tmux server + client (\`history-limit 5000\`),
  after each of 16 agents printed ${SIZE.memLines} lines of ~95 characters and CPU went quiet. Base: the same cockpit with no agents
  (tmux: one idle pane).
- **Tail**: dist/core/tail/file-tailer.js in the bench process: \`from: 'end'\` on a 10 MB file and on a ${fmt(SIZE.tailBig / MB, 0)} MB
  (sparse) file, 5 MB appended in 64 KB chunks with a poll() after each; process.cpuUsage() around the polls; median of 5.
- **Startup**: from spawning the TUI to the bench's emulator showing all 4 lane titles; cold = no server running
  (the TUI starts it), warm = the server still running from before. tmux: cold = \`tmux new-session\` creating 4 windows
  × 2 panes in the outer pty, warm = \`tmux attach\`, until the status line shows the 4 window names.
- **Flicker**: ESC[2J and ESC[3J counted in the outer output over ${SIZE.flickerS} s of two agent-like animations (20 fps
  Ink-style redraws) and a spinner, after start-up.
- **ssh-echo**, **load**, **scale**: each writes its own block below (what was measured, how, and its full table;
  scale also bench/scale.svg); their rows above are the headline figures.
- Noise: this is a shared 2-core machine; other work running at the same time shows up as a higher load average above.
`;
  // Notes written by hand below the marker (before/after history, profiling) survive a new run.
  let kept = '';
  try {
    const old = fs.readFileSync(RESULTS, 'utf8');
    const at = old.indexOf(KEPT_MARKER);
    if (at >= 0) kept = '\n' + old.slice(at);
  } catch {
    /* first run */
  }
  fs.writeFileSync(RESULTS, md + kept);
  log(`\nwrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
}

/**
 * A section's own block of results.md (between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`),
 * replaced in place, else added at the end, below the kept marker, so a full run's rewrite of the
 * table keeps it and a run of one section does not replace the others' figures.
 */
export function writeBlock(name, markdown) {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let old = '';
  try {
    old = fs.readFileSync(RESULTS, 'utf8');
  } catch {
    /* first run */
  }
  const block = `${begin}\n${markdown.trimEnd()}\n${end}`;
  const a = old.indexOf(begin);
  const b = old.indexOf(end);
  let md;
  if (a >= 0 && b > a) md = old.slice(0, a) + block + old.slice(b + end.length);
  else {
    if (!old.includes(KEPT_MARKER)) old = `${old.trimEnd()}\n\n${KEPT_MARKER}`;
    md = `${old.trimEnd()}\n\n${block}\n`;
  }
  fs.writeFileSync(RESULTS, md);
  log(`  wrote the ${name} block of ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
}

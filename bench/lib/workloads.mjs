// The workloads: fifos that start them, shell scripts, generated text and agent-like streams, and the
// node scripts (spinner, animation) several sections run as agents.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { TMP } from './cleanup.mjs';
import { MB } from './options.mjs';

export function mkfifo(name) {
  const p = path.join(TMP, name);
  execFileSync('mkfifo', [p]);
  return p;
}
/** Open the fifo for writing and close it: the agent blocked reading it goes on. Returns when done. */
export async function trigger(fifo, timeoutMs = 10_000) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      fs.closeSync(fd);
      return;
    } catch (e) {
      if (e.code !== 'ENXIO' || performance.now() > end) throw e;
      await sleep(2);
    }
  }
}
export function script(name, body) {
  const p = path.join(TMP, name);
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
// No upper-case letters and no '-' in any workload's text: the end marker BENCH-DONE can then never
// match cells already on screen, so a compositor writes it in one run.
export const WORDS = 'the of and to in is it that for on with as this was be by are from at or have not an but all can which there their use file test agent build type value return const function import export error result state update render frame pane worktree branch commit merge server client socket buffer screen cursor colour stream parse write read line token model prompt change diff patch review'.split(' ');

/** (b) plain text: lines of lower-case words. */
export function genText(file, bytes) {
  const r = rng(1);
  const fd = fs.openSync(file, 'w');
  let total = 0;
  let buf = [];
  let size = 0;
  while (total < bytes) {
    let line = '';
    const len = 20 + Math.floor(r() * 90);
    while (line.length < len) line += (line ? ' ' : '') + WORDS[Math.floor(r() * WORDS.length)];
    if (r() < 0.1) line += `; ${Math.floor(r() * 100000)}.`;
    line += '\n';
    buf.push(line);
    size += line.length;
    if (size > MB) {
      fs.writeSync(fd, buf.join(''));
      total += size;
      buf = [];
      size = 0;
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
}

/**
 * (c) an agent-like TUI stream, as Claude Code and friends write it (Ink's log-update): a dynamic area
 * at the bottom (spinner with a truecolour shimmer, an input box, a status line) erased and redrawn
 * in place every frame with ESC[2K/ESC[1A; static message lines (truecolour text, diff lines with
 * truecolour backgrounds) printed above it now and then, scrolling the screen; a title bar redrawn with
 * absolute cursor addressing (save/CUP/restore).
 */
export function agentFrames(seed = 7) {
  const r = rng(seed);
  const W = 100;
  const spin = ['·', '✢', '✳', '✶', '✻', '✽'];
  const rgb = (c) => `${c[0]};${c[1]};${c[2]}`;
  let frame = 0;
  let typed = '';
  let dynLines = 0;
  const words = (n) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
  return function next() {
    frame++;
    const out = [];
    // erase the previous dynamic area (Ink: eraseLines)
    for (let i = 0; i < dynLines; i++) out.push(i === 0 ? '\x1b[2K' : '\x1b[1A\x1b[2K');
    if (dynLines) out.push('\r');
    // static lines above, now and then
    if (frame % 3 === 0) {
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) {
        const kind = r();
        if (kind < 0.5) out.push(`\x1b[38;2;${rgb([200 + ((frame * 7) % 55), 200, 200])}m  ${words(4 + Math.floor(r() * 10))}\x1b[39m\r\n`);
        else if (kind < 0.75) out.push(`\x1b[48;2;${rgb([60, 20, 20])}m\x1b[38;2;${rgb([255, 180, 180])}m  ${String(frame % 900).padStart(3)} − ${words(6)}`.padEnd(W + 30) + '\x1b[49m\x1b[39m\r\n');
        else if (kind < 0.9) out.push(`\x1b[48;2;${rgb([20, 60, 20])}m\x1b[38;2;${rgb([180, 255, 180])}m  ${String(frame % 900).padStart(3)} + ${words(6)}`.padEnd(W + 30) + '\x1b[49m\x1b[39m\r\n');
        else out.push(`\x1b[1m\x1b[38;2;${rgb([120, 160, 255])}m● \x1b[39m\x1b[22m${words(3)}(${words(1)})\r\n  ⎿  \x1b[2m${words(5)}\x1b[22m\r\n`);
      }
    }
    // the dynamic area
    const dyn = [];
    const label = `thinking… (${Math.floor(frame / 10)}s · ↑ ${(frame * 13) % 9000} tokens · esc to interrupt)`;
    let shimmer = `\x1b[38;2;215;119;87m${spin[frame % spin.length]}\x1b[39m `;
    for (let i = 0; i < 9; i++) {
      const k = (frame + i) % 9;
      shimmer += `\x1b[38;2;${rgb([180 + k * 8, 110 + k * 6, 90 + k * 4])}m${label[i]}`;
    }
    shimmer += `\x1b[39m\x1b[2m${label.slice(9)}\x1b[22m`;
    dyn.push(shimmer);
    dyn.push('');
    if (frame % 4 === 0) typed = typed.length > 70 ? '' : typed + WORDS[Math.floor(r() * WORDS.length)] + ' ';
    dyn.push(`\x1b[38;2;136;136;136m╭${'─'.repeat(W - 2)}╮\x1b[39m`);
    dyn.push(`\x1b[38;2;136;136;136m│\x1b[39m > ${typed}`.padEnd(W + 19 - 1) + '\x1b[38;2;136;136;136m│\x1b[39m');
    dyn.push(`\x1b[38;2;136;136;136m╰${'─'.repeat(W - 2)}╯\x1b[39m`);
    dyn.push(`\x1b[2m  ? for shortcuts\x1b[22m${' '.repeat(50)}\x1b[38;2;${rgb([100, 200, 120])}m◯ ${(frame * 3) % 100}% context left\x1b[39m`);
    out.push(dyn.join('\r\n'));
    dynLines = dyn.length;
    // a title bar redrawn by absolute addressing
    if (frame % 10 === 0) out.push(`\x1b7\x1b[1;1H\x1b[48;2;30;30;60m\x1b[38;2;200;200;255m ✻ agent · ${words(2)} · ${frame} \x1b[K\x1b[0m\x1b8`);
    return out.join('');
  };
}
export function genAgentStream(file, bytes) {
  const next = agentFrames();
  const fd = fs.openSync(file, 'w');
  let total = 0;
  let buf = [];
  let size = 0;
  while (total + size < bytes) {
    const f = next();
    buf.push(f);
    size += Buffer.byteLength(f);
    if (size > MB) {
      fs.writeSync(fd, buf.join(''));
      total += size;
      buf = [];
      size = 0;
    }
  }
  // leave the terminal tidy for the end marker: attributes off, below the dynamic area
  buf.push('\x1b[0m\r\n');
  fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
}

/** Standalone agent scripts (run by node) used by several sections. */
export function writeNodeScripts() {
  const spinner = path.join(TMP, 'spinner.mjs');
  fs.writeFileSync(
    spinner,
    `// redraws a one-line spinner in place at 10 Hz, like an agent thinking
export const s = ['·','✢','✳','✶','✻','✽']; let i = 0; const t0 = Date.now();
setInterval(() => { i++; process.stdout.write('\\r\\x1b[38;2;215;119;87m' + s[i % 6] + '\\x1b[39m thinking… \\x1b[2m(' + Math.floor((Date.now() - t0) / 1000) + 's · esc to interrupt)\\x1b[22m\\x1b[K'); }, 100);
`,
  );
  const anim = path.join(TMP, 'anim.mjs');
  fs.writeFileSync(
    anim,
    `// an agent-like TUI redrawing at 20 fps (Ink-style erase + redraw, truecolour, scrolling messages)
export const WORDS = ${JSON.stringify(WORDS)};
${rng.toString()}
${agentFrames.toString()}
export const next = agentFrames(Number(process.argv[2] ?? 7));
setInterval(() => process.stdout.write(next()), 50);
`,
  );
  return { spinner, anim };
}

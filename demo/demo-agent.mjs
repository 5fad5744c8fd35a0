#!/usr/bin/env node
// demo-agent.mjs: a fake AI coding agent for `flower-tui demo` and for end-to-end tests.
// It uses the terminal the way real agents do (truecolour, raw stdin, bracketed paste, a
// status row inside a scroll region, cursor save/restore), so panes get a realistic workout.
// Usage: node demo/demo-agent.mjs [--name NAME] [--style claude|codex|plain] [--quiet]
// No dependencies on purpose: it must run from the published package with plain `node`.
import process from 'node:process';

// Under flower-tui the agent is named after its id (FLOWER_AGENT = "<worktree>/<name>").
const opt = { name: process.env.FLOWER_AGENT?.split('/').pop() || 'agent', style: 'claude', quiet: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const eq = a.indexOf('=');
  const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
  if (a === '--quiet') opt.quiet = true;
  else if (key === 'name' || key === 'style') opt[key] = eq > 0 ? a.slice(eq + 1) : (argv[++i] ?? opt[key]);
}

// ---- colours -------------------------------------------------------------------------------
const RESET = '\x1b[0m', BOLD = '\x1b[1m';
const rgb = (r, g, b) => `\x1b[38;2;${r};${g};${b}m`;
const c256 = (n) => `\x1b[38;5;${n}m`;
const THEMES = {
  claude: { accent: rgb(217, 119, 87), soft: rgb(245, 184, 138), dim: c256(245), add: c256(114), del: c256(174) },
  codex: { accent: rgb(59, 130, 246), soft: rgb(34, 211, 238), dim: c256(244), add: c256(114), del: c256(203) },
  plain: { accent: BOLD, soft: '', dim: '\x1b[2m', add: '\x1b[32m', del: '\x1b[31m' },
};
const T = Object.hasOwn(THEMES, opt.style) ? THEMES[opt.style] : THEMES.claude;
const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

// ---- output: never throw when the terminal goes away (EPIPE / EIO), just leave quietly -------
let exiting = false;
function out(s) {
  if (exiting) return;
  try { process.stdout.write(s); } catch { finish(0); }
}
process.stdout.on('error', () => finish(0));
process.stdin.on('error', () => finish(0));

// ---- status row: last terminal row, kept out of normal output by a scroll region ------------
let rows = process.stdout.rows || 0;
let tick = 0, tokens = 12300;
const statusOn = () => !opt.quiet && Boolean(process.stdout.isTTY) && rows >= 4;
// DECSTBM homes the cursor, so wrap it in save/restore (ESC 7 / ESC 8) to keep the prompt put.
const applyRegion = () => statusOn() && out(`\x1b7\x1b[1;${rows - 1}r\x1b8`);
function drawStatus() {
  if (!statusOn()) return;
  tokens += Math.floor(Math.random() * 400);
  const clock = new Date().toTimeString().slice(0, 8);
  const text = `${SPIN[tick++ % SPIN.length]} ${opt.name} · tokens ${(tokens / 1000).toFixed(1)}k · ${clock}`;
  // Truncate to cols-1 so we never write into the last cell (which would arm auto-wrap).
  const cut = [...text].slice(0, Math.max(1, (process.stdout.columns || 80) - 1)).join('');
  out(`\x1b7\x1b[${rows};1H${T.dim}${cut}${RESET}\x1b[K\x1b8`);
}
process.on('SIGWINCH', () => {
  const old = rows;
  rows = process.stdout.rows || rows;
  if (!statusOn()) return;
  applyRegion();
  // After shrinking, the cursor may now sit on the status row; ask where it is (DSR) and fix it
  // in onCursorReport before drawing the status there. Otherwise draw right away.
  if (rows < old) out('\x1b[6n'); else drawStatus();
});
function onCursorReport(row, col) {
  if (!statusOn()) return;
  // Scroll the whole screen up one line (full region, LF at the bottom), then put the cursor
  // back one row higher, inside the region, so typing doesn't land on the status row.
  if (row >= rows) out(`\x1b[r\x1b[${rows};1H\n\x1b[1;${rows - 1}r\x1b[${rows - 1};${col}H`);
  drawStatus();
}

// ---- clean exit: restore the terminal modes we changed ---------------------------------------
function finish(code) {
  if (exiting) return;
  let restore = '\x1b[?2004l\x1b[?25h'; // bracketed paste off, cursor visible
  if (statusOn()) restore += `\x1b7\x1b[${rows};1H\x1b[2K\x1b[r\x1b8`; // clear status, full region
  try { process.stdout.write(restore); } catch { /* terminal already gone */ }
  exiting = true;
  try { if (process.stdin.isTTY) process.stdin.setRawMode(false); } catch { /* ditto */ }
  process.exit(code);
}
process.on('SIGTERM', () => finish(0));
process.on('SIGHUP', () => finish(0));
process.on('SIGINT', () => finish(130)); // only reachable when stdin is not a raw TTY

// ---- line editing --------------------------------------------------------------------------
let line = [];      // code points of the current input
let busy = true;    // true while "working": keys are queued, not lost, and replayed at the prompt
const queued = [];
let lastCh = '', inputEnded = false; // piped stdin: finish the queued work, then exit 0
// Rough East Asian wide / emoji check so Backspace erases the right number of cells.
const isWide = (cp) => (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
  (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) ||
  (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);

const prompt = () => out(`${T.accent}${BOLD}❯${RESET} `);
function apply(ch) {
  const prev = lastCh;
  lastCh = ch;
  if (ch === '\r' || (ch === '\n' && prev !== '\r')) return submit();
  if (ch === '\x04') { if (line.length === 0) { out('\r\n'); finish(0); } return; }
  if (ch === '\x7f' || ch === '\b') {
    const gone = line.pop();
    if (gone !== undefined) out(isWide(gone.codePointAt(0)) ? '\b\b  \b\b' : '\b \b');
    return;
  }
  if (ch < ' ') return; // other control keys (Tab, Ctrl-letters...): ignore silently
  line.push(ch);
  out(ch);
}
function submit() {
  const text = line.join('');
  line = [];
  out('\r\n');
  if (!text.trim()) { prompt(); return; }
  busy = true;
  let f = 0;
  const frame = () => out(`\r${T.accent}${SPIN[f++ % SPIN.length]} ${T.soft}Thinking…${RESET}\x1b[K`);
  out('\x1b[?25l');
  frame();
  const spin = setInterval(frame, 80);
  setTimeout(() => {
    clearInterval(spin);
    out(`\r\x1b[K\x1b[?25h${T.accent}●${RESET} You said: ${BOLD}${text}${RESET}\r\n`);
    out(`  ${T.dim}⎿ (demo agent: nothing was changed, ${[...text].length} characters received)${RESET}\r\n`);
    ready();
  }, 1000);
}
function ready() {
  busy = false;
  prompt();
  while (queued.length && !busy) apply(queued.shift());
  if (inputEnded && !busy) { out('\r\n'); finish(0); }
}
const key = (ch) => (busy ? queued.push(ch) : apply(ch));

// ---- input parser: plain keys, CSI/SS3 sequences (ignored), bracketed paste, DSR replies ----
let esc = '', params = '', pasting = false, paste = '';
function feed(chunk) {
  for (const ch of chunk) {
    if (ch === '\x03' && !pasting) { out('^C\r\n'); return finish(130); }
    if (esc === 'esc') { esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : ''; params = ''; continue; }
    if (esc === 'ss3') { esc = ''; continue; } // ESC O x: F1-F4 / application-mode arrows
    if (esc === 'csi') {
      if (ch >= '@' && ch <= '~') { esc = ''; onCsi(params, ch); } else params += ch;
      continue;
    }
    if (ch === '\x1b') { esc = 'esc'; continue; }
    if (pasting) paste += ch; else key(ch);
  }
  if (esc === 'esc') esc = ''; // a lone ESC at the end of a read is the Escape key itself
}
function onCsi(p, final) {
  if (final === '~' && p === '200') { pasting = true; paste = ''; return; }
  if (final === '~' && p === '201' && pasting) {
    pasting = false;
    // Insert the paste as typed text; newlines become spaces so a paste never submits by itself.
    for (const ch of paste.replace(/\r\n|\r|\n|\t/g, ' ').replace(/[\x00-\x1f\x7f]/g, '')) key(ch);
    return;
  }
  const m = final === 'R' && /^(\d+);(\d+)$/.exec(p);
  if (m) onCursorReport(Number(m[1]), Number(m[2])); // reply to our ESC[6n
  // everything else (arrows, Home/End, focus events, F-keys...) is ignored on purpose
}

// ---- start-up: banner, then some streamed "work" at a human pace -----------------------------
function banner() {
  const cols = process.stdout.columns || 80;
  const lines = [`${T.accent}✻${RESET} ${BOLD}${opt.name}${RESET} ${T.dim}· flower-tui demo agent${RESET}`,
    `  ${T.dim}cwd:${RESET} ${process.cwd()}`, `  ${T.dim}Type a message and press Enter · Ctrl-C quits${RESET}`];
  const vis = (s) => [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
  const inner = Math.max(8, Math.min(Math.max(...lines.map(vis)) + 2, cols - 2));
  const fit = (s) => (vis(s) <= inner - 2 ? s + ' '.repeat(inner - 2 - vis(s)) : [...s.replace(/\x1b\[[0-9;]*m/g, '')].slice(0, inner - 3).join('') + '…');
  let b = `${T.accent}╭${'─'.repeat(inner)}╮${RESET}\r\n`;
  for (const l of lines) b += `${T.accent}│${RESET} ${fit(l)}${RESET} ${T.accent}│${RESET}\r\n`;
  return b + `${T.accent}╰${'─'.repeat(inner)}╯${RESET}\r\n\r\n`;
}
const WORK = [
  [`${T.accent}●${RESET} Reading ${BOLD}src/app.ts${RESET}`, 120],
  [`${T.accent}●${RESET} Reading ${BOLD}src/lib/router.ts${RESET}`, 90],
  [`  ${T.dim}⎿ 142 lines${RESET}`, 60],
  [`${T.accent}●${RESET} Searching for ${T.soft}"handleRequest"${RESET}`, 150],
  [`  ${T.dim}⎿ 3 matches in 2 files${RESET}`, 70],
  [`${T.accent}●${RESET} Editing ${BOLD}src/app.ts${RESET}`, 130],
  [`    ${T.del}12 -  const port = 3000;${RESET}`, 40],
  [`    ${T.add}12 +  const port = Number(process.env.PORT ?? 3000);${RESET}`, 40],
  [`    ${T.dim}13    app.listen(port);${RESET}`, 30],
  [`${T.accent}●${RESET} Running ${BOLD}npm test${RESET}`, 650],
  [`${T.add}✓${RESET} Tests pass (12)`, 150],
  [`${T.accent}●${RESET} Done. ${T.soft}What should I do next?${RESET}`, 100],
];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (process.stdin.isTTY) process.stdin.setRawMode(true); // raw from the start: early keys get queued
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', feed);
  process.stdin.on('end', () => { inputEnded = true; if (!busy) { out('\r\n'); finish(0); } });
  out('\x1b[2J\x1b[H\x1b[?2004h'); // clear; enable bracketed paste so pastes arrive wrapped
  applyRegion();
  drawStatus();
  if (!opt.quiet) setInterval(drawStatus, 1500);
  out(banner());
  for (const [text, ms] of WORK) { await sleep(ms); out(text + '\r\n'); }
  out('\r\n');
  ready();
}
main();

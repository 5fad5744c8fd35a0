// The figures a run collects (rows, notes, how busy the machine was) and the table they print as.
import { fmt, log } from './format.mjs';

export const rows = [];
export const notes = [];
/** One table row; ratio = flower / tmux when both are numbers. */
export function result(section, metric, flower, tmux, { unit = '', target = '', met = null, digits = 2, ratio } = {}) {
  const r = ratio !== undefined ? ratio : typeof flower === 'number' && typeof tmux === 'number' && tmux > 0 ? flower / tmux : null;
  const row = { section, metric, flower, tmux, ratio: r, unit, target, met, digits };
  rows.push(row);
  const cell = (v) => (typeof v === 'number' ? fmt(v, digits) : v ?? '—');
  log(`  ${metric}: flower ${cell(flower)}${unit} · tmux ${cell(tmux)}${unit}${r !== null ? ` · ratio ${fmt(r)}` : ''}${target ? ` · target ${target}: ${met === null ? '—' : met ? 'met' : 'MISSED'}` : ''}`);
  return row;
}
export function note(s) {
  notes.push(s);
  log(`  note: ${s}`);
}
/** "section N %" per section run: whole-machine CPU busy while it ran. */
export const sectionBusy = [];

export function table(md) {
  const head = ['section', 'measurement', 'flower-tui', 'tmux', 'ratio', 'target', 'met'];
  const body = rows.map((r) => {
    const cell = (v) => (typeof v === 'number' ? `${fmt(v, r.digits)}${r.unit}` : v ?? '—');
    return [r.section, r.metric, cell(r.flower), cell(r.tmux), r.ratio === null ? '—' : `${fmt(r.ratio)}×`, r.target || '—', r.met === null ? '—' : r.met ? 'met' : '**MISSED**'];
  });
  if (md) return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n');
  const all = [head, ...body.map((b) => b.map((c) => c.replace(/\*\*/g, '')))];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ');
  return [line(head), w.map((n) => '─'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

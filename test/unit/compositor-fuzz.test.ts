// The compositor draws only what changed; after any random mix of changes it must equal a full redraw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalScreen } from '../../src/core/agents/terminal-screen.js';
import { Compositor, type PanePlacement } from '../../src/ui/compositor/compositor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function dump(t: TerminalScreen): string[] {
  const out: string[] = [];
  const b = t.term.buffer.active;
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.baseY + y)!;
    let s = '';
    for (let x = 0; x < t.cols; x++) {
      const c = line.getCell(x)!;
      s += (c.getChars() || ' ') + (c.getFgColor() ? c.getFgColor().toString(36) : '');
    }
    out.push(s);
  }
  return out;
}

test('compositor: incremental frames equal a full redraw (random ops)', async () => {
  for (let seed = Number(process.env.SEED ?? 1); seed <= Number(process.env.SEED_END ?? 40); seed++) {
    const rand = rng(seed);
    const ri = (n: number) => Math.floor(rand() * n);
    let cols = 40, rows = 16;
    const real = new TerminalScreen(cols, rows, 0);
    const chrome = new TerminalScreen(cols, rows, 0, { convertEol: true });
    const comp = new Compositor({ fps: 1000, backgroundFps: 1000, write: (d) => (real.write(d), true), onDrain: () => {} });
    comp.setChrome(chrome.term);
    comp.setSize(cols, rows);
    const terms = ['a', 'b', 'c'].map((id) => ({ id, s: new TerminalScreen(12, 5, 50), alt: new TerminalScreen(12, 5, 50) }));
    let placements: PanePlacement[] = [];
    let overlay: { x: number; y: number; width: number; height: number } | null = null;
    comp.resume();
    const layout = () => {
      placements = terms.filter(() => rand() < 0.8).map((t, i) => ({
        agent: t.id,
        rect: { x: ri(cols - 15), y: i * 5 + ri(2), width: 3 + ri(12), height: 2 + ri(3) },
        term: rand() < 0.3 ? t.alt.term : t.s.term,
        top: null,
        focused: i === 0,
      }));
      overlay = rand() < 0.3 ? { x: ri(cols - 8), y: ri(rows - 4), width: 4 + ri(8), height: 2 + ri(4) } : null;
      comp.setPanes(placements, overlay);
    };
    layout();
    const log: string[] = [];
    for (let step = 0; step < 60; step++) {
      const op = ri(6);
      if (op <= 2) {
        const t = terms[ri(3)]!;
        const txt = `\x1b[${31 + ri(6)}m${String.fromCharCode(65 + ri(26)).repeat(1 + ri(8))}${rand() < 0.3 ? '\r\n' : ''}`;
        (rand() < 0.8 ? t.s : t.alt).write(txt);
        comp.markAgentDirty(t.id);
        log.push(`write ${t.id}`);
      } else if (op === 3) {
        chrome.write(`\x1b[${1 + ri(rows)};${1 + ri(cols)}H\x1b[3${ri(8)}m${String.fromCharCode(97 + ri(26)).repeat(1 + ri(6))}`, () => comp.markChromeDirty());
        log.push('chrome');
      } else if (op === 4) {
        layout();
        log.push('layout');
      } else {
        // re-place same panes, only term swapped or overlay changed
        placements = placements.map((p) => (rand() < 0.5 ? { ...p, term: p.term === terms.find((t) => t.id === p.agent)!.s.term ? terms.find((t) => t.id === p.agent)!.alt.term : terms.find((t) => t.id === p.agent)!.s.term } : p));
        comp.setPanes(placements, rand() < 0.5 ? overlay : null);
        log.push('swap');
      }
      if (rand() < 0.5) await sleep(5); if (process.env.STEPCHECK) { await sleep(30); const ref = new TerminalScreen(cols, rows, 0); const c2 = new Compositor({ fps: 1000, backgroundFps: 1000, write: (d) => (ref.write(d), true), onDrain: () => {} }); c2.setChrome(chrome.term); c2.setSize(cols, rows); c2.setPanes(placements, (comp as any).overlay); c2.resume(); await sleep(10); c2.pause(); const ok = JSON.stringify(dump(real)) === JSON.stringify(dump(ref)); console.log(step, log[log.length-1], ok ? "ok" : "MISMATCH"); if (!ok) { console.log(dump(real).map(l=>l.replace(/ -1/g,"  .")).join("\n")); console.log("--"); console.log(dump(ref).map(l=>l.replace(/ -1/g,"  .")).join("\n")); console.log(JSON.stringify(placements.map(p=>[p.agent,p.rect])), JSON.stringify((comp as any).overlay)); break; } }
    }
    await sleep(40);
    // Reference: a fresh compositor drawing everything once.
    const ref = new TerminalScreen(cols, rows, 0);
    const c2 = new Compositor({ fps: 1000, backgroundFps: 1000, write: (d) => (ref.write(d), true), onDrain: () => {} });
    c2.setChrome(chrome.term);
    c2.setSize(cols, rows);
    c2.setPanes(placements, (comp as unknown as { overlay: typeof overlay }).overlay);
    c2.resume();
    await sleep(20);
    assert.deepEqual(dump(real), dump(ref), `seed ${seed}: ${log.join(',')}`);
    comp.pause();
    c2.pause();
  }
});

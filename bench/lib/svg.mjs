// Line plots as a plain SVG string (no dependency): a grid of panels, each with axes, ticks, one
// labelled line per series and a shared legend, for bench/scale.svg.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Least squares y = a + b·x over points [{x, y}]: { a, b, r2 } (b is the slope). */
export function leastSquares(points) {
  const p = points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y));
  const n = p.length;
  if (n < 2) return { a: p[0]?.y ?? NaN, b: NaN, r2: NaN };
  const mx = p.reduce((s, q) => s + q.x, 0) / n;
  const my = p.reduce((s, q) => s + q.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const q of p) {
    sxx += (q.x - mx) ** 2;
    sxy += (q.x - mx) * (q.y - my);
    syy += (q.y - my) ** 2;
  }
  const b = sxx ? sxy / sxx : NaN;
  return { a: my - b * mx, b, r2: syy ? (sxy * sxy) / (sxx * syy) : 1 };
}

/** "Nice" tick values covering [0, max]. */
function ticks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1] < max) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}
const label = (v) => (Math.abs(v) >= 1000 && v % 1000 === 0 ? `${v / 1000}k` : Math.abs(v) >= 10_000 ? `${Number((v / 1000).toPrecision(3))}k` : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3))));

/**
 * panels: [{ title, xLabel, yLabel, series: [{ name, short?, color, dash?, points: [{x, y}] }] }]
 * Returns the SVG text. The legend lists each distinct series name once.
 */
export function linePlots({ title, subtitle = '', panels, columns = 3, panelW = 400, panelH = 270 }) {
  const rowsN = Math.ceil(panels.length / columns);
  const top = 78;
  const W = columns * panelW;
  const H = top + rowsN * panelH + 10;
  const m = { l: 62, r: 84, t: 34, b: 50 };
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="17" font-weight="bold">${esc(title)}</text>`);
  if (subtitle) out.push(`<text x="${W / 2}" y="43" text-anchor="middle" font-size="12" fill="#555">${esc(subtitle)}</text>`);
  // legend: one entry per distinct series name
  const legend = [];
  for (const p of panels) for (const s of p.series) if (!legend.some((l) => l.name === s.name)) legend.push(s);
  let lx = W / 2 - (legend.length * 150) / 2;
  for (const s of legend) {
    out.push(`<line x1="${lx}" y1="62" x2="${lx + 28}" y2="62" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<circle cx="${lx + 14}" cy="62" r="3.5" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 36}" y="66" font-size="13">${esc(s.name)}</text>`);
    lx += 150;
  }
  panels.forEach((p, i) => {
    const ox = (i % columns) * panelW;
    const oy = top + Math.floor(i / columns) * panelH;
    const pw = panelW - m.l - m.r;
    const ph = panelH - m.t - m.b;
    const pts = p.series.flatMap((s) => s.points).filter((q) => Number.isFinite(q.y));
    const xMax = Math.max(...pts.map((q) => q.x), 1);
    const xMin = Math.min(0, ...pts.map((q) => q.x));
    const yt = ticks(Math.max(...pts.map((q) => q.y), 0) * 1.05);
    const yMax = yt[yt.length - 1];
    const X = (x) => ox + m.l + ((x - xMin) / (xMax - xMin || 1)) * pw;
    const Y = (y) => oy + m.t + ph - (y / (yMax || 1)) * ph;
    out.push(`<g>`);
    out.push(`<text x="${ox + m.l + pw / 2}" y="${oy + 18}" text-anchor="middle" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
    // grid and y ticks
    for (const v of yt) {
      out.push(`<line x1="${ox + m.l}" y1="${Y(v)}" x2="${ox + m.l + pw}" y2="${Y(v)}" stroke="#e4e4e4"/>`);
      out.push(`<text x="${ox + m.l - 6}" y="${Y(v) + 4}" text-anchor="end" fill="#333">${esc(label(v))}</text>`);
    }
    // x ticks: the measured x values
    const xs = [...new Set(pts.map((q) => q.x))].sort((a, b) => a - b);
    // (a label that would touch the one before it is left off; the tick stays)
    let lastLabelX = -Infinity;
    for (const x of xs) {
      out.push(`<line x1="${X(x)}" y1="${oy + m.t + ph}" x2="${X(x)}" y2="${oy + m.t + ph + 5}" stroke="#333"/>`);
      const text = label(x);
      const halfW = text.length * 3.6;
      if (X(x) - halfW < lastLabelX + 4) continue;
      out.push(`<text x="${X(x)}" y="${oy + m.t + ph + 18}" text-anchor="middle" fill="#333">${esc(text)}</text>`);
      lastLabelX = X(x) + halfW;
    }
    // axes
    out.push(`<line x1="${ox + m.l}" y1="${oy + m.t}" x2="${ox + m.l}" y2="${oy + m.t + ph}" stroke="#333"/>`);
    out.push(`<line x1="${ox + m.l}" y1="${oy + m.t + ph}" x2="${ox + m.l + pw}" y2="${oy + m.t + ph}" stroke="#333"/>`);
    out.push(`<text x="${ox + m.l + pw / 2}" y="${oy + panelH - 12}" text-anchor="middle" fill="#333">${esc(p.xLabel)}</text>`);
    out.push(`<text transform="translate(${ox + 15} ${oy + m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(p.yLabel)}</text>`);
    // lines and points; each line's name and last value right of its end, pushed apart to stay readable
    const ends = [];
    for (const s of p.series) {
      const q = s.points.filter((r) => Number.isFinite(r.y)).sort((a, b) => a.x - b.x);
      if (!q.length) continue;
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${q.map((r) => `${X(r.x).toFixed(1)},${Y(r.y).toFixed(1)}`).join(' ')}"/>`);
      for (const r of q) out.push(`<circle cx="${X(r.x).toFixed(1)}" cy="${Y(r.y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(`${s.name}: ${label(r.x)} → ${label(r.y)}`)}</title></circle>`);
      const last = q[q.length - 1];
      ends.push({ s, x: X(last.x) + 13, y: Y(last.y) + 4, v: last.y });
    }
    ends.sort((a, b) => a.y - b.y);
    for (let k = 1; k < ends.length; k++) if (ends[k].y - ends[k - 1].y < 28) ends[k].y = ends[k - 1].y + 28;
    const over = ends.length ? ends[ends.length - 1].y - (oy + m.t + ph + 4) : 0;
    if (over > 0) for (const e of ends) e.y -= over;
    for (const e of ends) {
      out.push(`<text x="${e.x}" y="${e.y}" fill="${e.s.color}" font-weight="bold">${esc(e.s.short ?? e.s.name)}</text>`);
      out.push(`<text x="${e.x}" y="${e.y + 13}" fill="${e.s.color}">${esc(label(Number(e.v.toPrecision(3))))}</text>`);
    }
    out.push(`</g>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

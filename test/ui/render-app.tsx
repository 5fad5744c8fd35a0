import './force-color.js';
import React from 'react';
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render as inkRender } from 'ink';
import { render as testingRender } from 'ink-testing-library';
import stringWidth from 'string-width';
import { App } from '../../src/ui/components/App.js';
import { buildKeymap, type Keymap } from '../../src/ui/keymap.js';
import { computeLayout, type Layout } from '../../src/layout/layout.js';
import { initialUiState, lanesOf, type UiState } from '../../src/ui/ui-state.js';
import type { Snapshot } from '../../src/core/types.js';
import { fakeSnapshot } from '../helpers/fake-snapshot.js';

/**
 * ink-testing-library's stdout reports a fixed 100 columns (a getter on its Stdout class, no option),
 * so Ink lays the root out 100 wide and clips anything wider. Terminals up to 100 columns render
 * with it directly; wider ones render through Ink with a stdout of the right width, the same way.
 */
class WideStdout extends EventEmitter {
  frames: string[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

export interface Rendered {
  /** The last frame with colours (SGR) kept. */
  raw: string;
  /** The last frame as plain text, one string per row. */
  lines: string[];
  layout: Layout;
  snapshot: Snapshot;
  ui: UiState;
  keymap: Keymap;
  /** Plain text of a rectangle's top row, starting at its x (by display column). */
  textAt(x: number, y: number, width: number): string;
  /** Raw (with SGR) row y. */
  rawLine(y: number): string;
}

export interface RenderOpts {
  cols?: number;
  rows?: number;
  /** MAIN's strip height (the cockpit's mainHeightFor); default: the layout's. */
  mainHeight?: number;
  snapshot?: Snapshot;
  ui?: Partial<UiState>;
  keymap?: Keymap;
  scrollDepth?: (agent: string) => number;
}

/** Slice a plain line by display columns (wide characters count two). */
export function columns(line: string, x: number, width: number): string {
  let col = 0;
  let out = '';
  for (const ch of line) {
    const w = stringWidth(ch);
    if (col >= x && col + w <= x + width) out += ch;
    col += w;
    if (col >= x + width) break;
  }
  return out;
}

export function renderApp(o: RenderOpts = {}): Rendered {
  const cols = o.cols ?? 80;
  const rows = o.rows ?? 24;
  const snapshot = o.snapshot ?? fakeSnapshot();
  const keymap = o.keymap ?? buildKeymap();
  const ui: UiState = { ...initialUiState(), ...o.ui };
  const layout = computeLayout({ cols, rows, lanes: lanesOf(snapshot), focusLane: ui.focusLane, focusAgent: ui.focusAgent, mainHeight: o.mainHeight });
  // Durations are counted to the newest state change: headers say "0s" however slow the machine is.
  const now = Math.max(0, ...snapshot.agents.map((a) => Date.parse(a.status.since)));
  const tree = <App snapshot={snapshot} ui={ui} layout={layout} keymap={keymap} scrollDepth={o.scrollDepth} now={now} />;
  let raw: string;
  if (cols <= 100) {
    const r = testingRender(tree);
    raw = r.lastFrame() ?? '';
    r.unmount();
  } else {
    const stdout = new WideStdout(cols, rows);
    const inst = inkRender(tree, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new WideStdout(cols, rows) as unknown as NodeJS.WriteStream,
      stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    raw = stdout.frames.at(-1) ?? '';
    inst.unmount();
  }
  const rawLines = raw.split('\n');
  const lines = stripVTControlCharacters(raw).split('\n');
  return {
    raw,
    lines,
    layout,
    snapshot,
    ui,
    keymap,
    textAt: (x, y, width) => columns(lines[y] ?? '', x, width),
    rawLine: (y) => rawLines[y] ?? '',
  };
}

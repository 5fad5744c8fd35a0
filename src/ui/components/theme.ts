import type { AgentState } from '../../core/types.js';

/** Colours used by the chrome, in one place so the look is consistent. */
export const theme = {
  border: 'gray',
  focusBorder: 'cyan',
  main: 'yellow',
  mainFocus: 'yellowBright',
  title: 'white',
  hint: 'gray',
  error: 'red',
  ok: 'green',
  warn: 'yellow',
  headerFocusBg: 'cyan',
  headerFocusFg: 'black',
} as const;

export function stateColour(s: AgentState): string {
  switch (s.kind) {
    case 'running':
      return 'green';
    case 'starting':
      return 'yellow';
    case 'exited':
      return s.code === 0 && !s.signal ? 'gray' : 'red';
    case 'killed':
      return 'gray';
    case 'failed':
      return 'red';
  }
}

export function stateGlyph(s: AgentState): string {
  return s.kind === 'running' ? '●' : s.kind === 'starting' ? '◌' : s.kind === 'failed' ? '✗' : '○';
}

/** Shown after a sandboxed agent's name, and on MAIN's monitor: MAIN is write-protected (docs/sandbox.md). */
export const SANDBOX_MARK = '🔒';

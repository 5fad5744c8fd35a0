import type { AgentState } from '../../core/types.js';
import type { StatusState } from '../../core/status/agent-status.js';

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
// Narrow (one cell) everywhere: an emoji lock is two cells in some emulators and one in others, which
// shifts the rest of the row.
export const SANDBOX_MARK = '▣';
/** What an agent is doing, at a glance: needs-you stands out, working is busy, idle is calm. */
export function statusColour(s: StatusState, exitCode?: string | null): string {
  switch (s) {
    case 'needs-you':
      return 'magentaBright';
    case 'working':
    case 'compacting':
      return 'yellow';
    case 'idle':
      return 'green';
    case 'starting':
      return 'cyan';
    case 'running':
      return 'green';
    case 'exited':
      return exitCode === '0' ? 'gray' : 'red';
    case 'killed':
      return 'gray';
    case 'failed':
      return 'red';
  }
}

export function statusGlyph(s: StatusState): string {
  return s === 'needs-you' ? '!' : s === 'working' || s === 'compacting' || s === 'running' ? '●' : s === 'starting' ? '◌' : s === 'failed' ? '✗' : '○';
}

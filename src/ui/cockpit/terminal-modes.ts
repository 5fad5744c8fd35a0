import { RESET_AGENT_MODES } from '../attach-session.js';

// The terminal modes the grid runs with, and what gives the terminal back as it was found.

/** Alternate screen, cursor hidden, no autowrap, bracketed paste. */
const GRID_MODES_BASE = '\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[?2004h';
/** Clicks and the wheel, SGR-encoded (`ui.mouse`). */
const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';

/** Undoes the grid's modes (and any an agent left on); written on every exit path. */
export const TERMINAL_RESTORE = RESET_AGENT_MODES + '\x1b[?1049l\x1b[?25h\x1b[?7h';

/** The grid's modes, with the mouse when configured. */
export function gridModes(mouse: boolean): string {
  return GRID_MODES_BASE + (mouse ? MOUSE_ON : '');
}

/** The grid's modes again after the terminal was lent out (attach, $EDITOR): the screen cleared first. */
export function gridModesAgain(mouse: boolean): string {
  return '\x1b[2J' + gridModes(mouse);
}

export interface TerminalIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** The grid's input handler: off while the terminal is lent out. */
  onInput: (chunk: string | Buffer) => void;
  mouse: boolean;
}

/**
 * Lend the terminal to a program run synchronously ($VISUAL/$EDITOR): the grid's input handler off,
 * cooked mode, the grid's modes undone; then all of it taken back. The caller pauses drawing.
 */
export function lendTerminal<T>(io: TerminalIo, use: () => T): T {
  const { stdin, stdout } = io;
  stdin.off('data', io.onInput);
  stdin.setRawMode?.(false);
  stdout.write(TERMINAL_RESTORE);
  const result = use();
  stdin.setRawMode?.(true);
  stdin.on('data', io.onInput);
  stdout.write(gridModesAgain(io.mouse));
  return result;
}

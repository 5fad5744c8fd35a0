import type { TerminalScreen } from '../agents/terminal-screen.js';
import type { AgentInfo } from '../types.js';

/**
 * What a cockpit (the TUI) needs of one agent. In-process it is the Agent itself; attached to a
 * server it is a view whose screen is a mirror emulator fed by the server's byte stream.
 */
export interface AgentView {
  readonly info: AgentInfo;
  readonly isLive: boolean;
  /** The emulator to draw from and to serialize on attach. */
  readonly screen: TerminalScreen;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** While attached, the real terminal answers the program's queries, not the emulator. */
  setRepliesEnabled(on: boolean): void;
  /** Raw pty output as it arrives (whole UTF-8 characters); returns an unsubscribe function. */
  onOutput(fn: (data: Uint8Array) => void): () => void;
  /**
   * The screen with its scrollback, current up to the moment the promise resolves (scroll mode,
   * attach). In-process that is the agent's own emulator; a client's mirror keeps no scrollback, so
   * it is a copy fetched from the server. `release` when done with it.
   */
  history(): Promise<AgentHistory>;
  /**
   * A client's mirror was replaced by the server's screen (a resync after falling behind, a
   * resize): an attached terminal, which missed or reflowed bytes, repaints from it.
   */
  onReload?(fn: () => void): () => void;
  /**
   * Attached: ask the server to write the agent's output to this terminal itself (one hop less
   * per echo). `direct(true)` is called at the exact point in the stream from which the server
   * writes (the caller stops writing there); resolves false when it will not (the caller writes on).
   */
  handOver?(tty: OwnTty, direct: (on: boolean) => void): Promise<boolean>;
  /** Take the terminal back; resolves once the server's last write to it is out. */
  takeBack?(): Promise<void>;
}

/** The cockpit's own terminal, as the server checks it: its device path and number (fstat of stdout). */
export interface OwnTty {
  path: string;
  rdev: number;
}

export interface AgentHistory {
  screen: TerminalScreen;
  release(): void;
}

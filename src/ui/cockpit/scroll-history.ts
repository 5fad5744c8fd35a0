import type { AgentHistory, CockpitBackend } from '../../core/backend/cockpit-backend.js';
import type { TerminalScreen } from '../../core/agents/terminal-screen.js';
import { describeError } from '../../shared/errors.js';
import type { Key } from '../input/key-tokens.js';
import type { UiState } from '../ui-state.js';

export interface HistoryFetch {
  /** The history could not be read: say so (the keys still run, on the live screen). */
  failed(message: string): void;
  /** The cockpit is gone: the copy is dropped, no key runs. */
  finished(): boolean;
  /** Run the keys that waited for the history. */
  run(keys: Key[]): void;
}

/**
 * Scroll mode's view of an agent: its screen with scrollback. Remote, only the server has the
 * scrollback; local, the older part of it may be in the emulator's compact archive: either way
 * entering scroll mode fetches a copy first; keys typed meanwhile wait here, then run in order
 * against it (usually a few milliseconds).
 */
export class ScrollHistory {
  private copy: { agent: string; history: AgentHistory } | null = null;
  /** The agent whose history could not be fetched just now: scroll mode runs on its live screen. */
  private unavailable: string | null = null;
  /** Keys wait here while a history is being fetched. */
  private held: Key[] | null = null;

  constructor(private readonly backend: CockpitBackend) {}

  /** What scroll mode reads for an agent: its history when fetched, else its live screen. */
  screen(agent: string): TerminalScreen | undefined {
    if (this.copy?.agent === agent) return this.copy.history.screen;
    return this.backend.agent(agent)?.screen;
  }

  /** While a fetch runs, keys are kept for after it: true when these were taken. */
  hold(keys: Key[]): boolean {
    if (!this.held) return false;
    this.held.push(...keys);
    return true;
  }

  /** Whether scroll mode starting on this agent must first fetch its history. */
  mustFetch(agent: string): boolean {
    if (this.copy?.agent === agent || this.unavailable === agent) return false;
    return this.backend.kind === 'remote' || this.backend.agent(agent)?.screen.archived === true;
  }

  /** Fetch the agent's history, holding `pending` (and keys typed meanwhile) until it is here. */
  async fetch(agent: string, pending: Key[], then: HistoryFetch): Promise<void> {
    this.held = pending;
    let history: AgentHistory | null = null;
    try {
      history = (await this.backend.agent(agent)?.history()) ?? null;
    } catch (err) {
      then.failed(`cannot read the scrollback: ${describeError(err)}`);
    }
    if (then.finished()) return history?.release();
    this.release();
    // Without a history (agent gone, server gone) the keys still run, on the live screen.
    if (history) this.copy = { agent, history };
    this.unavailable = history ? null : agent;
    const keys = this.held ?? [];
    this.held = null;
    then.run(keys);
    this.unavailable = null;
  }

  /** Scroll mode ended (or moved to another agent): drop the copy it was reading. */
  dropStale(ui: UiState): void {
    if (this.copy && ui.scroll?.agent !== this.copy.agent) this.release();
  }

  release(): void {
    this.copy?.history.release();
    this.copy = null;
  }
}

import type { AgentHistory, AgentView } from '../core/backend/agent-view.js';
import type { AgentInfo } from '../core/types.js';
import { agentOnHost } from './host-names.js';

/**
 * An agent on another host, under its cockpit name (`box:lane/agent`). The host's backend replaces
 * its views on a reconnect, so the view is looked up on each use, never kept.
 */
export class HostAgentView implements AgentView {
  private named: { from: AgentInfo; info: AgentInfo } | null = null;

  constructor(
    private readonly host: string,
    private readonly inner: () => AgentView | undefined,
    /** The last view, for the moment between a reconnect's disposal of it and its replacement. */
    private last: AgentView,
  ) {}

  private get view(): AgentView {
    return (this.last = this.inner() ?? this.last);
  }

  get info(): AgentInfo {
    const from = this.view.info;
    if (this.named?.from !== from) this.named = { from, info: agentOnHost(this.host, from) };
    return this.named.info;
  }

  get isLive(): boolean {
    return this.view.isLive;
  }

  get screen() {
    return this.view.screen;
  }

  write(data: string): void {
    this.view.write(data);
  }

  resize(cols: number, rows: number): void {
    this.view.resize(cols, rows);
  }

  setRepliesEnabled(on: boolean): void {
    this.view.setRepliesEnabled(on);
  }

  onOutput(fn: (data: Uint8Array) => void): () => void {
    return this.view.onOutput(fn);
  }

  history(): Promise<AgentHistory> {
    return this.view.history();
  }

  onReload(fn: () => void): () => void {
    return this.view.onReload?.(fn) ?? (() => {});
  }
}

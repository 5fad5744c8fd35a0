import type { AgentView, BackendEvent, CockpitBackend, CockpitCommand, CockpitReply } from '../core/backend/cockpit-backend.js';
import type { HostConfig } from '../config/hosts-schema.js';
import type { AgentInfo, Snapshot, SupervisorEvent } from '../core/types.js';
import type { TraceEntry, TraceFilter } from '../core/store/trace.js';
import { FlowerError } from '../shared/errors.js';
import type { FlowerClient } from './client.js';
import { HostAgentView } from './host-agent-view.js';
import { HostLink } from './host-link.js';
import { agentOnHost, briefReplyOnHost, hostOf, mergeHosts, routeCommand } from './host-names.js';
import { refuseTransition } from '../core/briefs/brief.js';
import { bringLaneBase } from './host-push.js';

type Listener = (e: SupervisorEvent | BackendEvent) => void;

export interface HostsBackendOptions {
  mainRoot: string;
  scrollback: number;
  connect: (name: string, host: HostConfig) => Promise<FlowerClient>;
  delays?: number[];
}

/**
 * One cockpit over several servers: this machine's (`primary`) and each configured host's, over
 * ssh. Their lanes show in one grid, a host's named `box:lane`; a command goes to the server that
 * owns what it names (host-names.ts routeCommand). A host that is down never stops the cockpit: its
 * lanes stay greyed with the reason while the link retries; this machine's server works on.
 */
export class HostsBackend implements CockpitBackend {
  readonly kind = 'remote' as const;
  private readonly links = new Map<string, HostLink>();
  private readonly names: ReadonlySet<string>;
  private readonly listeners = new Set<Listener>();
  private readonly views = new Map<string, HostAgentView>();
  private merged: Snapshot | null = null;
  private focus: string | null = null;
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    private readonly primary: CockpitBackend,
    hosts: Record<string, HostConfig>,
    private readonly o: HostsBackendOptions,
  ) {
    this.names = new Set(Object.keys(hosts));
    for (const [name, config] of Object.entries(hosts)) {
      this.links.set(
        name,
        new HostLink(name, config, {
          connect: () => o.connect(name, config),
          scrollback: o.scrollback,
          delays: o.delays,
          changed: () => this.changed(),
          event: (e) => this.emit(e),
          // A new connection's server knows nothing of our focus.
          up: () => this.sendFocus(this.links.get(name)!),
        }),
      );
    }
    primary.subscribe((e) => (e.type === 'snapshot' ? this.changed() : this.emit(e)));
  }

  /** Connect to every host in the background: the cockpit's first frame waits for none of them. */
  start(): void {
    for (const l of this.links.values()) l.start();
  }

  private changed(): void {
    this.merged = null;
    const ids = new Set(this.snapshot().agents.map((a) => a.id));
    for (const id of this.views.keys()) if (!ids.has(id)) this.views.delete(id);
    // A countdown is on screen ("reconnecting (3s)") while a link waits: tick it once a second.
    const waiting = [...this.links.values()].some((l) => l.view.retryAt !== null);
    if (waiting && !this.ticker) {
      this.ticker = setInterval(() => this.emit({ type: 'snapshot', snapshot: this.snapshot() }), 1000);
      this.ticker.unref?.();
    } else if (!waiting && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
    this.emit({ type: 'snapshot', snapshot: this.snapshot() });
  }

  private emit(e: SupervisorEvent | BackendEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  snapshot(): Snapshot {
    const links = [...this.links.values()];
    return (this.merged ??= mergeHosts(
      this.primary.snapshot(),
      links.map((l) => ({ name: l.name, last: l.last })),
      links.map((l) => l.view),
    ));
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The link of a connected host, or a one-line error saying why it is not there. */
  private connected(name: string): HostLink & { backend: CockpitBackend } {
    const link = this.links.get(name)!;
    if (!link.backend || link.view.state !== 'connected') {
      throw new FlowerError('host-unreachable', `${name}: ${link.view.state === 'connecting' ? 'still connecting' : `not connected${link.view.message && link.view.message !== `${name}: disconnected` ? ` (${link.view.message})` : ''}`} — try again when it is back`);
    }
    return link as HostLink & { backend: CockpitBackend };
  }

  async dispatch<C extends CockpitCommand>(cmd: C): Promise<CockpitReply<C>> {
    if (cmd.type === 'refreshWorktrees') {
      for (const l of this.links.values()) if (l.view.state === 'connected') void l.backend?.dispatch(cmd).catch(() => {});
      return this.primary.dispatch(cmd);
    }
    // A brief goes with its lane: dispatched to a lane on another server, it moves there first.
    if (cmd.type === 'brief' && cmd.op === 'dispatch') {
      const target = hostOf(cmd.lane ?? cmd.agent ?? '', this.names)?.host ?? null;
      if (target !== (cmd.host ?? null)) return (await this.moveBrief(cmd, target)) as CockpitReply<C>;
    }
    const route = routeCommand(cmd, this.names);
    if (route.host === null) return this.primary.dispatch(route.cmd as C);
    const link = this.connected(route.host);
    const routed = route.cmd;
    if (routed.type === 'brief') return briefReplyOnHost(link.name, await link.backend.dispatch(routed)) as CockpitReply<C>;
    if (routed.type === 'addWorktree') {
      // The lane starts from MAIN's commit here, brought to the host's clone first.
      const base = await bringLaneBase(link.name, link.config, this.o.mainRoot, routed.name, routed.base);
      try {
        return (await link.backend.dispatch({ ...routed, base: base.ref })) as CockpitReply<C>;
      } finally {
        void base.drop();
      }
    }
    const reply = await link.backend.dispatch(routed);
    // A spawn answers with the new agent: in cockpit names, so the cockpit can focus it.
    if (routed.type === 'spawn') return agentOnHost(link.name, reply as AgentInfo) as CockpitReply<C>;
    return reply as CockpitReply<C>;
  }

  /**
   * Brief `cmd.id` of `cmd.host` (none: this machine's) to a lane on `target`'s server: added there
   * with its title and spec and a note of where it came from, dispatched there, then closed where
   * it was ("moved to box#4"). Its claim, commits and merge then happen where its lane is.
   */
  private async moveBrief(cmd: Extract<CockpitCommand, { type: 'brief'; op: 'dispatch' }>, target: string | null): Promise<CockpitReply<typeof cmd>> {
    const server = (h: string | null) => (h === null ? this.primary : this.connected(h).backend);
    const label = (h: string | null, id: number) => (h === null ? `#${id}` : `${h}#${id}`);
    const from = cmd.host ?? null;
    const src = server(from);
    const dst = server(target);
    const shown = await src.dispatch({ type: 'brief', op: 'show', id: cmd.id });
    const b = 'brief' in shown ? shown.brief : null;
    if (!b) throw new FlowerError('bad-usage', `no brief ${label(from, cmd.id)}`);
    const refused = refuseTransition(b, 'dispatched');
    if (refused) throw new FlowerError('bad-usage', refused.replace(`#${b.id}`, label(from, b.id)));
    const local = (n: string | undefined) => (n === undefined ? undefined : (hostOf(n, this.names)?.local ?? n));
    const added = await dst.dispatch({ type: 'brief', op: 'add', title: b.title, spec: b.spec });
    const id = 'brief' in added ? added.brief.id : -1;
    let sent: CockpitReply<typeof cmd>;
    try {
      await dst.dispatch({ type: 'brief', op: 'note', id, text: `moved from ${label(from, b.id)}${from === null ? ` (${this.o.mainRoot})` : ''} to go with its lane` });
      sent = await dst.dispatch({ type: 'brief', op: 'dispatch', id, lane: local(cmd.lane), agent: local(cmd.agent) });
    } catch (e) {
      // Not dispatched there: the copy goes, the brief stays where it was, as it was.
      await dst.dispatch({ type: 'brief', op: 'close', id, reason: `not moved: ${e instanceof Error ? e.message : String(e)}` }).catch(() => {});
      throw e;
    }
    await src.dispatch({ type: 'brief', op: 'close', id: b.id, reason: `moved to ${label(target, id)} with its lane` });
    return target === null ? sent : (briefReplyOnHost(target, sent) as CockpitReply<typeof cmd>);
  }

  setFocus(agent: string | null): void {
    this.focus = agent;
    this.primary.setFocus?.(agent !== null && hostOf(agent, this.names) ? null : agent);
    for (const l of this.links.values()) this.sendFocus(l);
  }

  /** The focused agent, to `link`'s server in its own name (null when it is elsewhere). */
  private sendFocus(link: HostLink): void {
    if (link.view.state !== 'connected' || !link.backend) return;
    const h = this.focus === null ? null : hostOf(this.focus, this.names);
    link.backend.setFocus(h?.host === link.name ? h.local : null);
  }

  agent(id: string): AgentView | undefined {
    const h = hostOf(id, this.names);
    if (!h) return this.primary.agent(id);
    const cached = this.views.get(id);
    if (cached) return cached;
    const link = this.links.get(h.host)!;
    const inner = () => link.backend?.agent(h.local);
    const first = inner();
    if (!first) return undefined;
    const view = new HostAgentView(h.host, inner, first);
    this.views.set(id, view);
    return view;
  }

  readTrace(filter: TraceFilter): TraceEntry[] {
    return this.primary.readTrace(filter);
  }

  async reconnect(): Promise<void> {
    if (!this.primary.reconnect) throw new Error('cannot reconnect');
    await this.primary.reconnect();
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    for (const l of this.links.values()) l.close();
    await this.primary.close();
  }

  closeNow(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const l of this.links.values()) l.closeNow();
    this.primary.closeNow();
  }
}

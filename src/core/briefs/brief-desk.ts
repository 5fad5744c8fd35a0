import { FlowerError } from '../../shared/errors.js';
import type { TraceEntry } from '../store/trace.js';
import type { AgentInfo, WorktreeInfo } from '../types.js';
import { FLOWER, OPERATOR, isUnclaimed, parseBriefId, refuseTransition, type Brief, type BriefStatus } from './brief.js';
import { briefPacket } from './brief-packet.js';
import type { BriefCommand, BriefDetail, BriefResult, BriefView } from './brief-ops.js';
import type { BriefStore } from './brief-store.js';
import { BriefLinks } from './brief-linking.js';
import { checkTitle, ephemeralLaneName, newBrief, traceActor } from './brief-rules.js';
import { freeAgentsFor, pickAgent, requireLane, type TargetView } from './brief-targets.js';

/** What the desk needs of the supervisor: a narrow view, never the supervisor itself. */
export interface BriefHost {
  record(e: Omit<TraceEntry, 'ts'>): void;
  agents(): AgentInfo[];
  worktrees(): WorktreeInfo[];
  laneKind(name: string): 'standing' | 'ephemeral';
  mainBranch(): string | null;
  profileExists(name: string): boolean;
  defaultProfile(): string | null;
  /** The existing `send` path: queued until the agent is ready, bracketed paste. */
  send(agent: string, text: string, by: string): Promise<void>;
  addLane(name: string, opts: { served: boolean; profile: string }, by: string): Promise<{ worktree: string; agents: string[] }>;
  /** Is this agent between turns (never mid-turn, never waiting on a permission)? */
  isIdle(agent: AgentInfo): boolean;
  readTrace(target: string): TraceEntry[];
  claimTimeoutMs(): number;
  changed(): void;
}

/** Briefs that hold an agent: it is on them, nothing else goes to it. */
const ACTIVE: readonly BriefStatus[] = ['dispatched', 'claimed'];

/**
 * The briefs of one repository: their store, their transitions, dispatch (by hand and automatic),
 * and the links to what they produced. Every step is one entry of the one trace, target `#N`.
 */
export class BriefDesk {
  private autoBusy = false;
  /** The links to what briefs produced: commits (trailer or lane + time) and merges. */
  private readonly links: BriefLinks;

  constructor(
    private readonly store: BriefStore,
    private readonly host: BriefHost,
  ) {
    this.links = new BriefLinks(store, host, {
      trace: (b, by, action, details) => this.trace(b, by, action, details),
      move: (b, to, by, reason) => this.move(b, to, by, reason),
    });
  }

  view(b: Brief): BriefView {
    return { ...b, links: [...b.links], notes: [...b.notes], unclaimed: isUnclaimed(b, Date.now(), this.host.claimTimeoutMs()) };
  }

  /** For the snapshot: every brief not closed, newest last. */
  open(): BriefView[] {
    return this.store.all().filter((b) => b.status !== 'closed').map((b) => this.view(b));
  }

  async execute(cmd: BriefCommand): Promise<BriefResult> {
    const by = cmd.by?.trim() || OPERATOR;
    switch (cmd.op) {
      case 'add':
        return { brief: this.view(this.add(cmd, by)) };
      case 'list':
        return { briefs: this.store.all().map((b) => this.view(b)).filter((b) => !cmd.status || (cmd.status === 'unclaimed' ? b.unclaimed : b.status === cmd.status)) };
      case 'show':
        return this.detail(this.require(cmd.id));
      case 'edit': {
        const b = this.require(cmd.id);
        if (b.status === 'closed') throw new FlowerError('bad-usage', `#${b.id} is closed`);
        const title = cmd.title === undefined ? undefined : checkTitle(cmd.title);
        this.store.update(b.id, (x) => {
          if (title !== undefined) x.title = title;
          if (cmd.spec !== undefined) x.spec = cmd.spec;
        });
        this.trace(b, by, 'brief.edit', { ...(title !== undefined ? { title } : {}), ...(cmd.spec !== undefined ? { specChars: cmd.spec.length } : {}) });
        return { brief: this.view(b) };
      }
      case 'note': {
        const b = this.require(cmd.id);
        const text = cmd.text.trim();
        if (!text) throw new FlowerError('bad-usage', 'an empty note: give the text');
        this.store.update(b.id, (x) => x.notes.push({ ts: new Date().toISOString(), by, text }));
        this.trace(b, by, 'brief.note', { text });
        return { brief: this.view(b) };
      }
      case 'close':
        return { brief: this.view(this.move(this.require(cmd.id), 'closed', by, cmd.reason?.trim() || null)) };
      case 'block': {
        if (!cmd.reason.trim()) throw new FlowerError('bad-usage', 'say why it is blocked (--reason)');
        return { brief: this.view(this.move(this.require(cmd.id), 'blocked', by, cmd.reason.trim())) };
      }
      case 'fail': {
        if (!cmd.reason.trim()) throw new FlowerError('bad-usage', 'say why it failed (--reason)');
        const b = this.forCaller(cmd.id, by, ['dispatched', 'claimed', 'ready', 'blocked']);
        return { brief: this.view(this.move(b, 'failed', by, cmd.reason.trim())) };
      }
      case 'dispatch':
        return { brief: this.view(await this.dispatch(this.require(cmd.id), cmd, by)) };
      case 'claim':
        return { brief: this.view(this.claim(cmd.id, cmd.agent ?? (by === OPERATOR ? undefined : by), by)) };
      case 'done': {
        const b = this.forCaller(cmd.id, by, ['claimed', 'dispatched', 'blocked']);
        await this.links.sync([b]);
        return { brief: this.view(this.move(b, 'ready', by, cmd.summary?.trim() || null)) };
      }
      case 'landed': {
        this.merged(cmd.lane, cmd.outcome, cmd.sha, cmd.message);
        this.host.changed();
        return { briefs: this.store.all().filter((b) => b.lane === cmd.lane).map((b) => this.view(b)) };
      }
      case 'packet': {
        const b = this.forCaller(cmd.id, by, null);
        return { packet: b.packet ?? this.packetFor(b, b.lane, b.agent ?? '(the agent it goes to)'), brief: this.view(b) };
      }
    }
  }

  private add(cmd: Extract<BriefCommand, { op: 'add' }>, by: string): Brief {
    const title = checkTitle(cmd.title);
    if (cmd.lane && cmd.ephemeral) throw new FlowerError('bad-usage', 'either --lane or --ephemeral, not both');
    if (cmd.lane) requireLane(this.host.worktrees(), cmd.lane);
    if (cmd.profile && !this.host.profileExists(cmd.profile)) throw new FlowerError('bad-usage', `no profile "${cmd.profile}"`);
    if (cmd.auto && cmd.ephemeral) throw new FlowerError('bad-usage', '--auto goes to standing lanes\' idle agents; an --ephemeral brief is dispatched with brief dispatch');
    const now = new Date().toISOString();
    const b = this.store.insert((id) => newBrief(id, title, cmd, now));
    this.trace(b, by, 'brief.add', { title, specChars: b.spec.length, lane: b.lane, ephemeral: b.ephemeral, auto: b.auto, profile: b.profile });
    this.host.changed();
    return b;
  }

  private async dispatch(b: Brief, cmd: Extract<BriefCommand, { op: 'dispatch' }>, by: string): Promise<Brief> {
    const refused = refuseTransition(b, 'dispatched');
    if (refused) throw new FlowerError('bad-usage', refused);
    let agent: AgentInfo;
    const ephemeral = cmd.ephemeral === true ? b.ephemeral ?? ephemeralLaneName(b.id, b.title) : cmd.ephemeral ?? (cmd.lane || cmd.agent ? null : b.ephemeral);
    if (ephemeral) {
      const profile = cmd.profile ?? b.profile ?? this.host.defaultProfile();
      if (!profile) throw new FlowerError('bad-usage', 'no profile for the ephemeral lane\'s agent: pass --profile');
      if (!this.host.profileExists(profile)) throw new FlowerError('bad-usage', `no profile "${profile}"`);
      const lane = await this.host.addLane(ephemeral, { served: cmd.served ?? b.served, profile }, by);
      const id = lane.agents.find((a) => !a.endsWith('/setup'));
      const started = id ? this.host.agents().find((a) => a.id === id) : undefined;
      if (!started) throw new FlowerError('spawn-failed', `lane ${lane.worktree} was created but no agent started in it (see its setup): dispatch again with --lane ${lane.worktree}`);
      agent = started;
    } else {
      agent = pickAgent(this.targets(), cmd.agent, cmd.lane ?? b.lane);
    }
    const wt = this.host.worktrees().find((w) => w.name === agent.worktree);
    const packet = this.packetFor(b, agent.worktree, agent.id, wt?.branch ?? null);
    await this.host.send(agent.id, packet, by);
    this.store.update(b.id, (x) => {
      x.status = 'dispatched';
      x.lane = agent.worktree;
      x.agent = agent.id;
      x.ephemeral = ephemeral ?? x.ephemeral;
      x.dispatchedAt = new Date().toISOString();
      x.reason = null;
      x.packet = packet;
    });
    this.trace(b, by, 'brief.dispatch', { lane: agent.worktree, agent: agent.id, from: b.status === 'dispatched' ? 'dispatched' : undefined, packetChars: packet.length });
    this.host.changed();
    return b;
  }

  private packetFor(b: Brief, lane: string | null, agent: string, branch?: string | null): string {
    const br = branch !== undefined ? branch : this.host.worktrees().find((w) => w.name === lane)?.branch ?? null;
    return briefPacket(b, { lane: lane ?? '(its lane)', branch: br, agent });
  }

  private claim(id: number | undefined, agentId: string | undefined, by: string): Brief {
    if (!agentId) throw new FlowerError('bad-usage', 'who claims it? run it from the agent (FLOWER_AGENT is set there) or pass --agent AGENT');
    const agent = this.host.agents().find((a) => a.id === agentId);
    if (!agent) throw new FlowerError('unknown-agent', `no agent "${agentId}"`);
    const b = id !== undefined ? this.require(id) : this.store.all().find((x) => x.agent === agentId && x.status === 'dispatched');
    if (!b) throw new FlowerError('bad-usage', `no brief dispatched to ${agentId}: give its number`);
    if (b.lane && b.lane !== agent.worktree) throw new FlowerError('bad-usage', `#${b.id} belongs to lane ${b.lane}; ${agentId} is in ${agent.worktree}`);
    if (b.status === 'claimed' && b.agent === agentId) return b;
    // A brief the operator failed stays failed: the agent it was sent to (whose packet may still be
    // arriving) must not bring it back by claiming it. The operator re-dispatches or claims it on purpose.
    if (b.status === 'failed' && by !== OPERATOR) throw new FlowerError('bad-usage', `#${b.id} was failed${b.reason ? ` (${b.reason})` : ''}: only the operator can take it up again`);
    const refused = refuseTransition(b, 'claimed');
    if (refused) throw new FlowerError('bad-usage', refused);
    const from = b.status;
    this.store.update(b.id, (x) => {
      x.status = 'claimed';
      x.agent = agentId;
      x.lane = agent.worktree;
      x.claimedAt = new Date().toISOString();
      x.reason = null;
    });
    this.trace(b, by, 'brief.status', { from, to: 'claimed', agent: agentId });
    this.host.changed();
    return b;
  }

  private move(b: Brief, to: BriefStatus, by: string, reason: string | null): Brief {
    const refused = refuseTransition(b, to);
    if (refused) throw new FlowerError('bad-usage', refused);
    const from = b.status;
    this.store.update(b.id, (x) => {
      x.status = to;
      x.reason = reason;
    });
    this.trace(b, by, 'brief.status', { from, to, ...(reason ? { reason } : {}) });
    this.host.changed();
    return b;
  }

  /** The brief a command means: the number given, else the caller's own current brief. */
  private forCaller(id: number | undefined, by: string, statuses: readonly BriefStatus[] | null): Brief {
    if (id !== undefined) return this.require(id);
    const mine = this.store.all().filter((b) => b.agent === by && (statuses ? statuses.includes(b.status) : b.status !== 'closed'));
    const b = mine[mine.length - 1];
    if (!b) throw new FlowerError('bad-usage', by === OPERATOR ? 'which brief? give its number' : `${by} has no current brief: give its number`);
    return b;
  }

  /** The packet of the brief an agent has claimed (for a refresh's hand-off), or null. */
  claimedPacket(agentId: string): string | null {
    const b = this.store.all().find((x) => x.agent === agentId && x.status === 'claimed');
    return b ? b.packet ?? this.packetFor(b, b.lane, agentId) : null;
  }

  /** The brief an agent is on (dispatched or claimed), if any. */
  briefOf(agentId: string): Brief | undefined {
    return this.store.all().find((b) => b.agent === agentId && ACTIVE.includes(b.status));
  }

  private targets(): TargetView {
    return { agents: this.host.agents(), worktrees: this.host.worktrees(), briefOf: (id) => this.briefOf(id) };
  }

  private detail(b: Brief): BriefDetail {
    return { brief: this.view(b), trace: this.host.readTrace(`#${b.id}`) };
  }

  private require(id: number): Brief {
    const b = Number.isInteger(id) ? this.store.get(id) : undefined;
    if (!b) throw new FlowerError('bad-usage', `no brief #${id} (see flower-tui brief ls)`);
    return b;
  }

  private trace(b: Brief, by: string, action: string, details: Record<string, unknown>): void {
    this.host.record({ actor: traceActor(by), action, target: `#${b.id}`, details: { brief: b.id, by, ...details }, outcome: 'ok' });
  }

  // ── automatic parts ────────────────────────────────────────────────────────────────────────────

  /** Git moved somewhere: link new commits of lanes whose HEAD changed to their briefs. */
  lanesChanged(): Promise<void> {
    return this.links.lanesChanged();
  }

  /** A merge of `lane` ended: link it to the lane's briefs with its outcome; a success makes them merged. */
  merged(lane: string, outcome: string, sha: string | null, message: string): void {
    this.links.merged(lane, outcome, sha, message);
  }

  /**
   * Auto briefs, oldest first, each to an idle agent of a matching standing lane that is on no
   * other brief. Never to a busy agent or one that needs the operator.
   */
  async autoDispatch(): Promise<void> {
    if (this.autoBusy) return;
    this.autoBusy = true;
    try {
      const waiting = this.store.all().filter((b) => b.auto && b.status === 'planned').sort((a, b) => a.id - b.id);
      for (const b of waiting) {
        const free = freeAgentsFor(b, this.targets(), (name) => this.host.laneKind(name), (a) => this.host.isIdle(a));
        const agent = free[0];
        if (!agent) continue;
        await this.dispatch(b, { type: 'brief', op: 'dispatch', id: b.id, agent: agent.id }, FLOWER).catch((e) => {
          this.trace(b, FLOWER, 'brief.dispatch', { agent: agent.id, error: String((e as Error).message ?? e) });
        });
      }
    } finally {
      this.autoBusy = false;
    }
  }
}

export { parseBriefId };

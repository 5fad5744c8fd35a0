import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Agent } from '../agents/agent.js';
import type { AgentUsage } from '../types.js';
import { activityOf, IDLE_AFTER_MS, OUTPUT_QUIET_MS } from './activity.js';
import { effectiveWindow, usageLevel } from './usage-level.js';
import { UsageProbe } from './usage-probe.js';
import type { StatusState } from '../status/agent-status.js';
import { blockingDialog } from '../status/screen-dialog.js';

/**
 * Usage and activity for every agent: one probe each, and a one-second tick that turns readings,
 * output timing and prompt patterns into what headers show. Emits `waiting` when an agent starts
 * waiting for input (the cockpit rings) and `rot` when one crosses its refresh threshold.
 */
export class UsageMonitor {
  private readonly probes = new Map<string, ProbeEntry>();
  private readonly claimed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessionDir: string | null,
    private readonly events: { waiting: (id: string) => void; rot: (id: string) => void },
  ) {}

  /** Where an agent's SessionStart hook writes its current session (Claude Code). */
  sessionFileFor(agentId: string): string | null {
    if (!this.sessionDir) return null;
    // One directory per agent: the sandbox makes exactly it writable for the agent's hook.
    const dir = path.join(this.sessionDir, agentId.replace(/[^A-Za-z0-9._-]/g, '_'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return path.join(dir, 'session.json');
  }

  watch(agent: Agent): void {
    this.unwatch(agent.info.id);
    const probe = new UsageProbe(agent, { sessionFile: this.sessionFileFor(agent.info.id), claimed: this.claimed, onChange: () => this.evaluate(agent.info.id) });
    this.probes.set(agent.info.id, { agent, probe, seen: null, dialog: null });
    probe.start();
    if (!this.timer) {
      this.timer = setInterval(() => {
        const now = Date.now();
        for (const [id, e] of this.probes) if (!unchangedSince(e.seen, e.agent, now, e.dialog && !e.dialog.applied ? e.dialog.since + DIALOG_CONFIRM_MS : null)) this.evaluate(id);
      }, 1000);
      this.timer.unref();
    }
  }

  unwatch(id: string): void {
    const p = this.probes.get(id);
    if (!p) return;
    p.probe.stop();
    this.probes.delete(id);
    if (this.probes.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** A refresh started a new session: follow the new transcript, not the old one. */
  resetProbe(id: string): void {
    this.probes.get(id)?.probe.reset();
  }

  reading(id: string) {
    return this.probes.get(id)?.probe.current ?? null;
  }

  stop(): void {
    for (const id of [...this.probes.keys()]) this.unwatch(id);
  }

  /**
   * A dialog on the agent's screen that no hook reported makes it needs-you (see screen-dialog.ts);
   * its closing undoes that. An agent whose hooks report gets a moment to say it first (its
   * PermissionRequest hook names the tool, which the screen cannot): the dialog counts once it has been
   * up DIALOG_CONFIRM_MS with no hook report since it appeared. Returns whether one is in force.
   */
  private dialog(entry: ProbeEntry): boolean {
    const { agent } = entry;
    const now = Date.now();
    const title = agent.isLive ? blockingDialog(agent.screen.visibleText()) : null;
    if (title === null) {
      if (entry.dialog?.applied) agent.observe({ state: 'working', source: 'screen', dialog: 'closed' });
      entry.dialog = null;
      return false;
    }
    if (!entry.dialog || entry.dialog.title !== title) entry.dialog = { title, since: now, applied: entry.dialog?.applied ?? false };
    const d = entry.dialog;
    const hookAt = agent.info.status.hookAt;
    if (!d.applied && (hookAt === null || (hookAt < d.since && now - d.since >= DIALOG_CONFIRM_MS))) {
      agent.observe({ state: 'needs-you', reason: `dialog: ${title}`, source: 'screen', dialog: 'shown' });
      d.applied = true;
    }
    return d.applied;
  }

  private evaluate(id: string): void {
    const entry = this.probes.get(id);
    if (!entry) return;
    const { agent, probe } = entry;
    entry.seen = { at: Date.now(), outputAt: agent.lastOutputAt, live: agent.isLive };
    const r = probe.current;
    const cfg = agent.profile.usage;
    const source = cfg?.source ?? 'none';
    const window = r.percentLeft !== null && r.tokens === null ? null : effectiveWindow(r.tokens, cfg?.window, r.window, source === 'claude');
    const lvl =
      r.tokens === null && r.percentLeft !== null
        ? // Only a percentage is known: the level still follows it, tokens stay unknown.
          { tokens: null, window: null, percent: 100 - r.percentLeft, level: usageLevel(100 - r.percentLeft, 100, agent.profile.refresh ?? {}).level }
        : usageLevel(r.tokens, window, agent.profile.refresh ?? {});
    const usage: AgentUsage = {
      source,
      tokens: lvl.tokens,
      window: lvl.window,
      percent: lvl.percent,
      level: source === 'none' ? 'unknown' : lvl.level,
      compacted: r.compacted,
      file: r.file,
      updatedAt: r.file || r.tokens !== null ? new Date().toISOString().slice(0, 19) : null,
    };
    let promptVisible: boolean | null = null;
    if (agent.profile.promptPattern) {
      try {
        const re = new RegExp(agent.profile.promptPattern);
        promptVisible = agent.screen.visibleText().some((l) => re.test(l));
      } catch {
        promptVisible = null;
      }
    }
    const activity = activityOf({ live: agent.isLive, now: Date.now(), lastOutputAt: agent.lastOutputAt, turn: r.turn, promptVisible });
    const before = agent.info;
    // updatedAt changes every tick: compare without it so an unchanged reading emits nothing.
    const same = JSON.stringify({ ...before.usage, updatedAt: null }) === JSON.stringify({ ...usage, updatedAt: null }) && before.activity === activity;
    // Codex's id comes from its rollout; Claude's changes on /clear (the hook says so): restore resumes the current one.
    const sessionId = r.sessionId && r.sessionId !== before.sessionId ? r.sessionId : before.sessionId;
    const dialogShown = this.dialog(entry);
    // The guess is fallback evidence for the agent's status: it changes nothing once hooks have spoken.
    const guess = FALLBACK[activity];
    // A process still starting has shown nothing to guess from (no output yet is not "quiet for 5 minutes").
    if (guess && !dialogShown && agent.info.state.kind !== 'starting') agent.observe({ state: guess.state, reason: guess.reason, source: r.turn !== 'unknown' ? 'transcript' : 'screen' });
    if (same && sessionId === before.sessionId) return;
    agent.patchInfo({ usage: same ? before.usage : usage, activity, sessionId });
    if (activity === 'waiting' && before.activity !== 'waiting') this.events.waiting(id);
    if (usage.level === 'rot' && before.usage.level !== 'rot') this.events.rot(id);
  }
}

/** Activity guesses as status evidence ("exited" comes from the process itself). */
const FALLBACK: Record<string, { state: StatusState; reason: string | null } | undefined> = {
  working: { state: 'working', reason: null },
  waiting: { state: 'idle', reason: 'waiting for input' },
  idle: { state: 'idle', reason: 'quiet for 5 minutes' },
  unknown: { state: 'running', reason: null },
};

interface ProbeEntry {
  agent: Agent;
  probe: UsageProbe;
  seen: Seen | null;
  dialog: DialogSeen | null;
}

/** A dialog on an agent's screen: its title, since when, and whether it made the agent needs-you. */
interface DialogSeen {
  title: string;
  since: number;
  applied: boolean;
}

/** How long an agent whose hooks report has to report a dialog itself before its screen counts. */
export const DIALOG_CONFIRM_MS = 1500;

/** What an agent looked like at its last evaluation. */
interface Seen {
  at: number;
  outputAt: number;
  live: boolean;
}

/** Re-evaluate at least this often even when nothing seems to have changed. */
const FULL_EVERY_MS = 30_000;

/**
 * Nothing an evaluation reads can have changed: no output (so no new screen), same liveness, no
 * activity threshold crossed since (a reading that changes evaluates at once, not on the tick).
 * Sixteen silent agents then cost a few comparisons a second instead of sixteen evaluations.
 */
function unchangedSince(seen: Seen | null, agent: Agent, now: number, wakeAt: number | null): boolean {
  if (!seen || now - seen.at >= FULL_EVERY_MS) return false;
  if (agent.lastOutputAt !== seen.outputAt || agent.isLive !== seen.live) return false;
  const crossed = (t: number) => seen.at < t && t <= now;
  return !crossed(seen.outputAt + OUTPUT_QUIET_MS) && !crossed(seen.outputAt + IDLE_AFTER_MS) && !(wakeAt !== null && crossed(wakeAt));
}

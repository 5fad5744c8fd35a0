import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Agent } from '../agents/agent.js';
import { FileTailer } from '../tail/file-tailer.js';
import { ClaudeTranscriptReader } from './claude-transcript.js';
import { CodexRolloutReader } from './codex-rollout.js';
import { readScreenUsage } from './screen-usage.js';
import { claudeConfigDir, codexHome, dateFolder, findClaudeTranscript, findCodexRollout, findCodexRolloutById } from './transcript-locator.js';
import { LocateSchedule, type WakeDir } from './locate-schedule.js';

/** What a probe knows right now. */
export interface ProbeReading {
  tokens: number | null;
  /** A window the agent itself reported (Codex), or a percentage-derived one. */
  window: number | null;
  percentLeft: number | null;
  compacted: boolean;
  turn: 'working' | 'waiting' | 'unknown';
  file: string | null;
  model: string | null;
  sessionId: string | null;
}

const EMPTY: ProbeReading = { tokens: null, window: null, percentLeft: null, compacted: false, turn: 'unknown', file: null, model: null, sessionId: null };
/** On attaching to a long transcript (a resumed session), read only its end. */
const MAX_INITIAL_BYTES = 4 * 1024 * 1024;

/**
 * One agent's usage source: finds its transcript (or reads its screen), tails it incrementally, and
 * reports readings. `sessionFile` is where the agent's SessionStart hook writes its current session
 * (Claude Code after /clear or a resume), so the probe follows it to the new transcript.
 */
export class UsageProbe {
  private reading: ProbeReading = EMPTY;
  private tailer: FileTailer | null = null;
  private schedule: LocateSchedule | null = null;
  private screenTimer: NodeJS.Timeout | null = null;
  private readonly onScreen = () => this.scheduleScreenRead();

  constructor(
    private readonly agent: Agent,
    private readonly opts: { sessionFile: string | null; claimed: Set<string>; onChange: () => void },
  ) {}

  get current(): ProbeReading {
    return this.reading;
  }

  start(): void {
    const source = this.agent.profile.usage?.source ?? 'none';
    // A SessionStart file left by an earlier agent of the same id names that agent's session: the new process's hook rewrites it.
    if (this.opts.sessionFile) rmSync(this.opts.sessionFile, { force: true });
    if (source === 'claude' || source === 'codex') {
      this.schedule = new LocateSchedule(() => this.locate());
      this.schedule.start();
    } else if ((source === 'screen' || source === 'gemini') && this.agent.profile.usage?.pattern) {
      this.agent.on('screen', this.onScreen);
    }
  }

  stop(): void {
    this.tailer?.stop();
    this.tailer = null;
    this.schedule?.stop();
    this.schedule = null;
    if (this.screenTimer) clearTimeout(this.screenTimer);
    this.agent.off('screen', this.onScreen);
    if (this.reading.file) this.opts.claimed.delete(this.reading.file);
  }

  /** Forget the transcript (a refresh starts a new session): the next one is found afresh. */
  reset(): void {
    // The hook file still names the old session until the new process's hook rewrites it.
    if (this.opts.sessionFile) rmSync(this.opts.sessionFile, { force: true });
    this.tailer?.stop();
    this.tailer = null;
    if (this.reading.file) {
      this.opts.claimed.delete(this.reading.file);
      this.left.add(this.reading.file);
    }
    this.reading = EMPTY;
    this.opts.onChange();
    this.schedule?.wake(); // a new session is starting: look for it often again
  }

  private set(patch: Partial<ProbeReading>): void {
    const next = { ...this.reading, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.reading)) return;
    this.reading = next;
    this.opts.onChange();
  }

  /** Find (or re-find) the transcript this agent is writing, and follow it; then say where to watch for the next. */
  private locate(): void {
    const before = { file: this.reading.file, sessionId: this.reading.sessionId };
    const wake = this.locateOnce();
    this.schedule?.ran(this.reading.file !== before.file || this.reading.sessionId !== before.sessionId);
    this.schedule?.watchDirs(wake);
  }

  /** One look; returns the directories where what it looks for next would appear. */
  private locateOnce(): WakeDir[] {
    const source = this.agent.profile.usage?.source;
    const env = this.agent.env;
    let file: string | null = null;
    const wake: WakeDir[] = [];
    if (source === 'claude') {
      const hooked = this.readSessionFile();
      // The hook (re)writes the session file at start, /clear and resume; the transcript appears in its project folder.
      if (this.opts.sessionFile) wake.push({ dir: path.dirname(this.opts.sessionFile), name: path.basename(this.opts.sessionFile), changes: true });
      const projects = path.join(claudeConfigDir(env), 'projects');
      wake.push({ dir: projects });
      if (hooked?.transcriptPath) wake.push({ dir: path.dirname(hooked.transcriptPath), name: path.basename(hooked.transcriptPath) });
      const sessionId = hooked?.sessionId ?? this.agent.info.sessionId;
      file = hooked?.transcript ?? (sessionId ? findClaudeTranscript(claudeConfigDir(env), sessionId) : null);
      if (hooked?.sessionId && hooked.sessionId !== this.reading.sessionId) this.set({ sessionId: hooked.sessionId });
      if (!file && sessionId && this.reading.file && path.basename(this.reading.file, '.jsonl') !== sessionId) {
        // A new conversation (/clear) whose transcript is not written yet: the old one's figure is not its.
        this.tailer?.stop();
        this.tailer = null;
        this.opts.claimed.delete(this.reading.file);
        this.set({ ...EMPTY, sessionId: this.reading.sessionId });
        return wake;
      }
    } else if (source === 'codex') {
      const skip = this.left.size ? new Set([...this.opts.claimed, ...this.left]) : this.opts.claimed;
      // A newer one of ours: /new started another session in the same process.
      const newer = findCodexRollout(codexHome(env), this.agent.info.cwd, this.agent.info.startedAt, skip);
      // `codex resume <id>` appends to the session's original rollout, whatever its date folder.
      const resumed = !newer && !this.reading.file && this.agent.info.sessionId ? findCodexRolloutById(codexHome(env), this.agent.info.sessionId) : null;
      file = newer ?? (resumed && !skip.has(resumed) ? resumed : null) ?? this.reading.file;
      // A new rollout (start, /new) is created in today's folder; a new day's folder appears in its month's.
      const today = path.join(codexHome(env), 'sessions', dateFolder(new Date()));
      wake.push({ dir: today }, { dir: path.dirname(today) });
    }
    if (!file || (file === this.reading.file && this.tailer)) {
      this.tailer?.poll();
      return wake;
    }
    this.follow(file, source === 'claude' ? new ClaudeTranscriptReader() : new CodexRolloutReader());
    return wake;
  }

  private readSessionFile(): { sessionId: string | null; transcript: string | null; transcriptPath: string | null } | null {
    if (!this.opts.sessionFile) return null;
    let text: string;
    try {
      text = readFileSync(this.opts.sessionFile, 'utf8');
    } catch {
      return null;
    }
    if (!text.trim()) return null;
    try {
      const j = JSON.parse(text) as { session_id?: string; transcript_path?: string };
      // The transcript is created lazily, at the first exchange: until then there is nothing to follow.
      const transcript = j.transcript_path && existsSync(j.transcript_path) ? j.transcript_path : null;
      return { sessionId: j.session_id ?? null, transcript, transcriptPath: j.transcript_path ?? null };
    } catch {
      return null;
    }
  }

  /** Rollouts this probe stopped following (/new, a refresh): never picked again as the newer one. */
  private readonly left = new Set<string>();

  private follow(file: string, reader: ClaudeTranscriptReader | CodexRolloutReader): void {
    this.tailer?.stop();
    if (this.reading.file) {
      this.opts.claimed.delete(this.reading.file);
      this.left.add(this.reading.file);
    }
    this.opts.claimed.add(file);
    this.set({ ...EMPTY, file, sessionId: this.reading.sessionId });
    const apply = () => {
      if (reader instanceof ClaudeTranscriptReader) {
        const u = reader.usage();
        this.set({ tokens: u.tokens, compacted: u.compacted, turn: u.turn, model: u.model });
      } else {
        const u = reader.usage();
        this.set({ tokens: u.tokens, window: u.window, compacted: u.compacted, turn: u.turn, sessionId: u.sessionId ?? this.reading.sessionId });
      }
    };
    this.tailer = new FileTailer(
      file,
      (lines) => {
        let changed = false;
        for (const l of lines) changed = reader.feed(l) || changed;
        if (changed) apply();
      },
      // Appends wake the tailer through its directory watch; the poll only catches a missed event.
      { from: 'start', maxInitialBytes: MAX_INITIAL_BYTES, pollMs: 2000, watchedPollMs: 10_000 },
    );
    this.tailer.start();
  }

  private scheduleScreenRead(): void {
    if (this.screenTimer) return;
    // Screens change many times a second; reading usage once a second is plenty.
    this.screenTimer = setTimeout(() => {
      this.screenTimer = null;
      const u = this.agent.profile.usage;
      if (!u?.pattern) return;
      let re: RegExp;
      try {
        re = new RegExp(u.pattern);
      } catch {
        return;
      }
      const r = readScreenUsage(this.agent.screen.visibleText(), re, u.patternKind);
      if (!r) return;
      if (r.tokens !== null) this.set({ tokens: r.tokens });
      else if (r.percentLeft !== null && u.window) this.set({ tokens: Math.round(u.window * (1 - r.percentLeft / 100)), percentLeft: r.percentLeft });
      else if (r.percentLeft !== null) this.set({ percentLeft: r.percentLeft });
    }, 1000);
    this.screenTimer.unref();
  }
}

import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowerConfig } from '../../config/config.js';
import { FlowerError } from '../../shared/errors.js';
import type { TraceActor } from '../store/trace.js';
import type { LaneSetup } from '../types.js';
import type { LaneHost } from './lane-host.js';
import { SETUP_STEP_OSC, setupScript } from './setup-script.js';

/** The setup agent of a lane is always "<lane>/setup". */
export const SETUP_AGENT = 'setup';

/** Lanes' setup runs: each a pty agent "<lane>/setup" whose progress (step n of m) the snapshot shows. */
export class LaneSetups {
  private readonly states = new Map<string, LaneSetup>();

  constructor(
    private readonly sup: LaneHost,
    private readonly config: () => FlowerConfig,
  ) {}

  of(worktree: string): LaneSetup | null {
    return this.states.get(worktree) ?? null;
  }

  forget(worktree: string): void {
    this.states.delete(worktree);
  }

  /**
   * Run (or re-run) the lane's setup commands in a pty agent "<lane>/setup", so the output streams live
   * into the lane's pane. Resolves when it has finished. A failure keeps the worktree and the output.
   */
  async run(name: string, actor: TraceActor): Promise<'none' | 'done' | 'failed'> {
    const commands = this.config().lanes.setup;
    if (commands.length === 0) return 'none';
    const wt = this.sup.snapshot().worktrees.find((w) => w.name === name);
    if (!wt) throw new FlowerError('unknown-worktree', `no worktree "${name}"`);
    const rec = this.sup.stateWorktrees()[name];
    const state: LaneSetup = { state: 'running', step: 0, steps: commands.length, command: commands[0]!, exitCode: null };
    this.states.set(name, state);
    this.sup.changed();
    this.sup.record({ actor, action: 'worktree.setup', target: name, details: { commands }, outcome: 'started' });
    const stepFile = path.join(os.tmpdir(), `flower-setup-${randomUUID()}.step`);
    const profile = {
      command: '/bin/sh',
      args: ['-c', setupScript(commands)],
      env: { FLOWER_LANE: name, FLOWER_PORT: rec?.port ? String(rec.port) : '', FLOWER_SETUP_STEP_FILE: stepFile },
      description: 'lane setup',
    };
    const agent = await this.sup.spawnInternal(name, SETUP_AGENT, profile);
    const osc = agent.screen.onOsc(SETUP_STEP_OSC, (data) => {
      const step = Number(data);
      if (step >= 1 && step <= commands.length) {
        this.states.set(name, { ...state, step, command: commands[step - 1]! });
        this.sup.changed();
      }
    });
    const code = await new Promise<number>((resolve) => {
      const check = () => {
        const s = agent.info.state;
        if (s.kind === 'exited') resolve(s.code);
        else if (s.kind === 'failed' || s.kind === 'killed') resolve(-1);
        else return;
        agent.off('change', check);
      };
      agent.on('change', check);
      check();
    });
    // The step that ran last, from the script's side channel: the pty may lose its last output.
    try {
      const step = Number(readFileSync(stepFile, 'utf8'));
      if (step >= 1 && step <= commands.length) this.states.set(name, { ...(this.states.get(name) ?? state), step, command: commands[step - 1]! });
    } catch {
      /* no step started */
    }
    rmSync(stepFile, { force: true });
    osc.dispose();
    const now = this.states.get(name) ?? state;
    if (code === 0) {
      this.states.set(name, { ...now, state: 'done', exitCode: 0 });
      this.sup.record({ actor, action: 'worktree.setup', target: name, details: { steps: commands.length }, outcome: 'ok' });
      // The output served its purpose; the lane's agents take the space.
      await this.sup.removeAgent(`${name}/${SETUP_AGENT}`, 'server').catch(() => {});
      this.sup.changed();
      return 'done';
    }
    // Said by flower-tui, not the script: a program's last output can be lost when it exits.
    agent.showNote(`\x1b[1;31m✗ [${now.step}/${commands.length}] failed (exit ${code})\x1b[0m\r\n`);
    this.states.set(name, { ...now, state: 'failed', exitCode: code });
    this.sup.record({ actor, action: 'worktree.setup', target: name, details: { step: now.step, command: now.command, exitCode: code }, outcome: 'error', error: `"${now.command}" exited ${code}` });
    this.sup.changed();
    return 'failed';
  }
}

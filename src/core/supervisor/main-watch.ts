import type { FlowerConfig } from '../../config/config.js';
import type { Profile } from '../../config/schema.js';
import { MainHeadWatch } from '../monitor/main-head-watch.js';
import type { MainMonitor } from '../monitor/main-monitor.js';
import type { TraceEntry } from '../store/trace.js';
import type { MainInfo, Notice } from '../types.js';

export interface MainWatchHost {
  /** The flower state dir (main-head.json lives there), or null (no state: nothing remembered). */
  stateDir: string | null;
  mainRoot: string;
  config(): FlowerConfig;
  /** The health loop (made with the services, after this). */
  monitor(): MainMonitor;
  /** Is flower-tui itself moving MAIN's HEAD now (a merge or a rollback)? */
  movingMain(): boolean;
  spawnOps(profile: Profile): Promise<unknown>;
  record(entry: Omit<TraceEntry, 'ts'>): void;
  notify(text: string, level: Notice['level']): void;
}

/**
 * Watching MAIN: its two alarms (HEAD moved by anything but our merge, and MAIN turning dirty; both
 * traced), its health loop and the optional ops process (a profile run in MAIN, read-only for us).
 */
export class MainWatch {
  private readonly head: MainHeadWatch;
  private started = false;

  constructor(private readonly host: MainWatchHost) {
    this.head = new MainHeadWatch(host.stateDir, (e) => host.record(e), host.mainRoot);
  }

  /** MAIN as git was just read: raise or clear the alarms; what moved HEAD, if anything did. */
  observe(head: string | null, main: MainInfo): MainInfo['headMoved'] {
    const moved = this.head.observeHead(head, main.subject, this.host.movingMain());
    this.head.observeDirty(main.changed);
    return moved;
  }

  /** The health loop, and the ops process when the config names one. */
  async start(): Promise<void> {
    this.started = true;
    this.host.monitor().start();
    const ops = this.host.config().monitor.ops;
    if (ops) {
      const profile = this.host.config().profiles[ops];
      if (!profile) this.host.notify(`monitor.ops: no profile "${ops}"`, 'error');
      else await this.host.spawnOps(profile);
    }
  }

  /** A new config: merge.health and monitor.healthEveryMs may have changed, so a running loop restarts. */
  configChanged(): void {
    if (!this.started) return;
    this.host.monitor().stop();
    this.host.monitor().start();
  }
}

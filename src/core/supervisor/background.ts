import { describeError } from '../../shared/errors.js';
import type { Notice } from '../types.js';
import type { GitSync } from './git-sync.js';
import type { Services } from './services.js';

/** How often auto briefs look for an idle agent of a standing lane (nothing to do costs a filter). */
const AUTO_DISPATCH_MS = 2000;

/**
 * What runs without a command: the merge queue (resumed after a restart), auto-dispatch of briefs,
 * git's watching and safety poll, the usage and MAIN monitors. Started once the supervisor has read
 * git; stopped first when it shuts down (its agents after).
 */
export class Background {
  private autoDispatchTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly git: GitSync,
    private readonly services: Services,
    private readonly notify: (text: string, level: Notice['level']) => void,
  ) {}

  start(): void {
    // A queue found mid-step (the server stopped during it) is re-validated before it runs on — in the
    // background: re-running an interrupted merge's health check must not hold up the server's start.
    void this.services.mergeQueue.start().catch((e) => this.notify(`merge queue: could not resume after the restart: ${describeError(e)}`, 'error'));
    this.autoDispatchTimer = setInterval(() => void this.services.briefs.autoDispatch(), AUTO_DISPATCH_MS);
    this.autoDispatchTimer.unref();
  }

  stop(): void {
    if (this.autoDispatchTimer) clearInterval(this.autoDispatchTimer);
    this.git.stop();
    this.services.monitor.stop();
    this.services.mainMonitor.stop();
    this.services.mergeQueue.runner.close();
    this.services.merges.cancel();
  }
}

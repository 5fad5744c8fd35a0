import type { CockpitBackend } from '../../core/backend/cockpit-backend.js';
import type { Snapshot } from '../../core/types.js';
import type { FlowerConfig } from '../../config/config.js';
import { initialUiState, type UiState } from '../ui-state.js';

/**
 * What the cockpit's parts share: the UI state the key reducers work on, the latest snapshot, the
 * backend, and the one way to show a change (`update`, which re-derives everything visible).
 */
export class CockpitState {
  ui: UiState = initialUiState();
  snapshot: Snapshot;
  /** We asked the server to stop: its going away is then the success, not an accident. */
  stopping = false;

  constructor(
    readonly backend: CockpitBackend,
    readonly config: FlowerConfig,
    private readonly redraw: () => void,
  ) {
    this.snapshot = backend.snapshot();
  }

  update(): void {
    this.redraw();
  }

  /** A line in the status bar, shown at once. */
  setMessage(text: string, level: 'info' | 'error'): void {
    this.ui = { ...this.ui, message: { text, level } };
    this.update();
  }
}

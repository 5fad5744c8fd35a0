import React from 'react';
import type { Dialog } from '../ui-state.js';
import { handleTraceKey } from '../input/trace-keys.js';
import { TraceView } from '../components/TraceView.js';
import type { DialogModule } from './binding.js';

type Trace = Extract<Dialog, { kind: 'trace' }>;

/** `l`: the trace, newest first, filtered by text and scope (keys: trace-keys.ts, view: TraceView.tsx). */
export const traceDialog: DialogModule<Trace> = {
  keys: (ui, d, key, ctx) => handleTraceKey(ui, d, key, ctx),
  // Clipped to the terminal: the trace wants all the room there is.
  size: () => ({ width: 1000, height: 1000 }),
  render: ({ dialog, rect }) => <TraceView dialog={dialog} rect={rect} />,
};

import React from 'react';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type ServerGone = Extract<Dialog, { kind: 'server-gone' }>;

export const SERVER_GONE_KEYS: Binding<ServerGone>[] = [
  { keys: ['r', 'enter'], help: 'restart', run: (ui) => ({ ui: closed(ui), effects: [{ type: 'reconnect' }] }) },
  { keys: ['q'], also: ['ctrl-c', 'escape'], help: 'quit', run: (ui) => ({ ui: closed(ui), effects: [{ type: 'quit' }] }) },
];

/** The server died under a remote cockpit: restart it, or leave. */
export const serverGoneDialog: DialogModule<ServerGone> = {
  keys: (ui, d, key, ctx) => runBindings(SERVER_GONE_KEYS, ui, d, key, ctx),
  size: () => ({ width: 60, height: 7 }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    return (
      <DialogFrame rect={rect} title="Server gone">
        <Line width={inner}>The flower-tui server stopped: {dialog.reason}</Line>
        <Line width={inner}>Restarting it starts the configured agents again.</Line>
        <Hint width={inner}>{hintOf(SERVER_GONE_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

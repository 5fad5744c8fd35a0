import React from 'react';
import type { Dialog } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type ConfirmQuit = Extract<Dialog, { kind: 'confirm-quit' | 'confirm-stop' }>;

export const CONFIRM_QUIT_KEYS: Binding<ConfirmQuit>[] = [
  {
    keys: ['y', 'enter'],
    help: (d) => (d.kind === 'confirm-stop' ? 'stop everything' : 'quit'),
    run: (ui, d) =>
      d.kind === 'confirm-stop'
        ? { ui: { ...closed(ui), message: { text: 'stopping every agent and the server…', level: 'info' } }, effects: [{ type: 'stop' }] }
        : { ui: closed(ui), effects: [{ type: 'quit' }] },
  },
  // Ctrl-C again, on the quit question, is a yes.
  { keys: ['ctrl-c'], when: (d) => d.kind === 'confirm-quit', run: (ui) => ({ ui: closed(ui), effects: [{ type: 'quit' }] }) },
  { keys: ['n', 'escape'], also: ['q'], help: (d) => (d.kind === 'confirm-stop' ? 'keep running' : 'stay'), run: (ui) => none(closed(ui)) },
];

/** `q` with agents running in the cockpit's own process, `Q` with a server: what stops, after a yes. */
export const confirmQuitDialog: DialogModule<ConfirmQuit> = {
  keys: (ui, d, key, ctx) => runBindings(CONFIRM_QUIT_KEYS, ui, d, key, ctx),
  size: (d) => ({ width: 60, height: Math.min(d.running.length, 6) + 6 + (d.kind === 'confirm-stop' ? 1 : 0) }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    const shown = dialog.running.slice(0, 6);
    return (
      <DialogFrame rect={rect} title={dialog.kind === 'confirm-stop' ? 'Stop the server' : 'Quit flower-tui'}>
        <Line width={inner}>
          {dialog.kind === 'confirm-stop' ? 'This stops the server and' : 'Quitting stops'} {dialog.running.length} running agent{dialog.running.length === 1 ? '' : 's'}
          {dialog.running.length ? ':' : '.'}
        </Line>
        {shown.map((a) => (
          <Line key={a} width={inner} color="yellow">
            {'  '}
            {a}
          </Line>
        ))}
        {dialog.running.length > shown.length ? <Line width={inner}>{`  … and ${dialog.running.length - shown.length} more`}</Line> : null}
        {dialog.kind === 'confirm-stop' ? <Line width={inner}>Remembered: the next start restores none of them.</Line> : null}
        <Hint width={inner}>{hintOf(CONFIRM_QUIT_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

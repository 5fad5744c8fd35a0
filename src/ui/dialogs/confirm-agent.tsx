import React from 'react';
import stringWidth from 'string-width';
import type { Dialog, UiState } from '../ui-state.js';
import { Line } from '../components/Line.js';
import { none, type KeyResult } from '../input/key-result.js';
import { closed, hintOf, runBindings, type Binding, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type ConfirmAgent = Extract<Dialog, { kind: 'confirm-kill' | 'confirm-remove' | 'confirm-respawn' }>;

/** The question a yes/no dialog about one agent asks: its box is sized to fit it. */
export function agentQuestion(dialog: ConfirmAgent): string {
  switch (dialog.kind) {
    case 'confirm-kill':
      return `Kill ${dialog.agent} and everything it started?`;
    case 'confirm-remove':
      return `Remove ${dialog.agent} from its pane? (It is not running.)`;
    case 'confirm-respawn':
      return `${dialog.agent} is running. Kill it and start it again?`;
  }
}

const TITLE = { 'confirm-kill': 'Kill agent', 'confirm-remove': 'Remove agent', 'confirm-respawn': 'Respawn agent' } as const;
const VERB = { 'confirm-kill': 'kill', 'confirm-remove': 'remove', 'confirm-respawn': 'respawn' } as const;

function yes(ui: UiState, d: ConfirmAgent): KeyResult {
  const cmd = d.kind === 'confirm-kill' ? ({ type: 'kill', agent: d.agent } as const) : d.kind === 'confirm-remove' ? ({ type: 'remove', agent: d.agent } as const) : ({ type: 'respawn', agent: d.agent } as const);
  return { ui: closed(ui), effects: [{ type: 'command', cmd }] };
}

export const CONFIRM_AGENT_KEYS: Binding<ConfirmAgent>[] = [
  { keys: ['y', 'enter'], help: (d) => VERB[d.kind], run: yes },
  { keys: ['n', 'escape'], also: ['q'], help: 'keep it', run: (ui) => none(closed(ui)) },
];

/** `x` / `r` on an agent: kill it, remove it once exited, respawn it — after a yes. */
export const confirmAgentDialog: DialogModule<ConfirmAgent> = {
  keys: (ui, d, key, ctx) => runBindings(CONFIRM_AGENT_KEYS, ui, d, key, ctx),
  size: (d) => ({ width: Math.max(56, stringWidth(agentQuestion(d)) + 4), height: 6 }),
  render({ dialog, rect }) {
    const inner = innerWidth(rect);
    return (
      <DialogFrame rect={rect} title={TITLE[dialog.kind]}>
        <Line width={inner}>{agentQuestion(dialog)}</Line>
        <Hint width={inner}>{hintOf(CONFIRM_AGENT_KEYS, dialog)}</Hint>
      </DialogFrame>
    );
  },
};

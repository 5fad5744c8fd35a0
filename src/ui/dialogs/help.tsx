import React from 'react';
import { Text } from 'ink';
import { KEY_ACTIONS, type KeyAction } from '../../config/schema.js';
import { ACTION_HELP, keyLabel, type Keymap } from '../keymap.js';
import { displayWidth, padToWidth } from '../../shared/display-width.js';
import { Line } from '../components/Line.js';
import { none } from '../input/key-result.js';
import { scrollHelp } from '../input/scroll-keys.js';
import { closed, type DialogModule } from './binding.js';
import { DialogFrame, Hint, innerWidth } from './frame.js';

type Help = { kind: 'help' };

/** Lines of the help overlay: every binding (as configured), then the fixed keys, then scroll mode's (from SCROLL_KEYS). */
export function helpLines(keymap: Keymap): [string, string][] {
  // Related actions share a line: the help must fit an 80×24 terminal whole.
  const k = (a: KeyAction) => keymap.bindings[a].map(keyLabel).join('/');
  const merged = new Set<KeyAction>(['next', 'prev', 'left', 'right', 'up', 'down', 'newWorktree', 'removeWorktree', 'respawn', 'refresh', 'merge', 'diff', 'trace', 'briefs', 'ready', 'update', 'queueUp', 'queueDown']);
  const arrows = (['left', 'right', 'up', 'down'] as const).map(k);
  const lines: [string, string][] = [
    [`${k('next')} / ${k('prev')}`, 'focus next / previous agent'],
    [arrows.join(' ') === 'Left Right Up Down' ? 'arrows' : arrows.join(' '), 'focus the pane that way (↑↓: agents of a pane too)'],
    ['1 … 9', 'focus pane N (1 = MAIN) · a click focuses too'],
    ...KEY_ACTIONS.filter((a) => !merged.has(a)).map((a): [string, string] => [keymap.bindings[a].map(keyLabel).join(' / '), ACTION_HELP[a]]),
    [`${k('respawn')} / ${k('refresh')}`, 'respawn / refresh (new session + hand-off) the agent'],
    [`${k('newWorktree')} / ${k('removeWorktree')}`, 'new worktree (a lane) / remove the focused one'],
    [`${k('merge')} / ${k('diff')}`, 'merge the worktree into MAIN (preview first) / its diff'],
    [`${k('trace')} / ${k('briefs')}`, 'the trace / briefs (D dispatches one here, a adds)'],
    [`${k('ready')} / ${k('update')} / ${k('queueUp')} ${k('queueDown')}`, 'merge queue: ready / update onto MAIN / move up, down'],
  ];
  // The mouse shares lines with what it also does (the help must fit 80×24 whole).
  lines.push(['scroll mode', `${scrollHelp()} · wheel`]);
  return lines;
}

/** `?`: every binding; any key closes it. */
export const helpDialog: DialogModule<Help> = {
  keys: (ui) => none(closed(ui)),
  size: (_d, _s, keymap) => ({ width: 76, height: helpLines(keymap).length + 4 }),
  render({ rect, keymap }) {
    const inner = innerWidth(rect);
    const lines = helpLines(keymap);
    const keyWidth = Math.max(...lines.map(([k]) => displayWidth(k))) + 2;
    return (
      <DialogFrame rect={rect} title="Keys">
        {lines.map(([k, what]) => (
          <Line key={k + what} width={inner}>
            <Text color="cyan" bold>
              {padToWidth(k, keyWidth)}
            </Text>
            {what}
          </Line>
        ))}
        <Hint width={inner}>any key closes this help</Hint>
      </DialogFrame>
    );
  },
};

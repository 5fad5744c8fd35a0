import React from 'react';
import { Box, Text } from 'ink';
import type { Rect } from '../../layout/layout.js';
import { keyLabel, type Keymap } from '../keymap.js';
import type { UiState } from '../ui-state.js';
import { scrollHint } from '../input/scroll-keys.js';
import { theme } from './theme.js';
import { chromeText } from '../../shared/terminal-text.js';

/** The bottom row: a message (or the search prompt) on the left, the keys that matter now on the right. */
export interface InboxSummary {
  count: number;
  /** Of those, agents whose pane is not on screen (another lane page, or below a lane's last slot). */
  offScreen: number;
  key: string;
}

export function StatusLine({ rect, ui, keymap, hiddenLanes, running, inbox }: { rect: Rect; ui: UiState; keymap: Keymap; hiddenLanes: number; running: number; inbox?: InboxSummary }) {
  const k = (a: keyof Keymap['bindings']) => keyLabel(keymap.bindings[a][0] ?? '?');
  let left: React.ReactNode;
  let hints: string;
  if (ui.scroll?.editing) {
    left = (
      <Text>
        <Text color="yellow">search: </Text>
        {ui.scroll.query}
        <Text inverse> </Text>
      </Text>
    );
    hints = scrollHint(ui.scroll);
  } else if (ui.scroll) {
    left = ui.message ? <Text color={ui.message.level === 'error' ? theme.error : 'yellow'}>{chromeText(ui.message.text)}</Text> : <Text color="yellow">SCROLL {chromeText(ui.scroll.agent)}</Text>;
    hints = scrollHint(ui.scroll);
  } else {
    const need = inbox && inbox.count > 0 ? (
      <Text color="magentaBright" bold>
        ! {inbox.count} need{inbox.count === 1 ? 's' : ''} you ({inbox.key}){inbox.offScreen ? ` · ${inbox.offScreen} off-screen` : ''}
        {' · '}
      </Text>
    ) : null;
    left = ui.message ? (
      <Text>
        {need}
        <Text color={ui.message.level === 'error' ? theme.error : 'yellow'}>{chromeText(ui.message.text)}</Text>
      </Text>
    ) : (
      <Text color={theme.hint}>
        {need}
        {hiddenLanes
          ? `${running} running · ${hiddenLanes} pane${hiddenLanes === 1 ? '' : 's'} off-screen (← →)`
          : `flower-tui · ${running} agent${running === 1 ? '' : 's'} running`}
      </Text>
    );
    hints = `${k('attach')} attach · ${k('newAgent')} new · ${k('kill')} kill · ${k('respawn')} respawn · ${k('scroll')} scroll · ${k('help')} help · ${k('quit')} quit`;
  }
  return (
    <Box position="absolute" marginLeft={rect.x} marginTop={rect.y} width={rect.width} height={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate-end">{left}</Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text color={theme.hint} wrap="truncate-start">
          {ui.message && !ui.scroll ? `${k('help')} help` : rect.width >= 100 || ui.scroll ? hints : rect.width >= 64 ? `${k('attach')} attach · ${k('newAgent')} new · ${k('help')} help · ${k('quit')} quit` : `${k('help')} help`}
        </Text>
      </Box>
    </Box>
  );
}

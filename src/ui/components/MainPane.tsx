import React from 'react';
import { Box, Text } from 'ink';
import type { MainInfo } from '../../core/types.js';
import type { Rect } from '../layout.js';
import { Positioned } from './Positioned.js';
import { theme } from './theme.js';

/** MAIN's read-only pane: what is checked out and whether anyone touched it. Nothing typed here goes anywhere. */
export function MainPane({ rect, main, focused }: { rect: Rect; main: MainInfo; focused: boolean }) {
  const colour = focused ? theme.mainFocus : theme.main;
  return (
    <>
      <Positioned rect={rect} borderStyle={focused ? 'double' : 'round'} borderColor={colour} paddingX={1}>
        <Box width={rect.width - 4}>
          {main.error ? (
            <Text color={theme.error} wrap="truncate-end">git: {main.error}</Text>
          ) : (
            <Text wrap="truncate-end">
              <Text color="magenta">⎇ {main.branch ?? '(detached)'}</Text>
              {'  '}
              <Text color="yellow">{main.headShort ?? '(no commits)'}</Text> {main.subject ?? ''}
              {'  '}
              {main.changes === 0 ? <Text color={theme.ok}>✓ clean</Text> : <Text color={theme.error} bold>⚠ dirty: {main.changes} changed</Text>}
            </Text>
          )}
        </Box>
      </Positioned>
      <Positioned rect={{ x: rect.x + 2, y: rect.y, width: Math.max(1, rect.width - 4), height: 1 }}>
        <Text wrap="truncate-end">
          <Text color={colour} bold inverse={focused}> 1 MAIN · read-only </Text>
          <Text color={theme.hint}> merges only · keys typed here reach nothing </Text>
        </Text>
      </Positioned>
    </>
  );
}

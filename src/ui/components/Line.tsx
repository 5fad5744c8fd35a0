import React from 'react';
import { Box, Text } from 'ink';
import { chromeText } from '../../shared/terminal-text.js';

/**
 * One row of a dialog, padded to the box's inner width (so the dialog hides what is under it) and truncated.
 * Its text is shown, never obeyed: control characters in names or output become visible escapes.
 */
export function Line({ width, children, ...rest }: { width: number; children?: React.ReactNode } & React.ComponentProps<typeof Text>) {
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end" {...rest}>
        {React.Children.map(children, (c) => (typeof c === 'string' ? chromeText(c) : c))}
      </Text>
    </Box>
  );
}

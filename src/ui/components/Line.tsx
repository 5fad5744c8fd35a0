import React from 'react';
import { Box, Text } from 'ink';

/** One row of a dialog, padded to the box's inner width (so the dialog hides what is under it) and truncated. */
export function Line({ width, children, ...rest }: { width: number; children?: React.ReactNode } & React.ComponentProps<typeof Text>) {
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end" {...rest}>
        {children}
      </Text>
    </Box>
  );
}

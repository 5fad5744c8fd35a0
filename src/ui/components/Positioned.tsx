import React from 'react';
import { Box } from 'ink';
import type { Rect } from '../../layout/layout.js';

/** A box at an exact rectangle: the chrome and the compositor must agree on every cell. */
export function Positioned({ rect, children, ...rest }: { rect: Rect; children?: React.ReactNode } & React.ComponentProps<typeof Box>) {
  return (
    <Box position="absolute" marginLeft={rect.x} marginTop={rect.y} width={rect.width} height={rect.height} overflow="hidden" {...rest}>
      {children}
    </Box>
  );
}

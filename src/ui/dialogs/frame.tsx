import React from 'react';
import type { Rect } from '../../layout/layout.js';
import { Positioned } from '../components/Positioned.js';
import { Line } from '../components/Line.js';

/** Text width inside a dialog's border and padding. */
export const innerWidth = (rect: Rect): number => Math.max(1, rect.width - 4);

/** The box of a small dialog: rounded cyan border, its title in bold, then its lines. */
export function DialogFrame({ rect, title, children }: { rect: Rect; title: string; children: React.ReactNode }) {
  const inner = innerWidth(rect);
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      <Line width={inner} bold color="cyan">
        {title}
      </Line>
      {children}
    </Positioned>
  );
}

/** A dialog's last line: what its keys do, in gray. */
export function Hint({ width, children }: { width: number; children: React.ReactNode }) {
  return (
    <Line width={width} color="gray">
      {children}
    </Line>
  );
}

/** The box of a large dialog (merge, diff) that writes its own title line. */
export function ViewFrame({ rect, children }: { rect: Rect; children: React.ReactNode }) {
  return (
    <Positioned rect={rect} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" backgroundColor="black">
      {children}
    </Positioned>
  );
}

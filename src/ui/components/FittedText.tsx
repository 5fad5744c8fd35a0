import React from 'react';
import { Text } from 'ink';
import { fitSegments, type Segment } from './fit-segments.js';

/** A segment with its look (colour, bold, …): Ink <Text> props. */
type TextStyle = Omit<React.ComponentProps<typeof Text>, 'children' | 'wrap'>;

/** A segment with its look (colour, bold, …: Ink <Text> props); `sep` is the start of its text drawn in `sepStyle`. */
export type StyledSegment = Segment & { key: string; style?: TextStyle; sep?: string };

/**
 * One row made of prioritised segments (fit-segments.ts): at a narrow width the least important go
 * first, so what matters (an alarm, an agent's state, a lane's ahead/behind) is never what is cut.
 */
export function FittedText({ width, segments, sepStyle, ...rest }: { width: number; segments: (StyledSegment | null | false)[]; sepStyle?: TextStyle } & Omit<React.ComponentProps<typeof Text>, 'children'>) {
  const fitted = fitSegments(segments.filter((s): s is StyledSegment => !!s), width);
  return (
    <Text wrap="truncate-end" {...rest}>
      {fitted.map((s) =>
        s.sep && s.text.startsWith(s.sep) ? (
          <Text key={s.key}>
            <Text {...sepStyle}>{s.sep}</Text>
            <Text {...s.style}>{s.text.slice(s.sep.length)}</Text>
          </Text>
        ) : (
          <Text key={s.key} {...s.style}>
            {s.text}
          </Text>
        ),
      )}
    </Text>
  );
}

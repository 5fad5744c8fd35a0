import stringWidth from 'string-width';

// Display widths, by string-width as Ink counts them (its own dependency): never `.length`, which
// counts UTF-16 code units (an emoji is 2, a CJK character 1, both take two columns). Apart from
// terminal-text.ts so the CLI's entry, which sanitises, does not load it.

/** Columns `s` takes on a terminal (wide characters two, combining ones none): never `.length`. */
export function displayWidth(s: string): number {
  return stringWidth(s);
}

/** `s` padded with spaces to `width` display columns (String.padEnd counts code units, not columns). */
export function padToWidth(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - stringWidth(s)));
}

/** OSC code our setup script uses to say which step is running (invisible on screen). */
export const SETUP_STEP_OSC = 7771;

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One `sh -c` script running a lane's setup commands in order, stopping at the first failure. Each
 * step announces itself (a visible "▶ command" line and an invisible progress marker). `{name}` and
 * `{port}` in a command become "$FLOWER_LANE" / "$FLOWER_PORT": the lane name travels in the
 * environment, never spliced into the shell text.
 */
export function setupScript(commands: string[]): string {
  const lines = ['set -e'];
  commands.forEach((cmd, i) => {
    const safe = cmd.replaceAll('{name}', '"$FLOWER_LANE"').replaceAll('{port}', '"$FLOWER_PORT"');
    // Also outside the pty: a program that exits may take its last output with it.
    lines.push(`if [ -n "\${FLOWER_SETUP_STEP_FILE:-}" ]; then printf '%s' ${i + 1} > "$FLOWER_SETUP_STEP_FILE"; fi`);
    lines.push(`printf '\\033]${SETUP_STEP_OSC};%s\\007\\033[1;36m▶ [%s/%s] %s\\033[0m\\r\\n' ${i + 1} ${i + 1} ${commands.length} ${shQuote(cmd)}`);
    // Braces, not a subshell: a step may `cd` or export for the next one.
    lines.push(`{ ${safe}
} || exit $?`);
  });
  lines.push(`printf '\\033[1;32m✓ setup done\\033[0m\\r\\n'`);
  return lines.join('\n');
}

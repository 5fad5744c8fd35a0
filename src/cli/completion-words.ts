// The words a shell's completion script hands to `--get-yargs-completions`: bash (COMP_WORDS) and
// zsh ($words) both pass the program's own name first. yargs would read that name as the first word
// of the default command (`flower-tui [--repo DIR]`), and then complete nothing after `kill ` — so it
// is dropped here, before yargs parses. Pure, no imports: main.ts loads it up front.

const COMPLETIONS_FLAG = '--get-yargs-completions';

export function completionArgs(argv: string[]): string[] {
  if (argv[0] !== COMPLETIONS_FLAG || argv.length < 2) return argv;
  const first = argv[1]!;
  return /(^|\/)flower-tui(\.js)?$/.test(first) ? [COMPLETIONS_FLAG, ...argv.slice(2)] : argv;
}

/** yargs offers the default command as "$0" (zsh: "$0:description"): not something to type. */
export function withoutDefaultCommand(completions: string[]): string[] {
  return completions.filter((c) => c !== '$0' && !c.startsWith('$0:'));
}

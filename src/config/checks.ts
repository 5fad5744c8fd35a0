import type { ParsedConfig, Profile } from './schema.js';

// What the schema cannot say on its own: names that must refer to something, ranges that must be
// ordered, regexes that must compile. Checked when the config is loaded (in every process), so a
// mistake is one line at start, not a surprise at run time (a lane created, then its agent refused).

/** The first problem as "path: message", or null. `profiles` has the built-in ones merged in. */
export function checkConfig(cfg: ParsedConfig, profiles: Record<string, Profile>): string | null {
  const known = () => Object.keys(profiles).join(', ');
  const unknownProfile = (where: string, name: string) => (Object.hasOwn(profiles, name) ? null : `${where}: unknown profile "${name}" (known: ${known()})`);

  for (const [wt, wcfg] of Object.entries(cfg.worktrees)) {
    for (const [i, spec] of wcfg.agents.entries()) {
      const p = unknownProfile(`worktrees.${wt}.agents.${i}`, typeof spec === 'string' ? spec : spec.profile);
      if (p) return p;
    }
  }
  for (const [i, name] of cfg.lanes.agents.entries()) {
    const p = unknownProfile(`lanes.agents.${i}`, name);
    if (p) return p;
  }
  if (cfg.monitor.ops !== null) {
    const p = unknownProfile('monitor.ops', cfg.monitor.ops);
    if (p) return p;
  }

  for (const [name, profile] of Object.entries(cfg.profiles)) {
    const at = `profiles.${name}`;
    const re = badRegex(`${at}.usage.pattern`, profile.usage?.pattern) ?? badRegex(`${at}.promptPattern`, profile.promptPattern);
    if (re) return re;
    const r = profile.refresh;
    // Comparable only in the same unit (both fractions, or both tokens).
    if (r?.warnAt !== undefined && r.refreshAt !== undefined && r.warnAt <= 1 === r.refreshAt <= 1 && r.warnAt > r.refreshAt) {
      return `${at}.refresh.warnAt: ${r.warnAt} is above refreshAt ${r.refreshAt} (the warning comes first)`;
    }
  }

  const [lo, hi] = cfg.lanes.served.portRange;
  if (lo > hi) return `lanes.served.portRange: [${lo}, ${hi}] is reversed (write [${hi}, ${lo}])`;
  if (!cfg.lanes.pathPattern.includes('{name}')) {
    return `lanes.pathPattern: "${cfg.lanes.pathPattern}" has no {name} (every lane would get the same directory)`;
  }
  return null;
}

function badRegex(where: string, pattern: string | undefined): string | null {
  if (pattern === undefined) return null;
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    return `${where}: not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
}

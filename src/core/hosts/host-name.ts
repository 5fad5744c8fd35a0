/**
 * How a lane or agent on another host is named wherever names travel (cockpit, CLI, trace, merge):
 * `box:feature-x`, `box:feature-x/claude`. A git branch name cannot hold ':', so no name of this
 * machine's looks like one. Pure.
 */

export function onHost(host: string, local: string): string {
  return `${host}:${local}`;
}

/** `box:NAME` split into the host and its name there, or null for a name of this machine. */
export function splitHostName(name: string): { host: string; lane: string } | null {
  const i = name.indexOf(':');
  if (i <= 0 || i === name.length - 1) return null;
  return { host: name.slice(0, i), lane: name.slice(i + 1) };
}

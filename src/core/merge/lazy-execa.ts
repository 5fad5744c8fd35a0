/**
 * execa, loaded on its first use (a merge, a gate, a remote lane) instead of at the server's start:
 * its ~100 modules are ~2 MB of heap and ~4 MB resident that an idle server, and every server that
 * never merges, does not need.
 */
import type { execa as Execa } from 'execa';

let loading: Promise<typeof Execa> | null = null;

export function loadExeca(): Promise<typeof Execa> {
  return (loading ??= import('execa').then((m) => m.execa));
}

/**
 * The server of a configured host, over ssh, checked to serve this project: a host whose clone
 * shares no commit with MAIN's repository would take lanes and briefs meant for another project.
 */
import type { HostConfig } from '../config/hosts-schema.js';
import { rootCommits, sameProject } from '../core/git/root-commits.js';
import { FlowerError } from '../shared/errors.js';
import { flowerVersion } from '../protocol/flower-version.js';
import type { FlowerClient } from './client.js';
import { connectOverSsh } from './ssh-transport.js';

/** Connect to `name`'s server (the bridge starts it there when none runs); one-line errors. */
export async function connectToHost(name: string, host: HostConfig, mainRoot: string, role: 'tui' | 'cli'): Promise<FlowerClient> {
  const client = await connectOverSsh(name, host, { role, version: flowerVersion() });
  const theirs = client.server.roots;
  const ours = rootCommits(mainRoot);
  if (theirs && theirs.length > 0 && ours.length > 0 && !sameProject(ours, theirs)) {
    client.close();
    throw new FlowerError('host-unreachable', `${name}: ${client.server.mainRoot ?? host.repo} is not a clone of this project (no commit in common with ${mainRoot}): fix hosts.${name}.repo`);
  }
  return client;
}

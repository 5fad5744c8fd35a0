// Where a repository's server lives (socket, state, log) and what `server run` tells the process
// that started it: both ends of the socket need these, so they are protocol, not client or server.
import path from 'node:path';
import type { FlowerErrorCode } from '../shared/errors.js';
import type { RepoLocation } from '../core/git/repo.js';
import { socketPathFor, stateDir } from '../core/store/private-dir.js';

/** What `server run` sends its starter over the IPC channel once its socket accepts connections. */
export interface ServerReadyMessage {
  t: 'flower-server-listening';
  socket: string;
}

/** What `server run` sends its starter when it cannot start for a user's reason (an invalid config). */
export interface ServerFailedMessage {
  t: 'flower-server-failed';
  code: FlowerErrorCode;
  message: string;
}

export interface ServerLocation {
  repo: RepoLocation;
  socket: string;
  stateDir: string;
  log: string;
}

export function serverLocation(repo: RepoLocation): ServerLocation {
  const dir = stateDir(repo.commonDir);
  return { repo, socket: socketPathFor(repo.commonDir, repo.mainRoot), stateDir: dir, log: path.join(dir, 'server.log') };
}
